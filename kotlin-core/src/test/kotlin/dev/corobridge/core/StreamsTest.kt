package dev.corobridge.core

import java.io.IOException
import java.util.concurrent.Callable
import java.util.function.Function
import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.channelFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.onCompletion
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Kotlin flows iterated from direct-style Java bodies, and Java generators collected as flows by
 * Kotlin code.
 */
internal class StreamsTest : JavaBodyTestBase() {
    /** `flow { emit(1); delay(10); emit(2) }`, recording its cleanup. */
    private fun kotlinFlow(): Flow<Int> =
        flow {
                try {
                    emit(1)
                    delay(10)
                    emit(2)
                } finally {
                    trail.add("flow finally")
                }
            }
            .onCompletion { trail.add("onCompletion") }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun kotlinFlowIsIteratedFromAJavaBody(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) { trail.add("got ${Streams.toList(kotlinFlow())}") }

        assertEquals(listOf("flow finally", "onCompletion", "got [1, 2]"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun closingAfterAnEarlyBreakRunsTheFlowsFinallyAndOnCompletion(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val cursor = Streams.iterate(kotlinFlow())
            try {
                while (cursor.hasNext()) {
                    val x = cursor.next()
                    trail.add("got $x")
                    if (x == 1) break
                }
            } finally {
                cursor.close()
            }
            trail.add("after loop")
        }

        assertEquals(listOf("got 1", "flow finally", "onCompletion", "after loop"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun anAbandonedFlowIsCancelledWhenTheIteratingBodyReturns(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val consumer =
                launch("consumer") {
                    val cursor = Streams.iterate(kotlinFlow())
                    trail.add("got ${cursor.next()}") // and never asks again
                }
            await(consumer)
            trail.add("consumer done")
        }

        assertEquals(
            listOf("got 1", "flow finally", "onCompletion", "consumer done"),
            trail.events(),
        )
    }

    @Test
    fun javaGeneratorIsCollectedByPlainKotlinCode() {
        val generator =
            Streams.generate<Int>(
                Function { emitter ->
                    Callable {
                        emitter.emit(1)
                        emitter.emit(2)
                    }
                }
            )

        val collected = runBlocking { generator.toList() }

        assertEquals(listOf(1, 2), collected)
    }

    @Test
    fun javaGeneratorFailureReachesKotlinAsTheSameObject() {
        val failure = IOException("gone")
        val generator =
            Streams.generate<Int>(
                Function { emitter ->
                    Callable {
                        emitter.emit(1)
                        throw failure
                    }
                }
            )

        val thrown = assertThrows(IOException::class.java) { runBlocking { generator.toList() } }

        assertSame(failure, thrown)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun aFailureThatStopsTheStreamBetweenElementsReachesTheConsumer(kind: BodyThreads) {
        assumeAvailable(kind)
        val childFailed = IOException("child failed")
        // The failure comes from a coroutine of the stream's own, while the consumer works between
        // two elements and nothing is waiting for the next one.
        val failing = channelFlow {
            send(1)
            launch {
                delay(5)
                throw childFailed
            }
            awaitClose()
        }

        val caught =
            engine.runMain(kind) {
                val cursor = Streams.iterate(failing)
                trail.add("got ${cursor.next()}")
                sleep(100)
                assertThrows(IOException::class.java) { cursor.hasNext() }
            }

        // channelFlow rethrows its child's failure through its own scope; with assertions on (as in
        // tests) kotlinx's stack-trace recovery hands on a copy whose cause is the original.
        assertTrue(caught === childFailed || caught.cause === childFailed, "$caught")
        assertEquals(listOf("got 1"), trail.events())
    }
}
