package dev.corobridge.core

import java.util.WeakHashMap
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlin.coroutines.intrinsics.intercepted
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withContext

/** True when [this] has finished for good: for a task, its coroutine's cleanup included. */
internal fun CompletableFuture<*>.isSettled(): Boolean =
    if (this is TaskFuture<*>) isSettled else isDone

/**
 * Calls [handler] once [this] settles (see [isSettled]), at once if it already has, with the
 * failure or null. Disposing the handle removes the registration, from a task and from a plain
 * future alike: every await registers through here, so that a cancelled await leaves nothing behind
 * on what it waited for.
 */
@OptIn(InternalCoroutinesApi::class)
internal fun CompletableFuture<*>.onSettled(handler: (Throwable?) -> Unit): DisposableHandle {
    val coroutine = (this as? TaskFuture<*>)?.coroutine
    return if (coroutine != null) coroutine.invokeOnCompletion(handler)
    else PlainFutureCallbacks.register(this, handler)
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
        val registration = PlainFutureCallbacks.register(future) { continuation.resume(Unit) }
        continuation.invokeOnCancellation { registration.dispose() }
    }
}

/**
 * Suspends until every future in [futures] settled, or, with [stopAtFailure], until the first one
 * fails. Returns the index of that first failure, or -1.
 */
internal suspend fun awaitAll(futures: List<CompletableFuture<*>>, stopAtFailure: Boolean): Int {
    if (futures.isEmpty()) return -1
    return suspendCancellableCoroutine { continuation ->
        // Futures settled already count at once, so that a gather of settled tasks started in
        // place is settled when it returns (asyncio 3.12+ runs their callbacks eagerly).
        val waiter = AllSettled(futures, stopAtFailure, continuation)
        // A task's completion node goes when the task does; a plain future would keep its
        // registration until it completes, which may be never.
        var plain: ArrayList<DisposableHandle>? = null
        for (future in futures) {
            val registration = future.onSettled(waiter)
            if (future !is TaskFuture<*> || future.coroutine == null)
                (plain ?: ArrayList<DisposableHandle>().also { plain = it }).add(registration)
        }
        plain?.let { handles ->
            continuation.invokeOnCancellation { handles.forEach { it.dispose() } }
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
) : (Throwable?) -> Unit {
    @Volatile private var remaining = futures.size
    @Volatile private var resumed = 0

    /** A future settled; [cause] is set when it failed or was cancelled. */
    override fun invoke(cause: Throwable?) {
        val index = if (cause != null && stopAtFailure) failedIndex() else -1
        if (index < 0 && REMAINING.decrementAndGet(this) != 0) return
        if (RESUMED.compareAndSet(this, 0, 1)) continuation.resume(index)
    }

    // Which one failed is found by looking: the shared waiter is not told.
    private fun failedIndex(): Int =
        futures.indexOfFirst { it.isCompletedExceptionally && it.isSettled() }

    private companion object {
        private val REMAINING =
            AtomicIntegerFieldUpdater.newUpdater(AllSettled::class.java, "remaining")
        private val RESUMED =
            AtomicIntegerFieldUpdater.newUpdater(AllSettled::class.java, "resumed")
    }
}

/**
 * Callbacks on futures that are not corobridge tasks. A `CompletableFuture` cannot drop a
 * dependent, so an await that registered one of its own would leave it behind when cancelled (100k
 * cancelled awaits of a long-lived shutdown signal kept ~130 MB until it completed). Instead each
 * future gets one dependent, a [Hub], and awaits come and go in the hub's set.
 *
 * Hubs are found by the future's identity in a weak map: a hub never refers to its future, so an
 * unreachable future that never completes takes its hub with it.
 */
internal object PlainFutureCallbacks {
    private val hubs = WeakHashMap<CompletableFuture<*>, Hub>() // guarded by itself

    fun register(future: CompletableFuture<*>, handler: (Throwable?) -> Unit): DisposableHandle {
        val registration = Registration(handler)
        var created: Hub? = null
        val hub =
            synchronized(hubs) {
                hubs[future]
                    ?: Hub().also {
                        hubs[future] = it
                        created = it
                    }
            }
        if (!hub.add(registration)) { // that hub has fired: the future is done
            handler(future.failureNow())
            return NothingToDispose
        }
        registration.hub = hub
        // Outside the lock: on a completed future the hub fires right here.
        created?.let { future.whenCompleteUnwatched(it) }
        return registration
    }

    private class Hub : java.util.function.BiConsumer<Any?, Throwable?> {
        private var waiting: LinkedHashSet<Registration>? = LinkedHashSet() // null once fired

        fun add(registration: Registration): Boolean =
            synchronized(this) { waiting?.add(registration) != null }

        fun remove(registration: Registration) {
            synchronized(this) { waiting?.remove(registration) }
        }

        override fun accept(value: Any?, failure: Throwable?) {
            val fired = synchronized(this) { waiting.also { waiting = null } } ?: return
            val cause = failure?.let(::unwrapFutureException)
            for (registration in fired) registration.handler(cause)
        }
    }

    private object NothingToDispose : DisposableHandle {
        override fun dispose() {}
    }

    private class Registration(val handler: (Throwable?) -> Unit) : DisposableHandle {
        @Volatile var hub: Hub? = null

        override fun dispose() {
            hub?.remove(this)
            hub = null
        }
    }
}

/**
 * Suspends until [future] settles, or throws the calling coroutine's cancellation if that comes
 * first, in asyncio's turns: the settlement is seen in a turn queued when the future settles (a
 * done-callback), and a cancellation that comes before that turn runs wins, woken in a turn of its
 * own (the cancelled waiter's), unlike kotlinx's prompt cancellation of a queued resumption.
 */
@OptIn(InternalCoroutinesApi::class)
internal suspend fun awaitSettledOrCancellation(future: CompletableFuture<*>) {
    if (future.isSettled()) return
    val context = currentCoroutineContext()
    val loop = context[ContinuationInterceptor] as? LoopDispatcher
    val job = context[Job]
    val resumed = java.util.concurrent.atomic.AtomicBoolean()
    var registration: DisposableHandle? = null
    var cancellation: DisposableHandle? = null
    try {
        suspendCoroutineUninterceptedOrReturn<Unit> { continuation ->
            registration =
                future.onSettled {
                    val seen = Runnable {
                        // In the turn itself: resumed in place.
                        if (resumed.compareAndSet(false, true)) continuation.resume(Unit)
                    }
                    if (loop != null) loop.dispatch(context, seen)
                    else if (resumed.compareAndSet(false, true))
                        continuation.intercepted().resume(Unit)
                }
            cancellation =
                job?.invokeOnCompletion(onCancelling = true) { cause ->
                    if (resumed.compareAndSet(false, true))
                        continuation
                            .intercepted()
                            .resumeWithException(
                                cause as? CancellationException
                                    ?: CancellationException(cause?.message)
                            )
                }
            COROUTINE_SUSPENDED
        }
    } finally {
        registration?.dispose()
        cancellation?.dispose()
    }
}

/**
 * Awaits [task]; if the calling coroutine is cancelled meanwhile, cancels [task] at that moment (as
 * asyncio cancels what a task awaits) and goes on waiting for it. The caller then reads the task's
 * outcome: a failure or value it ended with despite the cancellation stands.
 */
internal suspend fun awaitOrCancel(task: CompletableFuture<*>) {
    awaitAllOrCancel(listOf(task), stopAtFailure = true)
}

/**
 * Like [awaitOrCancel] for every future of [tasks] (asyncio's gather): a cancellation cancels them
 * all at once, and the wait goes on until they have ended (with [stopAtFailure], until the first
 * one fails or ends cancelled, whose index is returned). Throws the cancellation only when no task
 * failed first.
 */
@OptIn(InternalCoroutinesApi::class)
internal suspend fun awaitAllOrCancel(
    tasks: List<CompletableFuture<*>>,
    stopAtFailure: Boolean,
): Int {
    tasks.forEach { it.noteAwaited() }
    val job = currentCoroutineContext()[Job] ?: return awaitAll(tasks, stopAtFailure)
    // Whether the cancellation reached a task still running: asyncio's gather.cancel() is then
    // true and the wait goes on; if every task had ended, the waiter gets the cancellation.
    var reachedATask = false
    val cancelsThem =
        job.invokeOnCompletion(onCancelling = true) { reachedATask = cancelAll(tasks) }
    try {
        val index = withContext(NonCancellable) { awaitAll(tasks, stopAtFailure) }
        if (index < 0 || (job.isCancelled && !reachedATask))
            currentCoroutineContext().ensureActive()
        return index
    } finally {
        cancelsThem.dispose()
    }
}

/**
 * Cancels each future still running (a task cleaning up after a cancellation gets another); false
 * if none was.
 */
private fun cancelAll(futures: List<CompletableFuture<*>>): Boolean {
    var any = false
    for (future in futures) {
        if (!future.isSettled()) {
            future.cancel(false)
            any = true
        }
    }
    return any
}
