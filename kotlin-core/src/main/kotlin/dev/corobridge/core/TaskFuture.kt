package dev.corobridge.core

import java.util.Objects
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import java.util.function.BiConsumer
import java.util.function.Supplier
import kotlin.coroutines.ContinuationInterceptor
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
    @get:JvmSynthetic @set:JvmSynthetic @Volatile internal var coroutine: TaskCoroutine<T>? = null
    @Volatile private var name: String? = null
    /** For a dependent stage: what it derives from; null for a task. */
    @Volatile private var derivation: Derivation? = null

    /**
     * True once someone asked for the outcome (await, join, get, gather, a dependent stage): a
     * failure of the task is then not reported.
     */
    @get:JvmSynthetic @set:JvmSynthetic @Volatile internal var retrieved: Boolean = false

    /**
     * A coordination primitive's operation (an acquire, a get) or a `waitFor`: asyncio runs it
     * inside the awaiting task, so a cancellation pending when a body awaits it is passed to it,
     * and one that finds it done waits for the body's next await (see JavaBody.awaitOperation).
     */
    @get:JvmSynthetic @set:JvmSynthetic internal var isOperation: Boolean = false

    /** How a succeeded operation undoes itself (a release, an item put back) if nobody takes it. */
    private var undo: (() -> Unit)? = null

    @JvmSynthetic
    internal fun keepUndo(undo: () -> Unit) {
        synchronized(this) { this.undo = undo }
    }

    /** [keepUndo] for a task no other thread can see yet: no monitor needed. */
    @JvmSynthetic
    internal fun keepUndoBeforePublishing(undo: () -> Unit) {
        this.undo = undo
    }

    /**
     * Undoes a succeeded operation whose value did not reach anyone (what awaited it ended with a
     * timeout or a cancellation instead); once at most.
     */
    @JvmSynthetic
    internal fun undoOperation() {
        val undo = synchronized(this) { undo.also { undo = null } } ?: return
        undo()
    }

    /**
     * True once the outcome was read after the task settled (await, gather): a failure of the
     * cleanup of a cancelled task is then not reported. `join()` cannot give it (the JDK contract
     * is a `CancellationException`), so it does not count.
     */
    @get:JvmSynthetic @set:JvmSynthetic @Volatile internal var cleanupRetrieved: Boolean = false
    @get:JvmSynthetic @set:JvmSynthetic @Volatile internal var failureRecord: FailureRecord? = null

    /**
     * What the coroutine failed with after this future was already cancelled: asyncio's `await t`
     * of a task whose cleanup raised gives that exception, and so does [outcome]. Kept in the
     * failure record, not a field of its own: every task would pay for it (memory per task is a
     * measured target, docs/benchmarks.md).
     */
    private val cleanupFailure: Throwable?
        get() = failureRecord?.takeIf { it.isCleanup }?.exception

    /**
     * True when the settled task's work ended with a failure, not a cancellation: its own, or that
     * of its cleanup after it was cancelled. Reads without retrieving.
     */
    @get:JvmSynthetic
    internal val endedWithFailure: Boolean
        get() = isSettled && isCompletedExceptionally && (!isCancelled || cleanupFailure != null)

    /**
     * Debug mode: where and when the task was created; null out of debug mode, and for tasks the
     * engine creates for its own work. Set before the task is published, never changed.
     */
    @get:JvmSynthetic @set:JvmSynthetic internal var origin: TaskOrigin? = null

    /** Someone waits for the task or reads its outcome: debug mode does not report it. */
    @JvmSynthetic
    internal fun markAwaited() {
        origin?.awaited()
    }

    /** An action given to `whenComplete` received this future's failure. */
    @Volatile private var failureSeen = false

    /** Records that the outcome was asked for, so that a failure is not reported as lost. */
    @JvmSynthetic
    internal fun markRetrieved() {
        markAwaited()
        retrieved = true
        failureRecord?.let { if (!it.isCleanup) it.retrieved = true }
    }

    /** Like [markRetrieved], for a cleanup failure too (gather's siblings, as asyncio). */
    @JvmSynthetic
    internal fun markAllRetrieved() {
        cleanupRetrieved = true
        markRetrieved()
        failureRecord?.retrieved = true
    }

    /**
     * Marks the outcome retrieved for a reader of the settled task and returns the failure that
     * reader gets instead of the future's own cancellation, if any.
     */
    @JvmSynthetic
    internal fun retrieveOutcome(): Throwable? {
        // kotlinx marks a coroutine complete a moment before its completion sets this future (on
        // its fast path): a reader on another thread that saw it complete waits for that moment.
        if (!isDone && coroutine?.isCompleted == true) while (!isDone) Thread.onSpinWait()
        markAwaited()
        // A task that succeeded has no failure to report: no need to mark it (a volatile write
        // per await on the hot paths).
        if (isDone && !isCompletedExceptionally) return null
        markRetrieved()
        if (!isSettled || !isCancelled) return null
        val failure = cleanupFailure ?: return null
        markAllRetrieved()
        return failure
    }

    /**
     * The task's name: the one given at launch (also its coroutine's `CoroutineName`), else the
     * `CoroutineName` of the Kotlin scope that started it, else `Task-N` assigned on first request.
     */
    public fun name(): String =
        name
            ?: coroutine?.context?.get(CoroutineName)?.name
            ?: synchronized(this) { name ?: "Task-${NEXT_ID.incrementAndGet()}".also { name = it } }

    @JvmSynthetic
    internal fun setName(name: String) {
        this.name = name
    }

    /**
     * True when the task's coroutine has finished, cleanup included (the future may be done
     * earlier).
     */
    @get:JvmSynthetic
    internal val isSettled: Boolean
        get() = (coroutine?.isCompleted ?: true) && isDone

    /**
     * Cancels the future at once (JDK contract) and the coroutine underneath, with everything it
     * started. The coroutine's body sees a `CancellationException` at its next await. A future that
     * had already completed is left as it is, and so is the work behind it, except that a task
     * cancelled before and still cleaning up gets another cancellation at its next await (asyncio).
     */
    override fun cancel(mayInterruptIfRunning: Boolean): Boolean {
        // One exception with a message for both sides, where CompletableFuture.cancel would make a
        // blank one.
        markAwaited() // whoever cancels it has dealt with it
        val cancellation = CancellationException("Task '${name()}' was cancelled")
        val coroutine = coroutine
        // Cancelled already (its deadline, a cancelled parent) and still cleaning up: asyncio
        // delivers another cancellation.
        val cancelledBefore = coroutine?.isCancelled == true
        if (!super.completeExceptionally(cancellation)) {
            if (isCancelled) coroutine?.cancelAgain()
            return isCancelled
        }
        when {
            cancelledBefore -> coroutine.cancelAgain()
            coroutine != null -> coroutine.cancel(cancellation)
            else -> derivation?.source?.cancel(false)
        }
        return true
    }

    /**
     * Cancels the work, not the future: the future completes as the work ends, with the value of
     * work that finished regardless (a block's body that returned, an operation that took what it
     * waited for), else cancelled. How a cancellation reaches what a body awaits as part of itself.
     */
    @JvmSynthetic
    internal fun cancelWork() {
        val coroutine = coroutine ?: return
        if (coroutine.isCancelled) coroutine.cancelAgain()
        else coroutine.cancel(CancellationException("Task '${name()}' was cancelled"))
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
     * Refused: overwriting the outcome of a task would detach it from the work that computes it.
     * Use [cancel] or [complete], which end that work.
     */
    override fun obtrudeValue(value: T): Unit =
        throw UnsupportedOperationException(
            "Task '${name()}' cannot be obtruded: its outcome belongs to its work; use cancel() or complete(value), which stop it"
        )

    /** Refused, like [obtrudeValue]. */
    override fun obtrudeException(ex: Throwable): Unit =
        throw UnsupportedOperationException(
            "Task '${name()}' cannot be obtruded: its outcome belongs to its work; use cancel() or completeExceptionally(ex), which stop it"
        )

    /** Completes through [complete], so that the work behind the task ends as well. */
    override fun completeAsync(
        supplier: Supplier<out T>,
        executor: Executor,
    ): CompletableFuture<T> {
        executor.execute {
            try {
                complete(supplier.get())
            } catch (e: Throwable) {
                completeExceptionally(e)
            }
        }
        return this
    }

    /**
     * Creates an incomplete task of the concrete kind: what dependent stages (`thenApply`, ...)
     * return.
     */
    protected abstract fun <U> newTask(): TaskFuture<U>

    /**
     * A dependent stage receives this task's outcome, so this task's failure counts as retrieved;
     * the stage's own failure is reported in its place if nobody retrieves it.
     */
    final override fun <U> newIncompleteFuture(): CompletableFuture<U> {
        val dependent = newTask<U>()
        if (WATCHING.get() == true) {
            // An engine callback's stage: nothing to report. Consumed here, before the callback
            // runs, so that code it resumes in place creates stages as usual.
            WATCHING.set(false)
            return dependent
        }
        markRetrieved()
        dependent.derivation =
            Derivation(
                this,
                coroutine?.context?.get(TaskEnvironment)?.reports ?: derivation?.reports,
            )
        dependent.whenCompleteUnwatched { _, failure ->
            if (failure != null) dependent.dependentFailed(unwrapFutureException(failure))
        }
        return dependent
    }

    private fun dependentFailed(failure: Throwable) {
        if (failure is CancellationException) return // whoever cancelled it knows
        val derivation = derivation
        val source = derivation?.source
        // `whenComplete` passes its source's failure on to an action that has seen it.
        if (source != null && source.failureSeen && failure === source.failureNow()) return
        FailureReports.record(derivation?.reports, this, failure, isCleanup = false)
    }

    override fun whenComplete(action: BiConsumer<in T, in Throwable>): CompletableFuture<T> {
        if (WATCHING.get() == true) return super.whenComplete(action)
        return super.whenComplete(seeing(action))
    }

    override fun whenCompleteAsync(action: BiConsumer<in T, in Throwable>): CompletableFuture<T> =
        super.whenCompleteAsync(seeing(action))

    override fun whenCompleteAsync(
        action: BiConsumer<in T, in Throwable>,
        executor: Executor,
    ): CompletableFuture<T> = super.whenCompleteAsync(seeing(action), executor)

    private fun seeing(action: BiConsumer<in T, in Throwable>): BiConsumer<in T, in Throwable> {
        Objects.requireNonNull(action, "action")
        // The JDK passes a null failure on success: a non-null parameter here would throw.
        @Suppress("UNCHECKED_CAST") val nullable = action as BiConsumer<in T, in Throwable?>
        return BiConsumer<T, Throwable?> { value, failure ->
            if (failure != null) failureSeen = true
            nullable.accept(value, failure)
        }
    }

    override fun join(): T {
        refuseToBlockOwnLoop("join()")
        markRetrieved()
        return super.join()
    }

    override fun get(): T {
        refuseToBlockOwnLoop("get()")
        markRetrieved()
        return super.get()
    }

    override fun get(timeout: Long, unit: TimeUnit): T {
        refuseToBlockOwnLoop("get(timeout)")
        markRetrieved()
        return super.get(timeout, unit)
    }

    /**
     * Blocking the thread that holds a loop's run permit, on a task of that loop, would wait
     * forever: the task can only finish when the loop runs.
     */
    private fun refuseToBlockOwnLoop(verb: String) {
        if (isDone) return
        val running = JavaBody.current()?.loop ?: LoopDispatcher.running() ?: return
        if (loop() !== running) return
        throw IllegalStateException(
            "$verb on Task '${name()}' inside a task of the same event loop would block that loop forever: " +
                "use await(), which suspends only the calling task"
        )
    }

    /** The event loop this task runs on, or null. */
    private fun loop(): LoopDispatcher? {
        val coroutine = coroutine ?: return derivation?.source?.loop()
        return coroutine.context[ContinuationInterceptor] as? LoopDispatcher
    }

    @JvmSynthetic
    internal fun settle(value: T) {
        super.complete(value)
    }

    /** Returns false if the future had already completed (cancelled, or completed by hand). */
    @JvmSynthetic internal fun trySettle(value: T): Boolean = super.complete(value)

    /** Returns false if the future had already completed (cancelled, or completed by hand). */
    @JvmSynthetic
    internal fun settleExceptionally(cause: Throwable): Boolean = super.completeExceptionally(cause)

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
 * What a dependent stage derives from: [source], whose cancellation it passes on, and the [reports]
 * of the loop its own failure goes to. One object, and only for stages.
 */
private class Derivation(val source: TaskFuture<*>, val reports: FailureReports?)

/** [TaskFuture.markAwaited] for a future that may be a task: someone waits for it to settle. */
internal fun CompletableFuture<*>.noteAwaited() {
    (this as? TaskFuture<*>)?.markAwaited()
}

/** Set while the engine registers a callback of its own: it is no stage to watch for failures. */
private val WATCHING = ThreadLocal<Boolean>()

/**
 * Registers [action] on this future without creating a stage that would itself be watched for
 * unreported failures, or count as a user's action that saw the failure: for the engine's own
 * callbacks.
 */
internal fun <T> CompletableFuture<T>.whenCompleteUnwatched(
    action: BiConsumer<in T, in Throwable?>
) {
    if (this !is TaskFuture<*>) {
        whenComplete(action)
        return
    }
    WATCHING.set(true)
    try {
        whenComplete(action)
    } finally {
        WATCHING.set(false)
    }
}

/**
 * The outcome of a completed future: its value, or its own exception rethrown unwrapped. The one
 * place that unwraps `CompletionException`/`ExecutionException`, used by every path that reads a
 * result.
 */
@InternalCorobridgeApi
public fun <T> CompletableFuture<T>.outcome(): T {
    if (this is TaskFuture<*>) retrieveOutcome()?.let { throw it }
    try {
        @Suppress("UNCHECKED_CAST")
        return getNow(null) as T
    } catch (e: Throwable) {
        throw unwrapFutureException(e)
    }
}

/**
 * The exception of a future that completed exceptionally, unwrapped, without counting as retrieving
 * it; null if it has not failed (yet).
 */
@JvmSynthetic
internal fun CompletableFuture<*>.failureNow(): Throwable? {
    if (!isCompletedExceptionally) return null
    return try {
        getNow(null)
        null
    } catch (e: Throwable) {
        unwrapFutureException(e)
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
