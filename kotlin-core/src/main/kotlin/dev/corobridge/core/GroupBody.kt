package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CompletableJob
import kotlinx.coroutines.SupervisorJob

/**
 * A task group, run as asyncio's `TaskGroup` runs. Its body is a block of the task that awaits the
 * group: it starts in place ([launchInPlace]), and the group's end resumes that task in the same
 * turn when the body ends last. Its children are ordinary tasks; each one's end reaches the group
 * as a queued callback (asyncio's `_on_task_done`), in which a failure aborts the group: the
 * children still running are cancelled, in the order they were started, and so is the body, at its
 * next await. The group then waits for them all and fails with the first failure, the later ones
 * attached as suppressed; a group that only saw cancellations ends as its body did.
 *
 * Its bookkeeping is guarded by [lock]: on a loop only the permit's holder touches it, but on a
 * parallel dispatcher children end on any thread.
 */
internal class GroupBody<T>(
    parentContext: CoroutineContext,
    future: TaskFuture<T>,
    private val starter: TaskStarter,
) : JavaBody<T>(parentContext, future) {
    private val lock = Any()
    private val running = LinkedHashSet<TaskFuture<*>>()
    private val failures = ArrayList<Throwable>()
    private var aborting = false
    private var bodyHasEnded = false
    private var cancelledWhileWaiting = false
    private var cancelledItsBody = false
    private var waitedForChildren = false
    /**
     * asyncio's wake-up of the task waiting in `__aexit__` after it was cancelled is queued: the
     * group ends in it, not in the callback of the child that ends last.
     */
    private var wakeUpQueued = false
    @Volatile private var childrenContext: CoroutineContext? = null
    @Volatile private var childrenJob: CompletableJob? = null

    /** Starts [body] as a child of the group (asyncio's `tg.create_task`). */
    fun <C> launchChild(name: String?, body: Callable<C>): TaskFuture<C> {
        synchronized(lock) {
            check(!(bodyHasEnded && running.isEmpty())) {
                "the task group '${future.name()}' has finished; launch its tasks inside its body"
            }
            check(!aborting) {
                "the task group '${future.name()}' is shutting down after a failure or a cancellation; " +
                    "it takes no new tasks"
            }
        }
        val child = starter.startBody(childContext(), name, body)
        synchronized(lock) { running.add(child) }
        // Registered after the child is in `running`: one that ended already is called back now.
        child.onSettled { step { childEnded(child) } }
        return child
    }

    /** The group was ended early by [cancelGroup]: the cancellations it caused are no error. */
    @Volatile private var cancelledOnPurpose = false

    /**
     * asyncio 3.15's `tg.cancel()`: cancels the children still running and the body (at its next
     * await); the group then ends without an error once they have, as its body's value or `null`. A
     * group that has finished, or is already shutting down, is left as it is.
     */
    fun cancelGroup() {
        val bodyRunning: Boolean
        synchronized(lock) {
            if (aborting || (bodyHasEnded && running.isEmpty())) return
            aborting = true
            cancelledOnPurpose = true
            bodyRunning = !bodyHasEnded
        }
        cancelRunning()
        if (bodyRunning) {
            cancelledItsBody = true
            requestCancellation(
                CancellationException("the task group '${future.name()}' was cancelled by cancel()")
            )
        }
    }

    /** Children belong to the loop's main task, as every task does; the group waits for them. */
    private fun childContext(): CoroutineContext =
        childrenContext
            ?: synchronized(lock) {
                childrenContext
                    ?: SupervisorJob(context[TaskEnvironment]?.root).let { job ->
                        childrenJob = job
                        (context + job).also { childrenContext = it }
                    }
            }

    /** A turn of the group's own, queued: asyncio runs a done-callback with `call_soon`. */
    private fun step(action: () -> Unit) {
        val run = Runnable(action)
        val loop = loop
        if (loop != null) loop.dispatch(context, run) else dispatchOrRun(run)
    }

    private fun childEnded(child: TaskFuture<*>) {
        val failure = failureOf(child)
        var abort = false
        var wakeUp = false
        val groupDone: Boolean
        synchronized(lock) {
            running.remove(child)
            if (failure != null) {
                failures.add(failure)
                if (!aborting) {
                    aborting = true
                    abort = true
                    // asyncio cancels the task, which is waiting for the children if its body
                    // has ended: that wakes it one turn later.
                    wakeUp = bodyHasEnded && !wakeUpQueued
                    if (wakeUp) wakeUpQueued = true
                }
            }
            groupDone = bodyHasEnded && running.isEmpty() && !wakeUpQueued
        }
        if (abort) {
            cancelRunning()
            cancelledItsBody = true
            requestCancellation(
                CancellationException(
                    "the task group '${future.name()}' is cancelling its body: a task in it failed"
                )
            )
        }
        if (wakeUp) step { wokenWhileWaiting(cancelledFromOutside = false) }
        if (groupDone) end(inCallersTurn = false)
    }

    /**
     * asyncio's task, cancelled while it waits for the children in `__aexit__`, wakes up: a
     * cancellation from outside aborts the group now; with no child left, the group ends and the
     * task goes on in this turn, else it waits again for the last child.
     */
    private fun wokenWhileWaiting(cancelledFromOutside: Boolean) {
        var abort = false
        val groupDone: Boolean
        synchronized(lock) {
            wakeUpQueued = false
            if (cancelledFromOutside) {
                cancelledWhileWaiting = true
                if (!aborting) {
                    aborting = true
                    abort = true
                }
            }
            groupDone = running.isEmpty()
        }
        if (abort) cancelRunning()
        if (groupDone) end(inCallersTurn = true)
    }

    /**
     * What the group takes from a child that ended: its failure; null for a value or a
     * cancellation.
     */
    private fun failureOf(child: TaskFuture<*>): Throwable? {
        val failure = runCatching { child.outcome() }.exceptionOrNull()
        child.markAllRetrieved() // the group retrieves them, as asyncio's does
        return if (failure is CancellationException) null else failure
    }

    override fun bodyEnded(): Boolean {
        val failure = failure
        var abort = false
        val groupDone: Boolean
        synchronized(lock) {
            bodyHasEnded = true
            if (failure != null && failure !is CancellationException) failures.add(failure)
            if (failure != null && !aborting) {
                aborting = true
                abort = true
            }
            groupDone = running.isEmpty()
        }
        if (abort) cancelRunning()
        if (!groupDone) {
            waitedForChildren = true
            return false
        }
        settleOutcome()
        return true // the task awaiting the group goes on in this turn
    }

    override fun onCancelling(cause: Throwable?) {
        super.onCancelling(cause)
        if (cause !is CancellationException) return
        // Cancelled while it waits for its children after its body: asyncio's wake-up of the
        // waiting task, one turn later, aborts the group.
        val wakeUp =
            synchronized(lock) {
                (bodyHasEnded && running.isNotEmpty() && !wakeUpQueued).also {
                    if (it) wakeUpQueued = true
                }
            }
        if (wakeUp) step { wokenWhileWaiting(cancelledFromOutside = true) }
    }

    // A group that waited for its children took a cancellation that came meanwhile (asyncio's
    // __aexit__ catches it in its wait).
    override fun leavesCancellationToItsTask(): Boolean =
        !waitedForChildren && super.leavesCancellationToItsTask()

    private fun cancelRunning() {
        val toCancel = synchronized(lock) { running.toList() }
        // Still running, cleanup included (asyncio's `not t.done()`): one cleaning up after a
        // cancellation gets another.
        for (task in toCancel) if (!task.isSettled) task.cancel(false)
    }

    private fun end(inCallersTurn: Boolean) {
        settleOutcome()
        endsInCallersTurn = inCallersTurn
        complete()
    }

    /** The group's outcome: its first failure, else its cancellation, else the body's. */
    private fun settleOutcome() {
        childrenJob?.complete()
        // The cancellation it asked of its body ends with it (asyncio: `uncancel()` at exit).
        if (cancelledItsBody) dropRequestedCancellation()
        val all = synchronized(lock) { failures.toList() }
        if (all.isNotEmpty()) {
            val first = all[0]
            for (later in all.drop(1)) if (later !== first) first.addSuppressed(later)
            failure = first
        } else if (cancelledWhileWaiting && failure == null) {
            failure = getCancellationException()
        } else if (cancelledOnPurpose && !isCancelled && failure is CancellationException) {
            failure = null // the body's cancellation was the group's own doing
        }
    }
}
