package dev.corobridge.benchmarks

import dev.corobridge.kotlin.awaitOwned
import dev.corobridge.kotlin.startTask
import kotlinx.coroutines.runBlocking

/**
 * corobridge as a Kotlin team uses it: `suspend` code handing corobridge tasks (Java
 * `CompletableFuture`s) around through `dev.corobridge.kotlin`, with no Java body in the way. Set
 * against [KotlinBaseline], it prices a corobridge task where kotlinx would use a `Deferred`.
 */
object CorobridgeKotlin {
    /**
     * `count` sequential `startTask { 1 }.awaitOwned()` round trips in one `runBlocking`; returns
     * the sum. The counterpart of [KotlinBaseline.roundTrips] (`async { 1 }.await()`).
     */
    @JvmStatic
    fun roundTrips(count: Int): Long = runBlocking {
        var sum = 0L
        repeat(count) { sum += startTask { 1 }.awaitOwned() }
        sum
    }
}
