package dev.corobridge.core

import java.nio.channels.ClosedByInterruptException
import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job

/**
 * Starts a task that runs blocking [work] on [dispatcher], a child of the current task; cancelling
 * the task interrupts the thread running it, and the task ends once the work has returned. With
 * [partOfItsAwaiter], a task body awaiting it that is cancelled waits for that end too.
 */
internal fun <T> TaskStarter.startInterruptible(
    dispatcher: CoroutineDispatcher,
    work: Callable<T>,
    partOfItsAwaiter: Boolean = false,
): TaskFuture<T> =
    start(currentContext() + dispatcher, null, takesAwaitersCancellation = partOfItsAwaiter) {
        runInterruptibly(this, work)
    }

/**
 * Runs blocking [work] on the calling thread, interrupting that thread if [job] is cancelled
 * meanwhile; the interrupt's own exception then reads as the cancellation.
 *
 * kotlinx's `runInterruptible` does the same, but it rethrows the work's exception through a scope
 * that may replace it with a recovered copy; here the work's own exception object is what the task
 * fails with.
 */
@OptIn(InternalCoroutinesApi::class)
internal fun <T> runInterruptibly(job: Job, work: Callable<T>): T {
    if (job.isCancelled) throw job.getCancellationException()
    val interrupter = Interrupter(Thread.currentThread())
    val handle =
        job.invokeOnCompletion(onCancelling = true, invokeImmediately = true, handler = interrupter)
    try {
        return work.call()
    } catch (e: Exception) {
        // The interrupt's own exceptions (InterruptedException, and ClosedByInterruptException from
        // a channel it closed) are the cancellation showing through: they read as that. Anything
        // else the work made of the interrupt is its own outcome (ADR 0012).
        if (
            (e is InterruptedException || e is ClosedByInterruptException) &&
                interrupter.interrupted()
        )
            throw CancellationException("the work was interrupted because its task was cancelled")
                .apply { initCause(e) }
        throw e
    } finally {
        handle.dispose()
        interrupter.finish()
    }
}

/**
 * Interrupts [thread] on cancellation, but never after the work has finished: the thread goes back
 * to a pool.
 */
private class Interrupter(private val thread: Thread) : (Throwable?) -> Unit {
    private val state = AtomicInteger(WORKING)

    override fun invoke(cause: Throwable?) {
        if (state.compareAndSet(WORKING, INTERRUPTING)) {
            thread.interrupt()
            state.set(INTERRUPTED)
        }
    }

    fun interrupted(): Boolean = state.get().let { it == INTERRUPTING || it == INTERRUPTED }

    fun finish() {
        while (true) {
            when (state.get()) {
                WORKING -> if (state.compareAndSet(WORKING, FINISHED)) return
                INTERRUPTING ->
                    Thread.onSpinWait() // the interrupt is being delivered; wait for it to land
                else -> {
                    Thread.interrupted() // clear it: it was meant for the work, not for the pool's
                    // next job
                    return
                }
            }
        }
    }

    private companion object {
        const val WORKING = 0
        const val INTERRUPTING = 1
        const val INTERRUPTED = 2
        const val FINISHED = 3
    }
}
