/**
 * The coordination primitives for Kotlin code: each waiting operation as a `suspend` function, so a
 * Kotlin coroutine and a Java body can share one lock, semaphore, event, condition, barrier or
 * queue. The suspending forms keep the same books as the `Task`-returning members (asyncio's): the
 * same FIFO line, the same hand-over to the next waiter when a waiter is cancelled.
 *
 * Named `await...` because in Kotlin a member beats an extension: `lock.acquire()` is the Java
 * member that returns a `Task`.
 *
 * ```kotlin
 * suspend fun transfer(lock: AsyncLock, amount: Int) = lock.withLock { balance += amount }
 * ```
 */
@file:JvmName("SuspendingSync")
@file:OptIn(InternalCorobridgeApi::class)

package dev.corobridge.sync

import dev.corobridge.core.InternalCorobridgeApi

/** Suspends until the caller holds the lock: asyncio's `await lock.acquire()`. */
public suspend fun AsyncLock.awaitAcquire(): Unit = core().acquire()

/**
 * Runs [block] holding the lock and releases it however the block ends: asyncio's `async with
 * lock:`.
 *
 * ```kotlin
 * val snapshot = lock.withLock { accounts.toList() }
 * ```
 */
public suspend inline fun <T> AsyncLock.withLock(block: () -> T): T {
    awaitAcquire()
    try {
        return block()
    } finally {
        release()
    }
}

/** Suspends until the caller holds a permit: asyncio's `await semaphore.acquire()`. */
public suspend fun AsyncSemaphore.awaitAcquire(): Unit = core().acquire()

/**
 * Runs [block] holding a permit and gives it back however the block ends: asyncio's `async with
 * semaphore:`.
 *
 * ```kotlin
 * val page = limit.withPermit { client.fetch(url) }
 * ```
 */
public suspend inline fun <T> AsyncSemaphore.withPermit(block: () -> T): T {
    awaitAcquire()
    try {
        return block()
    } finally {
        release()
    }
}

/** Suspends until the event is set, at once if it is: asyncio's `await event.wait()`. */
public suspend fun AsyncEvent.awaitSet(): Unit = core().awaitSet()

/** Suspends until the caller holds the condition's lock. */
public suspend fun AsyncCondition.awaitAcquire(): Unit = lock().awaitAcquire()

/** Runs [block] holding the condition's lock: asyncio's `async with condition:`. */
public suspend inline fun <T> AsyncCondition.withLock(block: () -> T): T {
    awaitAcquire()
    try {
        return block()
    } finally {
        release()
    }
}

/**
 * Releases the lock, suspends until signalled and holds the lock again before it returns, even when
 * cancelled: asyncio's `await condition.wait()`.
 *
 * @throws IllegalStateException if the caller does not hold the lock
 */
public suspend fun AsyncCondition.awaitSignal(): Unit = core().await()

/**
 * Suspends until [predicate] holds, checking it now and after each signal with the lock held:
 * asyncio's `await condition.wait_for(predicate)`.
 *
 * @throws IllegalStateException if the caller does not hold the lock
 */
public suspend fun AsyncCondition.awaitUntil(predicate: () -> Boolean): Unit =
    core().awaitUntil(predicate)

/**
 * Arrives and suspends until all parties have: asyncio's `await barrier.wait()`. Returns this
 * party's index, 0 to `parties() - 1`.
 *
 * @throws java.util.concurrent.BrokenBarrierException if the barrier is or becomes broken
 */
public suspend fun AsyncBarrier.awaitArrival(): Int = core().arrive()

/** Returns the barrier to its empty state once it drained: asyncio's `await barrier.reset()`. */
public suspend fun AsyncBarrier.awaitReset(): Unit = core().reset()

/** Breaks the barrier for its waiters and later arrivals: asyncio's `await barrier.abort()`. */
public suspend fun AsyncBarrier.awaitAbort(): Unit = core().abort()

/**
 * Suspends until there is room and adds [item]: asyncio's `await queue.put(item)`.
 *
 * @throws QueueShutDownException if the queue is or becomes shut down
 */
public suspend fun <T : Any> AsyncQueue<T>.awaitPut(item: T): Unit = core().put(item)

/**
 * Suspends until an item is there and takes it: asyncio's `await queue.get()`.
 *
 * @throws QueueShutDownException if the queue is shut down and empty, or shut down immediately
 */
public suspend fun <T : Any> AsyncQueue<T>.awaitGet(): T = core().get()

/** Suspends until every item put has been marked done: asyncio's `await queue.join()`. */
public suspend fun AsyncQueue<*>.awaitJoin(): Unit = core().join()
