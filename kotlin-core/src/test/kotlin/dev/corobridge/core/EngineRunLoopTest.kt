package dev.corobridge.core

import java.io.IOException
import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import kotlin.concurrent.thread
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * [Loops.runLoop] with a Java main body: nesting, leftovers, the main outcome and interrupts; and
 * the asyncio failure policy: a failed child leaves its parent alone and is reported when the loop
 * ends unless someone retrieved it.
 *
 * Each behaviour runs over every [BodyThreads] this JDK has (virtual threads need JDK 21+).
 */
internal class EngineRunLoopTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun runLoopFromABodyThrows(kind: BodyThreads) {
        assumeAvailable(kind)

        val e =
            engine.runMain(kind) {
                runCatching { engine.runMain(kind) { "nested" } }.exceptionOrNull()
            }

        assertTrue(e is IllegalStateException, "nested runLoop threw $e")
        assertTrue(e!!.message!!.contains("cannot be called from a running event loop"), e.message)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun runLoopOnAClosedLoopThrows(kind: BodyThreads) {
        assumeAvailable(kind)
        val loop = LoopDispatcher.create().apply { close() }

        val e =
            assertThrows(IllegalStateException::class.java) {
                engine.loops.runLoop(
                    loop,
                    kind == BodyThreads.VIRTUAL,
                    true,
                    failures,
                    Callable { trail.add("body ran") },
                )
            }

        assertTrue(e.message!!.contains("closed"), e.message)
        assertEquals(emptyList<String>(), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun runLoopCancelsLeftoverTasksWhenAsked(kind: BodyThreads) {
        assumeAvailable(kind)
        val leftover = AtomicReference<TaskFuture<*>>()

        engine.runMain(kind, cancelLeftovers = true) {
            leftover.set(sleeper("leftover"))
            await(engine.time.yieldNow())
            trail.add("body returned")
        }

        assertEquals(listOf("body returned", "leftover cleanup"), trail.events())
        assertTrue(leftover.get().isCancelled)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun runLoopWaitsForLeftoverTasksOtherwise(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind, cancelLeftovers = false) {
            launch("leftover") {
                sleep(20)
                trail.add("leftover finished")
            }
            trail.add("body returned")
        }

        assertEquals(listOf("body returned", "leftover finished"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun runLoopRethrowsTheMainBodysExceptionAsTheSameObject(kind: BodyThreads) {
        assumeAvailable(kind)
        val failure = IOException("main failed")

        val caught =
            assertThrows(IOException::class.java) { engine.runMain(kind) { throw failure } }

        assertSame(failure, caught)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun mainBodysExceptionIsNotReportedAsUnretrieved(kind: BodyThreads) {
        assumeAvailable(kind)

        assertThrows(IOException::class.java) {
            engine.runMain(kind, failureHandler = failures) { throw IOException("main failed") }
        }

        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun interruptingTheCallerCancelsTheMainTask(kind: BodyThreads) {
        assumeAvailable(kind)
        val sleeping = CountDownLatch(1)
        val outcome = AtomicReference<Throwable>()
        val caller =
            thread(name = "runLoop caller") {
                outcome.set(
                    runCatching {
                            engine.runMain(kind) {
                                try {
                                    val nap = engine.time.sleep(TimeUnit.SECONDS.toNanos(3))
                                    sleeping.countDown()
                                    await(nap)
                                    trail.add("slept")
                                } catch (e: CancellationException) {
                                    trail.add("main cancelled")
                                    throw e
                                }
                            }
                        }
                        .exceptionOrNull()
                )
            }
        sleeping.await()

        caller.interrupt()

        caller.join(2_000)
        assertFalse(caller.isAlive, "the interrupt did not end runLoop")
        assertEquals(
            listOf("main cancelled"),
            trail.events(),
        ) // not "slept": the 3 s nap was cut short
        assertTrue(outcome.get() is CancellationException, "runLoop ended with ${outcome.get()}")
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun failedChildDoesNotCancelItsParent(kind: BodyThreads) {
        assumeAvailable(kind)

        val result =
            engine.runMain(kind, failureHandler = failures) {
                launch("child") { throw IllegalStateException("child failed") }
                sleep(20)
                trail.add("parent went on")
                "parent result"
            }

        assertEquals("parent result", result)
        assertEquals(listOf("parent went on"), trail.events())
        // Nobody awaited the child: its failure is reported when the loop ends (asyncio's log).
        assertEquals(
            listOf("child" to "child failed"),
            failures.reports.map { (name, e) -> name to e.message },
        )
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun unawaitedFailureIsReportedWhenTheLoopEnds(kind: BodyThreads) {
        assumeAvailable(kind)
        val failure = IllegalStateException("nobody awaits this")

        engine.runMain(kind, failureHandler = failures) {
            launch("lonely child") { throw failure }
            await(engine.time.yieldNow())
            trail.add("reports before the end: ${failures.reports.size}")
        }

        assertEquals(listOf("reports before the end: 0"), trail.events())
        assertEquals(listOf("lonely child" to failure), failures.reports)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun awaitedFailureIsNotReported(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind, failureHandler = failures) {
            val child = launch("child") { throw IllegalStateException("awaited") }
            assertThrows(IllegalStateException::class.java) { await(child) }
        }

        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }
}
