package dev.corobridge.core

import java.util.function.Supplier
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Job

/**
 * What every task of one loop shares, carried in the coroutine context.
 *
 * [exclusive] is the loop's run permit: when true, a Java body runs only while the loop thread
 * waits for it, so bodies and loop work never overlap. A loop on a parallel dispatcher has no
 * permit. [newFuture] makes the futures of tasks the engine starts: the facade's `Task`.
 */
internal class TaskEnvironment(
    val exclusive: Boolean,
    val threads: BodyThreads,
    val reports: FailureReports?,
    private val newFuture: Supplier<out TaskFuture<*>>,
) : AbstractCoroutineContextElement(TaskEnvironment) {
    /** The loop's main task, the root of [runningTasks]; null for background tasks. */
    @Volatile var root: Job? = null

    @Suppress("UNCHECKED_CAST") fun <T> newTask(): TaskFuture<T> = newFuture.get() as TaskFuture<T>

    companion object Key : CoroutineContext.Key<TaskEnvironment>
}

/**
 * A new task for engine-started work under [context]: the facade's kind inside corobridge tasks.
 */
internal fun <T> newTaskUnder(context: CoroutineContext): TaskFuture<T> =
    context[TaskEnvironment]?.newTask() ?: PlainTask()
