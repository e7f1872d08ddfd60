package dev.corobridge.core

import java.util.function.Supplier
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Job

/**
 * What every task of one loop shares, carried in the coroutine context.
 *
 * [exclusive] means the loop has a run permit ([LoopDispatcher.permitHolder]): a Java body runs
 * only while it holds it, so bodies and loop work never overlap. A loop on a parallel dispatcher
 * has no permit. [newFuture] makes the futures of tasks the engine starts: the facade's `Task`.
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
    context[TaskEnvironment]?.newTask() ?: DefaultTasks.newTask()

/**
 * The task kind for work started outside corobridge's own tasks (a Kotlin caller's scope, a
 * Publisher's subscriber): the facade's `Task` once the facade has connected its engine, so that
 * Java code running there sees the types it expects; before that (Kotlin-only use), plain tasks.
 * The facade passes its factory in ([Engine.connect]); the engine never looks for it.
 */
internal object DefaultTasks {
    @Volatile private var factory: Supplier<out TaskFuture<*>>? = null

    /** Called by the first [Engine]: the facade's `Async` creates one when it loads. */
    fun register(newFuture: Supplier<out TaskFuture<*>>) {
        if (factory == null) factory = newFuture
    }

    @Suppress("UNCHECKED_CAST")
    fun <T> newTask(): TaskFuture<T> {
        return (factory?.get() ?: PlainTask<Any?>()) as TaskFuture<T>
    }

    /** The environment for Java bodies started where no corobridge task provides one. */
    val environment: TaskEnvironment by lazy {
        TaskEnvironment(exclusive = false, BodyThreads.preferred(), reports = null) {
            newTask<Any?>()
        }
    }
}
