package dev.corobridge.core

import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.CoroutineName

/**
 * The `CompletableFuture` side of a task. The Java `Task` extends it; the engine completes it from
 * the coroutine ([TaskCoroutine]) and cancels that coroutine when the future is cancelled.
 *
 * A future created by `newIncompleteFuture()` (a dependent stage such as `thenApply`) has no
 * coroutine; cancelling it cancels the task it was derived from.
 */
@InternalCorobridgeApi
public abstract class TaskFuture<T> protected constructor() : CompletableFuture<T>() {
    @Volatile internal var coroutine: TaskCoroutine<T>? = null
    @Volatile private var name: String? = null
    @Volatile private var source: TaskFuture<*>? = null // the task a dependent stage derives from

    /**
     * True once someone asked for the outcome (await, join, get, gather): its failure is then not
     * reported.
     */
    @Volatile internal var retrieved: Boolean = false
    @Volatile internal var failureRecord: FailureRecord? = null

    /** Records that the outcome was asked for, so that a failure is not reported as lost. */
    internal fun markRetrieved() {
        retrieved = true
        failureRecord?.retrieved = true
    }

    /**
     * The task's name: the one given at launch (also its coroutine's `CoroutineName`), else the
     * `CoroutineName` of the Kotlin scope that started it, else `Task-N` assigned on first request.
     */
    public fun name(): String =
        name
            ?: coroutine?.context?.get(CoroutineName)?.name
            ?: synchronized(this) { name ?: "Task-${NEXT_ID.incrementAndGet()}".also { name = it } }

    internal fun setName(name: String) {
        this.name = name
    }

    /**
     * True when the task's coroutine has finished, cleanup included (the future may be done
     * earlier).
     */
    internal val isSettled: Boolean
        get() = coroutine?.isCompleted ?: isDone

    /**
     * Cancels the future at once (JDK contract) and the coroutine underneath, with everything it
     * started. The coroutine's body sees a `CancellationException` at its next await.
     */
    override fun cancel(mayInterruptIfRunning: Boolean): Boolean {
        // One exception with a message for both sides, where CompletableFuture.cancel would make a
        // blank one.
        val cancellation = CancellationException("Task '${name()}' was cancelled")
        val cancelled = super.completeExceptionally(cancellation) || isCancelled
        val coroutine = coroutine
        if (coroutine != null) coroutine.cancel(cancellation) else source?.cancel(false)
        return cancelled
    }

    /**
     * Completing the future by hand ends the work behind it: nothing would read its result any
     * more.
     */
    override fun complete(value: T): Boolean {
        val completed = super.complete(value)
        if (completed)
            coroutine?.cancel(CancellationException("Task '${name()}' was completed by hand"))
        return completed
    }

    override fun completeExceptionally(ex: Throwable): Boolean {
        val completed = super.completeExceptionally(ex)
        if (completed)
            coroutine?.cancel(CancellationException("Task '${name()}' was completed by hand"))
        return completed
    }

    /**
     * Creates an incomplete task of the concrete kind: what dependent stages (`thenApply`, ...)
     * return.
     */
    protected abstract fun <U> newTask(): TaskFuture<U>

    /** A dependent stage receives this task's outcome, so its failure counts as retrieved. */
    final override fun <U> newIncompleteFuture(): CompletableFuture<U> {
        markRetrieved()
        return newTask<U>().also { it.source = this }
    }

    override fun join(): T {
        markRetrieved()
        return super.join()
    }

    override fun get(): T {
        markRetrieved()
        return super.get()
    }

    override fun get(timeout: Long, unit: java.util.concurrent.TimeUnit): T {
        markRetrieved()
        return super.get(timeout, unit)
    }

    internal fun settle(value: T) {
        super.complete(value)
    }

    internal fun settleExceptionally(cause: Throwable) {
        super.completeExceptionally(cause)
    }

    override fun toString(): String {
        val state =
            when {
                !isDone -> "pending"
                isCancelled -> "cancelled"
                isCompletedExceptionally -> "failed"
                else -> "done"
            }
        return "Task[${name()}, $state]"
    }

    private companion object {
        private val NEXT_ID = AtomicLong()
    }
}

/**
 * The outcome of a completed future: its value, or its own exception rethrown unwrapped. The one
 * place that unwraps `CompletionException`/`ExecutionException`, used by every path that reads a
 * result.
 */
@InternalCorobridgeApi
public fun <T> CompletableFuture<T>.outcome(): T {
    if (this is TaskFuture<*>) markRetrieved()
    try {
        @Suppress("UNCHECKED_CAST")
        return getNow(null) as T
    } catch (e: Throwable) {
        throw unwrapFutureException(e)
    }
}

/**
 * Removes the wrapper the JDK puts around a future's own exception: `CompletionException` and
 * `ExecutionException`, and, on newer JDKs, the fresh `CancellationException` that `getNow`/`join`
 * throw with the stored one as its cause.
 */
@InternalCorobridgeApi
public fun unwrapFutureException(e: Throwable): Throwable {
    val cause = e.cause ?: return e
    return when {
        e is java.util.concurrent.CompletionException || e is ExecutionException -> cause
        e is CancellationException && cause is CancellationException -> cause
        else -> e
    }
}

/** The task kind for work started outside corobridge's own tasks (a Kotlin caller's scope). */
internal class PlainTask<T> : TaskFuture<T>() {
    override fun <U> newTask(): TaskFuture<U> = PlainTask()
}
