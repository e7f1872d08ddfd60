package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicReference
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Time in Java bodies: [Time.sleep], [Time.timeout] (asyncio.timeout) and [Time.waitFor]
 * (asyncio.wait_for).
 *
 * Each behaviour runs over every [BodyThreads] this JDK has (virtual threads need JDK 21+).
 */
internal class EngineTimeTest : JavaBodyTestBase() {
    private companion object {
        val SECONDS_10 = TimeUnit.SECONDS.toNanos(10)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun aSleepIsCancelledWithTheTaskThatStartedIt(kind: BodyThreads) {
        assumeAvailable(kind)

        val sleep =
            engine.runMain(kind) {
                val started = CompletableFuture<TaskFuture<Void?>>()
                // Does not await this sleep: cancelling the parent cancels it all the same.
                val parent =
                    launch("parent") {
                        started.complete(engine.time.sleep(SECONDS_10))
                        sleep(10_000)
                    }
                val sleep = await(started)
                parent.cancel(false)
                runCatching { await(parent) }
                sleep
            }

        assertTrue(sleep.isCancelled, "the sleep was not cancelled with its parent: $sleep")
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun aCancelledSleepLeavesNoTimerBehindThatCouldCompleteIt(kind: BodyThreads) {
        assumeAvailable(kind)

        val sleep =
            engine.runMain(kind) {
                val sleep = engine.time.sleep(TimeUnit.MILLISECONDS.toNanos(20))
                sleep.cancel(false)
                await(engine.time.sleep(TimeUnit.MILLISECONDS.toNanos(50)))
                sleep
            }

        assertTrue(sleep.isCancelled, "$sleep")
        assertTrue(sleep.isSettled, "the cancelled sleep's task never finished")
    }

    @Test
    fun aSleepOffTheLoopWakesItsDependentsOnTheDispatcherNotOnTheTimerThread() {
        val wokeOn =
            engine.time
                .sleep(TimeUnit.MILLISECONDS.toNanos(5))
                .thenApply { Thread.currentThread().name }
                .get(5, TimeUnit.SECONDS)

        assertFalse(wokeOn.contains("corobridge-timers"), "woke on $wokeOn")
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun timeoutFailsWithTimeoutExceptionAfterTheBodysFinallyRan(kind: BodyThreads) {
        assumeAvailable(kind)

        val caught =
            engine.runMain(kind) {
                val limited =
                    engine.time.timeout(
                        TimeUnit.MILLISECONDS.toNanos(20),
                        Callable {
                            try {
                                sleep(10_000)
                                "too late"
                            } finally {
                                trail.add("body finally")
                            }
                        },
                    )
                runCatching { await(limited) }
                    .exceptionOrNull()
                    .also { trail.add("timeout observed") }
            }

        assertTrue(caught is TimeoutException, "the timed-out task failed with $caught")
        assertEquals(listOf("body finally", "timeout observed"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun timeoutReturnsTheValueOfABodyThatFinishesInTime(kind: BodyThreads) {
        assumeAvailable(kind)

        val result =
            engine.runMain(kind) {
                await(
                    engine.time.timeout(
                        TimeUnit.SECONDS.toNanos(5),
                        Callable {
                            sleep(1)
                            "in time"
                        },
                    )
                )
            }

        assertEquals("in time", result)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun timeoutWithAZeroLimitRunsTheBodyUntilItsFirstAwait(kind: BodyThreads) {
        assumeAvailable(kind)

        val caught =
            engine.runMain(kind) {
                runCatching {
                        await(
                            engine.time.timeout(
                                0,
                                Callable {
                                    trail.add("body started")
                                    sleep(10_000)
                                },
                            )
                        )
                    }
                    .exceptionOrNull()
            }

        assertTrue(caught is TimeoutException, "the timed-out task failed with $caught")
        assertEquals(listOf("body started"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun waitForCancelsTheAwaitedTaskOnTimeoutAfterItsCleanup(kind: BodyThreads) {
        assumeAvailable(kind)
        val slow = AtomicReference<TaskFuture<*>>()

        val caught =
            engine.runMain(kind) {
                slow.set(sleeper("slow"))
                runCatching {
                        await(engine.time.waitFor(slow.get(), TimeUnit.MILLISECONDS.toNanos(20)))
                    }
                    .exceptionOrNull()
                    .also { trail.add("waitFor failed") }
            }

        assertTrue(caught is TimeoutException, "waitFor failed with $caught")
        assertTrue(slow.get().isCancelled)
        assertEquals(listOf("slow cleanup", "waitFor failed"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun waitForTimeoutNamesTheAwaitedTask(kind: BodyThreads) {
        assumeAvailable(kind)

        val caught =
            engine.runMain(kind) {
                runCatching {
                        await(
                            engine.time.waitFor(
                                sleeper("slow query"),
                                TimeUnit.MILLISECONDS.toNanos(10),
                            )
                        )
                    }
                    .exceptionOrNull()
            }

        assertTrue(caught is TimeoutException, "waitFor failed with $caught")
        assertTrue(caught!!.message!!.contains("Task 'slow query'"), caught.message)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun waitForReturnsTheValueOfATaskThatFinishesInTime(kind: BodyThreads) {
        assumeAvailable(kind)

        val result =
            engine.runMain(kind) {
                val quick =
                    launch("quick") {
                        sleep(1)
                        "in time"
                    }
                await(engine.time.waitFor(quick, TimeUnit.SECONDS.toNanos(5)))
            }

        assertEquals("in time", result)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun waitForWithAZeroLimitCancelsTheAwaitedTask(kind: BodyThreads) {
        assumeAvailable(kind)
        val slow = AtomicReference<TaskFuture<*>>()

        val caught =
            engine.runMain(kind) {
                slow.set(sleeper("slow"))
                await(engine.time.yieldNow()) // its first turn: it sleeps
                runCatching { await(engine.time.waitFor(slow.get(), 0)) }
                    .exceptionOrNull()
                    .also { trail.add("waitFor failed") }
            }

        assertTrue(caught is TimeoutException, "waitFor failed with $caught")
        assertEquals(listOf("slow cleanup", "waitFor failed"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancellingAWaitForAtOnceCancelsTheAwaitedTask(kind: BodyThreads) {
        assumeAvailable(kind)
        val slow = AtomicReference<TaskFuture<*>>()

        engine.runMain(kind) {
            slow.set(sleeper("slow"))
            await(engine.time.yieldNow()) // its first turn: it sleeps
            val waiting = engine.time.waitFor(slow.get(), TimeUnit.SECONDS.toNanos(5))
            waiting.cancel(false)
            assertThrows(CancellationException::class.java) { await(waiting) }
            trail.add("waitFor cancelled")
        }

        assertEquals(listOf("slow cleanup", "waitFor cancelled"), trail.events())
    }
}
