package dev.corobridge.core

import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.function.BiConsumer
import kotlin.coroutines.resume
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine

/** True when [this] has finished for good: for a task, its coroutine's cleanup included. */
internal fun CompletableFuture<*>.isSettled(): Boolean =
    if (this is TaskFuture<*>) isSettled else isDone

/**
 * Registers [action] to run once [this] settles (see [isSettled]); runs it at once if it already
 * has.
 */
internal fun CompletableFuture<*>.whenSettled(action: () -> Unit) {
    val coroutine = (this as? TaskFuture<*>)?.coroutine
    if (coroutine != null) coroutine.invokeOnCompletion { action() }
    else whenComplete { _, _ -> action() }
}

/**
 * Suspends until [future] settles. Cancellable; the awaited future is left alone (cancelling it is
 * the caller's decision). Resumes normally in every case, so that the future's own exception is
 * read from the future and never passes through a coroutine resumption that could replace it with a
 * copy.
 */
internal suspend fun awaitSettled(future: CompletableFuture<*>) {
    // Tail calls only: this function then needs no state machine object of its own per await.
    val coroutine = (future as? TaskFuture<*>)?.coroutine
    return if (coroutine != null) coroutine.join() else awaitDone(future)
}

private suspend fun awaitDone(future: CompletableFuture<*>) {
    if (future.isDone) return
    suspendCancellableCoroutine { continuation ->
        val waiter = FutureWaiter(continuation)
        future.whenComplete(waiter)
        // The future keeps the waiter until it completes; drop the continuation so it is not kept
        // too.
        continuation.invokeOnCancellation { waiter.continuation = null }
    }
}

private class FutureWaiter(@Volatile var continuation: CancellableContinuation<Unit>?) :
    BiConsumer<Any?, Throwable?> {
    override fun accept(value: Any?, failure: Throwable?) {
        continuation?.resume(Unit)
        continuation = null
    }
}

/**
 * Suspends until every future in [futures] settled, or, with [stopAtFailure], until the first one
 * fails. Returns the index of that first failure, or -1.
 */
internal suspend fun awaitAll(futures: List<CompletableFuture<*>>, stopAtFailure: Boolean): Int {
    if (futures.isEmpty()) return -1
    return suspendCancellableCoroutine { continuation ->
        val waiter = AllSettled(futures, stopAtFailure, continuation)
        for (future in futures) {
            val coroutine = (future as? TaskFuture<*>)?.coroutine
            if (coroutine != null) coroutine.invokeOnCompletion(waiter)
            else future.whenComplete(waiter)
        }
    }
}

/**
 * One waiter registered with every future of an [awaitAll]: a gather of a million tasks costs a
 * completion node per task and nothing more.
 */
private class AllSettled(
    private val futures: List<CompletableFuture<*>>,
    private val stopAtFailure: Boolean,
    private val continuation: CancellableContinuation<Int>,
) : (Throwable?) -> Unit, BiConsumer<Any?, Throwable?> {
    @Volatile private var remaining = futures.size
    @Volatile private var resumed = 0

    /** A task's coroutine completed; [cause] is set when it failed or was cancelled. */
    override fun invoke(cause: Throwable?) = settledOne(failed = cause != null)

    /** A plain future completed. */
    override fun accept(value: Any?, failure: Throwable?) = settledOne(failed = failure != null)

    private fun settledOne(failed: Boolean) {
        if (failed && stopAtFailure) {
            // Which one failed is found by looking: the shared waiter is not told.
            val index = futures.indexOfFirst { it.isCompletedExceptionally && it.isSettled() }
            if (index >= 0) {
                if (RESUMED.compareAndSet(this, 0, 1)) continuation.resume(index)
                return
            }
        }
        if (REMAINING.decrementAndGet(this) == 0 && RESUMED.compareAndSet(this, 0, 1)) {
            continuation.resume(-1)
        }
    }

    private companion object {
        private val REMAINING =
            AtomicIntegerFieldUpdater.newUpdater(AllSettled::class.java, "remaining")
        private val RESUMED =
            AtomicIntegerFieldUpdater.newUpdater(AllSettled::class.java, "resumed")
    }
}
