package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeoutException
import kotlin.coroutines.ContinuationInterceptor

/** The engine's room for time: sleeps, yields and timeouts. Durations are in nanoseconds, >= 0. */
@InternalCorobridgeApi
public class Time private constructor(private val starter: TaskStarter) {
    /** A task that completes after [nanos]. */
    public fun sleep(nanos: Long): TaskFuture<Void?> = startSleep(nanos)

    /** A task that completes once every task ready now has had its turn (asyncio.sleep(0)). */
    public fun yieldNow(): TaskFuture<Void?> = startSleep(0)

    private fun startSleep(nanos: Long): TaskFuture<Void?> {
        val future = starter.newTask<Void?>(null)
        SleepCoroutine(starter.sleepContext(), future).start(nanos)
        return future
    }

    /** Runs [body] as a task that is cancelled after [nanos], failing with `TimeoutException`. */
    public fun <T> timeout(nanos: Long, body: Callable<T>): TaskFuture<T> =
        starter.startBody(
            starter.currentContext(),
            null,
            body,
            deadlineNanos = nanos,
            subject = "the body of Async.timeout",
            runsIfItsDeadlinePassed = true,
            inPlace = true, // asyncio.timeout is a block of the awaiting task
        )

    /**
     * Awaits [task] for at most [nanos]; on timeout cancels it, awaits its cleanup and fails with
     * `TimeoutException`.
     */
    public fun <T> waitFor(task: CompletableFuture<T>, nanos: Long): TaskFuture<T> {
        task.noteAwaited()
        // asyncio's wait_for is a coroutine of the awaiting task, like a primitive's operation.
        val waited = startWaitFor(task, nanos).also { it.isOperation = true }
        // A primitive's operation that succeeded while the wait ended without its value (the
        // deadline, a cancellation came first) is undone: no permit or item is lost with it.
        if (task is TaskFuture<*> && task.isOperation)
            waited.onSettled {
                if (
                    waited.isCompletedExceptionally && task.isDone && !task.isCompletedExceptionally
                )
                    task.undoOperation()
            }
        return waited
    }

    private fun <T> startWaitFor(task: CompletableFuture<T>, nanos: Long): TaskFuture<T> {
        val subject = if (task is TaskFuture<*>) "Task '${task.name()}'" else "the awaited future"
        // asyncio's wait_for runs in the awaiting task: it starts in place, and a wait that
        // ends when the task does resumes its awaiter in that same turn.
        if (nanos == 0L) {
            // No time at all: a settled task's outcome now, else the task is cancelled and
            // awaited (asyncio's _cancel_and_wait).
            return starter.start(
                starter.currentContext(),
                null,
                startsInPlace = true,
                takesAwaitersCancellation = true,
            ) {
                if (!task.isSettled()) {
                    task.cancel(false)
                    try {
                        awaitSettledOrCancellation(task)
                    } catch (e: CancellationException) {
                        // Cancelled itself: asyncio's awaiting task is woken at once.
                        (context[ContinuationInterceptor] as? LoopDispatcher)?.resumesInTurn =
                            future
                        throw e
                    }
                    // What it ended with, unless that is the cancellation (asyncio: TimeoutError).
                    try {
                        return@start task.outcome()
                    } catch (e: CancellationException) {
                        throw TimeoutException("$subject did not finish within ${describeNanos(0)}")
                    }
                }
                task.outcome()
            }
        }
        return starter.start(
            starter.currentContext(),
            null,
            deadlineNanos = nanos,
            subject = subject,
            startsInPlace = true,
            takesAwaitersCancellation = true,
        ) {
            try {
                awaitOrCancel(task)
                task.outcome()
            } finally {
                (context[ContinuationInterceptor] as? LoopDispatcher)?.resumesInTurn = future
            }
        }
    }

    internal companion object {
        @JvmSynthetic fun create(starter: TaskStarter): Time = Time(starter)
    }
}
