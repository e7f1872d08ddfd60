package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.BiFunction
import java.util.function.Function
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

/** The engine's room for many tasks at once: gather, wait, as_completed and task groups. */
@InternalCorobridgeApi
public class Groups private constructor(private val starter: TaskStarter) {
    /**
     * Results in argument order; fails with the first failure. Cancelling it cancels the tasks.
     * With [progress], each task is reported as it ends, until the gather does (see
     * [ProgressReport]).
     */
    public fun <T> gather(
        tasks: List<CompletableFuture<out T>>,
        progress: ProgressSink? = null,
    ): TaskFuture<List<T>> =
        starter.start(
            starter.currentContext(),
            null,
            startsInPlace = true,
            takesAwaitersCancellation = true,
        ) {
            val report = ProgressReport.start(tasks, progress, context)
            try {
                val firstFailure = awaitAllOrCancel(tasks, stopAtFailure = true)
                if (firstFailure >= 0) {
                    // asyncio's gather retrieves the exceptions of the children that fail after it.
                    for (task in tasks) if (task is TaskFuture<*>) task.markAllRetrieved()
                    report?.failure?.let { tasks[firstFailure].failureNow()?.addSuppressed(it) }
                    tasks[firstFailure].outcome()
                }
                report?.awaitAllReportedOrThrow()
                tasks.map { it.outcome() }
            } finally {
                report?.stop()
            }
        }

    /**
     * Waits for every task and maps each settled one with [outcome]; never fails because a task
     * did.
     */
    public fun <T, R> gatherSettled(
        tasks: List<CompletableFuture<out T>>,
        outcome: Function<CompletableFuture<out T>, R>,
        progress: ProgressSink? = null,
    ): TaskFuture<List<R>> =
        starter.start(
            starter.currentContext(),
            null,
            startsInPlace = true,
            takesAwaitersCancellation = true,
        ) {
            val report = ProgressReport.start(tasks, progress, context)
            try {
                awaitAllOrCancel(tasks, stopAtFailure = false)
                report?.awaitAllReportedOrThrow()
                tasks.map { task ->
                    if (task is TaskFuture<*>) task.markRetrieved()
                    outcome.apply(task)
                }
            } finally {
                report?.stop()
            }
        }

    /**
     * Runs a task group (asyncio's `TaskGroup`, see [GroupBody]): [body] receives the group's scope
     * and runs at once, as a block of the calling task; a failed child cancels the body and its
     * siblings, and the group fails with the first failure, the later ones attached as suppressed.
     */
    public fun <T> taskGroup(body: Function<TaskGroupScope, Callable<T>>): TaskFuture<T> {
        val future = starter.newTask<T>(null)
        val group = GroupBody(starter.taskContext(starter.currentContext(), null), future, starter)
        group.launchInPlace(body.apply(TaskGroupScope.create(group)))
        return future
    }

    /**
     * asyncio's `wait`: completes, without cancelling any of [futures], once they all have settled
     * ([returnWhen] [ALL_COMPLETED]), the first has ([FIRST_COMPLETED]), or the first failed or all
     * settled ([FIRST_EXCEPTION]); or once [timeoutNanos] passed (negative: no limit). Its value is
     * [result] of the futures settled by then and the others, each in the order given.
     */
    public fun <F : CompletableFuture<*>, R> wait(
        futures: List<F>,
        returnWhen: Int,
        timeoutNanos: Long,
        result: BiFunction<List<F>, List<F>, R>,
    ): TaskFuture<R> =
        starter.start(starter.currentContext(), null, startsInPlace = true) {
            val waiter = CompletableDeferred<Unit>()
            val left = AtomicInteger(futures.size)
            val handles =
                futures.map { future ->
                    future.noteAwaited() // waited for, not read (as asyncio's wait)
                    future.onSettled {
                        val enough =
                            left.decrementAndGet() <= 0 ||
                                returnWhen == FIRST_COMPLETED ||
                                (returnWhen == FIRST_EXCEPTION && future.failedNotCancelled())
                        if (enough) waiter.complete(Unit)
                    }
                }
            try {
                // asyncio sees even futures settled already through a callback: a turn later.
                if (waiter.isCompleted) yield()
                else if (timeoutNanos < 0) waiter.await()
                else withTimeoutOrNull(timeoutNanos.nanoseconds) { waiter.await() }
            } finally {
                handles.forEach { it.dispose() }
            }
            val (settled, pending) = futures.partition { it.isSettled() }
            result.apply(settled, pending)
        }

    /**
     * asyncio's `as_completed`: [futures] themselves, in the order they settle; with [timeoutNanos]
     * (negative: no limit), collecting fails with `TimeoutException` once that much time passed
     * with some still pending.
     */
    public fun <F : CompletableFuture<*>> asCompleted(
        futures: List<F>,
        timeoutNanos: Long,
        progress: ProgressSink? = null,
    ): Flow<F> = flow {
        var failed = 0
        val settled = Channel<F>(Channel.UNLIMITED)
        val handles =
            futures.map { future ->
                future.noteAwaited()
                future.onSettled { settled.trySend(future) }
            }
        val deadline = if (timeoutNanos < 0) Long.MAX_VALUE else System.nanoTime() + timeoutNanos
        try {
            repeat(futures.size) { emitted ->
                val next =
                    if (deadline == Long.MAX_VALUE) settled.receive()
                    else
                        withTimeoutOrNull(
                            (deadline - System.nanoTime()).coerceAtLeast(0).nanoseconds
                        ) {
                            settled.receive()
                        }
                            ?: throw TimeoutException(
                                "${futures.size - emitted} of ${futures.size} tasks did not " +
                                    "complete within ${describeNanos(timeoutNanos)}"
                            )
                if (progress != null) {
                    if (next.isCompletedExceptionally) failed++
                    progress.report(emitted + 1, failed, futures.size)
                }
                emit(next)
            }
        } finally {
            handles.forEach { it.dispose() }
        }
    }

    /** The scope a task group hands to its body. */
    public class TaskGroupScope private constructor(private val group: GroupBody<*>) {
        /** Starts [body] as a child of the group. */
        public fun <T> launch(name: String?, body: Callable<T>): TaskFuture<T> =
            group.launchChild(name, body)

        /** Ends the group early without an error; see [GroupBody.cancelGroup]. */
        public fun cancel() {
            group.cancelGroup()
        }

        internal companion object {
            @JvmSynthetic fun create(group: GroupBody<*>): TaskGroupScope = TaskGroupScope(group)
        }
    }

    public companion object {
        public const val ALL_COMPLETED: Int = 0
        public const val FIRST_COMPLETED: Int = 1
        public const val FIRST_EXCEPTION: Int = 2

        @JvmSynthetic internal fun create(starter: TaskStarter): Groups = Groups(starter)
    }
}

/** Settled with a failure of its own, not a cancellation (asyncio: `f.exception()` of a done f). */
private fun CompletableFuture<*>.failedNotCancelled(): Boolean =
    if (this is TaskFuture<*>) endedWithFailure else isCompletedExceptionally && !isCancelled
