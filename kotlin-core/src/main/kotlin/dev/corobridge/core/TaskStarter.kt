package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.function.Supplier
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.InternalCoroutinesApi

/**
 * How every room of the [Engine] starts a task: where it belongs, what its future is (the facade's
 * `Task`, made by [newFuture]) and what its context carries.
 */
@OptIn(InternalCoroutinesApi::class, DelicateCoroutinesApi::class)
internal class TaskStarter(private val newFuture: Supplier<out TaskFuture<*>>) {
    private val background: CoroutineContext =
        Dispatchers.Default +
            TaskEnvironment(exclusive = false, BodyThreads.preferred(), reports = null, newFuture)

    /** The environment of a loop's tasks. */
    fun environment(exclusive: Boolean, threads: BodyThreads, reports: FailureReports) =
        TaskEnvironment(exclusive, threads, reports, newFuture)

    /**
     * Where a new task belongs: the calling Java body's task; else, for Kotlin code running on an
     * event loop, the loop's main task; else the background dispatcher.
     */
    fun currentContext(): CoroutineContext =
        JavaBody.current()?.launchContext ?: LoopDispatcher.running()?.main?.context ?: background

    /** Where a sleep belongs: like [currentContext], see [JavaBody.sleepContext]. */
    fun sleepContext(): CoroutineContext =
        JavaBody.current()?.sleepContext ?: LoopDispatcher.running()?.main?.context ?: background

    @Suppress("UNCHECKED_CAST")
    fun <T> newTask(name: String?): TaskFuture<T> =
        (newFuture.get() as TaskFuture<T>).also { if (name != null) it.setName(name) }

    /** The context of a new task under [parent]: its name, and the context carriers' values. */
    fun taskContext(parent: CoroutineContext, name: String?): CoroutineContext {
        var context = if (name == null) parent else parent + CoroutineName(name)
        ContextCarriers.capture()?.let { context += it }
        return context
    }

    /**
     * Starts a Java body as a task; see [JavaBody.launch] for [runsIfItsDeadlinePassed], and
     * [JavaBody.launchInPlace] for [inPlace].
     */
    fun <T> startBody(
        parent: CoroutineContext,
        name: String?,
        body: Callable<T>,
        deadlineNanos: Long = NO_DEADLINE,
        subject: String = "",
        runsIfItsDeadlinePassed: Boolean = false,
        inPlace: Boolean = false,
    ): TaskFuture<T> {
        val future = newTask<T>(name)
        val task = JavaBody(taskContext(parent, name), future)
        if (deadlineNanos != NO_DEADLINE) task.startDeadline(deadlineNanos, subject)
        if (inPlace) task.launchInPlace(body, runsIfItsDeadlinePassed)
        else task.launch(body, runsIfItsDeadlinePassed)
        return future
    }

    /**
     * Starts a Kotlin block as a task. With [runsEvenIfCancelledEarly] a block that must react to
     * its own cancellation (cancel what it waits for) still gets its first turn when cancelled
     * before it. With [startsInPlace] its first turn runs now, in the caller, up to its first
     * suspension: for verbs that are a plain future in asyncio (gather registers its callbacks when
     * called, not one turn later); such a block runs even if cancelled early.
     */
    fun <T> start(
        parent: CoroutineContext,
        name: String?,
        deadlineNanos: Long = NO_DEADLINE,
        subject: String = "",
        runsEvenIfCancelledEarly: Boolean = false,
        startsInPlace: Boolean = false,
        takesAwaitersCancellation: Boolean = false,
        block: suspend TaskCoroutine<T>.() -> T,
    ): TaskFuture<T> {
        val future = newTask<T>(name)
        val coroutine =
            TaskCoroutine(
                taskContext(parent, name),
                future,
                takesAwaitersCancellation = takesAwaitersCancellation,
            )
        if (deadlineNanos != NO_DEADLINE) coroutine.startDeadline(deadlineNanos, subject)
        val start =
            when {
                startsInPlace -> CoroutineStart.UNDISPATCHED
                runsEvenIfCancelledEarly -> CoroutineStart.ATOMIC
                else -> CoroutineStart.DEFAULT
            }
        coroutine.start(start, coroutine, block)
        return future
    }

    companion object {
        const val NO_DEADLINE = -1L
    }
}
