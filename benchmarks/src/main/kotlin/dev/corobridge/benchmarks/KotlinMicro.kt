package dev.corobridge.benchmarks

import dev.corobridge.kotlin.awaitOwned
import dev.corobridge.kotlin.startTask
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.yield

/**
 * The Kotlin sides of the JMH microbenchmarks: raw kotlinx-coroutines baselines, and corobridge
 * tasks started and awaited from Kotlin code. Each function runs its whole workload in one
 * `runBlocking`, so that starting the event loop is amortised, and returns a checksum (a sum or a
 * count) that JMH consumes.
 */
object KotlinMicro {
    /**
     * `count` sequential `startTask { 1 }.awaitOwned()` round trips in one `runBlocking`:
     * corobridge tasks started and awaited from a Kotlin coroutine. Returns the sum.
     */
    @JvmStatic
    fun startTaskRoundTrips(count: Int): Long = runBlocking {
        var sum = 0L
        repeat(count) { sum += startTask { 1 }.awaitOwned() }
        sum
    }

    /**
     * `total / size` sequential gathers, each of `size` concurrent `async { yield() }` awaited
     * together, in one `runBlocking`. Returns the number of tasks that finished.
     */
    @JvmStatic
    fun gathersYielding(size: Int, total: Int): Long = runBlocking {
        var finished = 0L
        repeat(total / size) { finished += List(size) { async { yield() } }.awaitAll().size }
        finished
    }

    /** `count` concurrent `launch { delay(sleepMillis) }` in one `runBlocking`, joined. */
    @JvmStatic
    fun sleepsJoined(count: Int, sleepMillis: Long): Long = runBlocking {
        List(count) { launch { delay(sleepMillis) } }.joinAll()
        count.toLong()
    }

    /** `count` sequential `yield()` calls of the one coroutine of a `runBlocking`. */
    @JvmStatic
    fun yields(count: Int): Long = runBlocking {
        var turns = 0L
        repeat(count) {
            yield()
            turns++
        }
        turns
    }

    /**
     * `count` sequential `acquire()` + `release()` of a kotlinx `Semaphore(1)` that nobody else
     * uses, in the one coroutine of a `runBlocking`. Returns the acquisitions.
     */
    @JvmStatic
    fun semaphoreUncontended(count: Int): Long = runBlocking {
        val semaphore = Semaphore(1)
        var acquired = 0L
        repeat(count) {
            semaphore.acquire()
            acquired++
            semaphore.release()
        }
        acquired
    }

    /**
     * `tasks` coroutines sharing a kotlinx `Semaphore(permits)` in one `runBlocking`, each `rounds`
     * times: `acquire()`, `yield()` holding the permit (so that the others find none and wait),
     * `release()`. Returns the acquisitions.
     */
    @JvmStatic
    fun semaphoreContended(tasks: Int, permits: Int, rounds: Int): Long = runBlocking {
        val semaphore = Semaphore(permits)
        var acquired = 0L
        List(tasks) {
                launch {
                    repeat(rounds) {
                        semaphore.acquire()
                        acquired++
                        yield()
                        semaphore.release()
                    }
                }
            }
            .joinAll()
        acquired
    }
}
