package dev.corobridge.sync

import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/** Kotlin code sharing primitives with Java bodies, through the suspending forms. */
class KotlinSide {
    val trail: MutableList<String> = CopyOnWriteArrayList()

    suspend fun incrementUnderLock(lock: AsyncLock, counter: IntArray, times: Int) {
        repeat(times) {
            lock.withLock {
                val seen = counter[0]
                yield()
                counter[0] = seen + 1
            }
        }
    }

    suspend fun takeLockAndNote(lock: AsyncLock, name: String) {
        lock.withLock { trail += name }
    }

    suspend fun waitForLock(lock: AsyncLock) {
        try {
            lock.awaitAcquire()
            trail += "kotlin acquired"
            lock.release()
        } catch (e: CancellationException) {
            trail += "kotlin cancelled"
            throw e
        }
    }

    suspend fun produce(queue: AsyncQueue<Int>, from: Int, count: Int) {
        for (i in from until from + count) queue.awaitPut(i)
    }

    /** Takes items until the queue is shut down; returns how many it took. */
    suspend fun consumeUntilShutDown(queue: AsyncQueue<Int>, taken: MutableList<Int>): Int {
        var count = 0
        try {
            while (true) {
                taken += queue.awaitGet()
                queue.taskDone()
                count++
            }
        } catch (e: QueueShutDownException) {
            trail += "kotlin consumer saw shutdown"
        }
        return count
    }

    suspend fun permitsInside(semaphore: AsyncSemaphore, inside: IntArray, most: IntArray) {
        semaphore.withPermit {
            inside[0]++
            most[0] = maxOf(most[0], inside[0])
            yield()
            inside[0]--
        }
    }

    suspend fun waitForEvent(event: AsyncEvent) {
        event.awaitSet()
        trail += "kotlin saw the event"
    }

    /** Waits on [condition] until [ready] holds; records whether the lock was held after. */
    suspend fun waitUntilReady(condition: AsyncCondition, ready: BooleanArray) {
        condition.withLock {
            condition.awaitUntil { ready[0] }
            trail += "kotlin ready, locked=${condition.locked()}"
        }
    }

    suspend fun waitForSignal(condition: AsyncCondition) {
        condition.withLock {
            try {
                condition.awaitSignal()
            } finally {
                trail += "kotlin after wait, locked=${condition.locked()}"
            }
        }
    }

    suspend fun arrive(barrier: AsyncBarrier): Int = barrier.awaitArrival()

    /** The primitives off any corobridge loop: a plain kotlinx runBlocking, four coroutines. */
    fun pipelineOffTheLoop(items: Int): Long = runBlocking {
        val queue = AsyncQueue.fifo<Int>(4)
        val lock = AsyncLock()
        var sum = 0L
        coroutineScope {
            val consumers =
                List(2) {
                    async {
                        try {
                            while (true) {
                                val item = queue.awaitGet()
                                lock.withLock { sum += item }
                                queue.taskDone()
                            }
                        } catch (e: QueueShutDownException) {
                            // drained
                        }
                    }
                }
            val producers = List(2) { p -> launch { produce(queue, p * items, items) } }
            producers.forEach { it.join() }
            queue.awaitJoin()
            queue.shutdown()
            consumers.awaitAll()
        }
        sum
    }
}
