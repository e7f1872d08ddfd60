package dev.corobridge.core

import java.util.concurrent.CancellationException
import java.util.concurrent.Executors
import java.util.concurrent.ScheduledThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.AbstractCoroutine
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job

/**
 * The coroutine behind a task; it completes the task's future when it finishes (its own kotlinx
 * children included: a Java body has none, the tasks it starts live in a job of their own).
 *
 * Failure policy, as in asyncio: a task's failure belongs to whoever awaits it, so a failed child
 * does not cancel its parent ([childCancelled] is false) and the failure is recorded for reporting
 * if nobody retrieves it. Task groups keep their own books ([GroupBody]).
 */
@OptIn(InternalCoroutinesApi::class)
internal open class TaskCoroutine<T>(
    parentContext: CoroutineContext,
    val future: TaskFuture<T>,
    attachToParentJob: Boolean = true,
    /**
     * A Java body cancelled while it awaits this task cancels this task and goes on waiting for it,
     * as asyncio cancels a task's `_fut_waiter`: tasks, gathers and waits do; sleeps and shields,
     * which settle at once when cancelled in asyncio, are not waited for.
     */
    val takesAwaitersCancellation: Boolean = false,
) : AbstractCoroutine<T>(parentContext, initParentJob = attachToParentJob, active = true) {
    init {
        future.coroutine = this
        trackOrigin(parentContext)
    }

    /** Debug mode: records where the task is being created, under [parentContext]'s loop. */
    protected fun trackOrigin(parentContext: CoroutineContext) {
        parentContext[TaskEnvironment]?.reports?.origins?.track(future)
    }

    override fun onCompleted(value: T) {
        future.settle(value)
        future.origin?.ended(future)
    }

    override fun onCancelled(cause: Throwable, handled: Boolean) {
        try {
            settleCancelled(cause)
        } finally {
            future.origin?.ended(future)
        }
    }

    private fun settleCancelled(cause: Throwable) {
        // Completed with its value by its own work (a block's body): that is its outcome.
        if (future.isDone && !future.isCompletedExceptionally) return
        // Only its own deadline times a task out; one it was cancelled by along with another
        // task is a cancellation (asyncio: the innermost timeout that did not expire propagates
        // the CancelledError).
        val failure =
            if (cause is DeadlineExceeded && cause.owner === this && timesOutOnItsDeadline)
                cause.toTimeoutException()
            else cause
        // Cancelled (or completed by hand) before the work ended, and the work then failed: its
        // cleanup's failure, which an await of the task gives, as in asyncio.
        if (!future.settleExceptionally(failure) && failure !is CancellationException)
            FailureReports.keepCleanupFailure(future, failure)
    }

    override fun childCancelled(cause: Throwable): Boolean = false

    override fun handleJobException(exception: Throwable): Boolean {
        val environment = context[TaskEnvironment]
        // Runs before onCancelled: a future that is done already was cancelled or completed by
        // hand, and this is the failure of the work's cleanup.
        FailureReports.record(environment?.reports, future, exception, isCleanup = future.isDone)
        return true
    }

    /**
     * True when this task was cancelled, first of all, by its own deadline (not a parent's). Read
     * from the cause, not kept in a field: every task would pay for one.
     */
    fun cancelledByOwnDeadline(): Boolean =
        isCancelled && (getCancellationException() as? DeadlineExceeded)?.owner === this

    /** Requests cancellation of a task already cancelled whose work still runs; see JavaBody. */
    open fun cancelAgain() {
        markCancelledAgain()
    }

    /** Asked to cancel again while cancelled: its own deadline then does not time it out. */
    @Volatile private var cancelledBesidesItsDeadline = false

    protected fun markCancelledAgain() {
        cancelledBesidesItsDeadline = true
    }

    /**
     * False when, cancelled by its own deadline, the task was also asked to cancel by someone else:
     * asyncio's timeout then lets the cancellation through instead of a timeout.
     */
    val timesOutOnItsDeadline: Boolean
        get() = !cancelledBesidesItsDeadline

    /**
     * Fails this task with [cause], which need not be a cancellation, as a failed child would;
     * false once it has completed.
     */
    fun fail(cause: Throwable): Boolean = cancelCoroutine(cause)

    override fun cancellationExceptionMessage(): String = "Task '${future.name()}' was cancelled"

    /**
     * Runs [block] on this task's dispatcher; in place on one that never dispatches (Unconfined).
     */
    internal fun dispatchOrRun(block: Runnable) {
        val dispatcher = context[ContinuationInterceptor] as CoroutineDispatcher
        if (dispatcher.isDispatchNeeded(context)) dispatcher.dispatch(context, block)
        else block.run()
    }

    /**
     * Cancels this task with a timeout after [nanos]; its future then fails with `TimeoutException`
     * naming [subject], the work that ran out of time (this task unless it was waiting for another
     * one).
     */
    fun startDeadline(nanos: Long, subject: String) {
        val expire = Runnable { cancel(DeadlineExceeded(nanos, subject, owner = this)) }
        val dispatcher = context[ContinuationInterceptor]
        if (nanos == 0L && dispatcher is LoopDispatcher) {
            // Expired already: asyncio queues the expiry (call_soon), it sets no timer.
            return dispatcher.dispatch(context, expire)
        }
        val handle: DisposableHandle =
            if (dispatcher is LoopDispatcher) dispatcher.scheduleNanos(nanos, expire)
            else Deadlines.schedule(nanos, expire)
        invokeOnCompletion { handle.dispose() }
    }
}

/** The cancellation cause of a task whose deadline passed. */
internal class DeadlineExceeded(nanos: Long, subject: String, val owner: TaskCoroutine<*>) :
    CancellationException("$subject did not finish within ${describeNanos(nanos)}") {
    fun toTimeoutException(): TimeoutException = TimeoutException(message)
}

internal fun describeNanos(nanos: Long): String =
    java.time.Duration.ofNanos(nanos).toString().substring(2).lowercase()

/**
 * Timers of tasks that do not run on an event loop (the loop has its own timer heap): deadlines and
 * sleeps. Its thread only starts the action, which must be short.
 */
internal object Deadlines {
    private val executor: ScheduledThreadPoolExecutor =
        (Executors.newScheduledThreadPool(1) { runnable ->
                Thread(runnable, "corobridge-timers").apply { isDaemon = true }
            } as ScheduledThreadPoolExecutor)
            .apply { removeOnCancelPolicy = true }

    /** Runs [action] after [nanos]; dispose the handle to cancel it. */
    fun schedule(nanos: Long, action: Runnable): DisposableHandle {
        val scheduled = executor.schedule(action, nanos, TimeUnit.NANOSECONDS)
        return DisposableHandle { scheduled.cancel(false) }
    }
}

/** Every coroutine (Kotlin `Job`) in the tree under [root] that is a running task. */
internal fun runningTasks(root: Job): List<TaskFuture<*>> {
    val found = ArrayList<TaskFuture<*>>()
    fun visit(job: Job) {
        if (job is TaskCoroutine<*> && !job.isCompleted) found.add(job.future)
        job.children.forEach(::visit)
    }
    visit(root)
    return found
}
