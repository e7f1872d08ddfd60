package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CompletableFuture

/** The engine's room for time: sleeps, yields and timeouts. Durations are in nanoseconds, >= 0. */
@InternalCorobridgeApi
public class Time private constructor(private val starter: TaskStarter) {
    /** A task that completes after [nanos]. */
    public fun sleep(nanos: Long): TaskFuture<Void?> = startSleep(nanos)

    /** A task that completes once every task ready now has had its turn (asyncio.sleep(0)). */
    public fun yieldNow(): TaskFuture<Void?> = startSleep(0)

    private fun startSleep(nanos: Long): TaskFuture<Void?> {
        val future = starter.newTask<Void?>(null)
        SleepCoroutine(starter.currentContext(), future).start(nanos)
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
        )

    /**
     * Awaits [task] for at most [nanos]; on timeout cancels it, awaits its cleanup and fails with
     * `TimeoutException`.
     */
    public fun <T> waitFor(task: CompletableFuture<T>, nanos: Long): TaskFuture<T> {
        val subject = if (task is TaskFuture<*>) "Task '${task.name()}'" else "the awaited future"
        return starter.start(
            starter.currentContext(),
            null,
            deadlineNanos = nanos,
            subject = subject,
            runsEvenIfCancelledEarly = true,
        ) {
            awaitOrCancel(task)
            task.outcome()
        }
    }

    internal companion object {
        @JvmSynthetic fun create(starter: TaskStarter): Time = Time(starter)
    }
}
