package dev.corobridge.benchmarks

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/**
 * The raw kotlinx-coroutines baseline: each workload as a Kotlin team writes it, with no corobridge
 * in the way. Every ratio in the harness is taken against these functions.
 */
object KotlinBaseline {
    /**
     * `count` sequential `async { 1 }.await()` round trips in one `runBlocking`; returns the sum.
     */
    @JvmStatic
    fun roundTrips(count: Int): Long = runBlocking {
        var sum = 0L
        repeat(count) { sum += async { 1 }.await() }
        sum
    }

    /**
     * `count` concurrent `launch { delay(sleepMillis) }`, joined. `whileSuspended` runs once every
     * coroutine has reached its `delay` (the `yield` lets each of them run first), before the join.
     */
    @JvmStatic
    fun sleepsGathered(count: Int, sleepMillis: Long, whileSuspended: Runnable) = runBlocking {
        val jobs = List(count) { launch { delay(sleepMillis) } }
        yield() // runBlocking's loop runs every launched coroutine up to its delay first
        whileSuspended.run()
        jobs.joinAll()
    }

    /** `count` concurrent `async { yield() }`, awaited together: a gather of yielding tasks. */
    @JvmStatic fun gatherYielding(count: Int): Int = yieldBatches(1, count).toInt()

    /**
     * `batches` times: `batchSize` concurrent `async { yield() }`, awaited together before the next
     * batch starts; all in one `runBlocking`. Returns the number of coroutines that finished.
     */
    @JvmStatic
    fun yieldBatches(batches: Int, batchSize: Int): Long = runBlocking {
        var finished = 0L
        repeat(batches) { finished += List(batchSize) { async { yield() } }.awaitAll().size }
        finished
    }

    /**
     * `items` items through one `Channel(capacity)` in one `runBlocking`: `producers` coroutines
     * that each `send` a contiguous share of the numbers 0 to `items - 1`, and `consumers`
     * coroutines that each `receive` a fixed share of the items and sum them. Returns the sum of
     * the consumers' sums. The counterpart of `Workloads.corobridgeQueue`.
     */
    @JvmStatic
    fun queue(items: Int, capacity: Int, producers: Int, consumers: Int): Long = runBlocking {
        val channel = Channel<Int>(capacity)
        fun share(index: Int, of: Int): Int = (items.toLong() * index / of).toInt()
        val producing =
            List(producers) { p ->
                launch {
                    for (i in share(p, producers) until share(p + 1, producers)) channel.send(i)
                }
            }
        val consuming =
            List(consumers) { c ->
                async {
                    var sum = 0L
                    repeat(share(c + 1, consumers) - share(c, consumers)) {
                        sum += channel.receive()
                    }
                    sum
                }
            }
        producing.joinAll()
        consuming.awaitAll().sum()
    }
}
