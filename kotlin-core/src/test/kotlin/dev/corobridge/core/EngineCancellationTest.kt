package dev.corobridge.core

import java.io.IOException
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Cancelling tasks with Java bodies: where the body sees it, what its cleanup may still do, what
 * the cancellation takes along; and [Tasks.shield], which keeps it away from the task inside.
 *
 * Each behaviour runs over every [BodyThreads] this JDK has (virtual threads need JDK 21+).
 */
internal class EngineCancellationTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancelledBodySeesCancellationAtItsAwaitAndAwaitReturnsAfterItsCleanup(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val child =
                launch("child") {
                    try {
                        sleep(10_000)
                    } catch (e: CancellationException) {
                        trail.add("child saw cancellation")
                        throw e
                    } finally {
                        trail.add("child cleanup")
                    }
                }
            await(engine.time.yieldNow())

            child.cancel(false)
            assertThrows(CancellationException::class.java) { await(child) }
            trail.add("await returned")
        }

        assertEquals(
            listOf("child saw cancellation", "child cleanup", "await returned"),
            trail.events(),
        )
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun aFutureGivenUpAtCancellationDoesNotResumeALaterAwait(kind: BodyThreads) {
        assumeAvailable(kind)
        // A plain future keeps its callback after the await it served was cancelled; when it
        // completes later it must not wake the body from the await it is in by then.
        val abandoned = CompletableFuture<String>()
        val cleanup = CompletableFuture<String>()

        val seen =
            engine.runMain(kind) {
                val child =
                    launch("child") {
                        try {
                            await(abandoned)
                        } catch (e: CancellationException) {
                            trail.add("cancelled")
                        }
                        await(cleanup)
                    }
                await(engine.time.yieldNow())
                child.cancel(false)
                await(engine.time.yieldNow())
                abandoned.complete("too late")
                await(engine.time.sleep(TimeUnit.MILLISECONDS.toNanos(20)))
                trail.add("child finished: ${child.isSettled}")
                cleanup.complete("cleaned up")
                runCatching { await(child) }
            }

        assertEquals(listOf("cancelled", "child finished: false"), trail.events())
        assertTrue(seen.exceptionOrNull() is CancellationException, "$seen")
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancellationRacingTheAwaitedFutureResumesTheBodyExactlyOnce(kind: BodyThreads) {
        assumeAvailable(kind)
        val completer = Executors.newSingleThreadExecutor()
        try {
            repeat(200) { round ->
                val resumed = AtomicInteger()
                val outcome =
                    engine.runMain(kind) {
                        val awaited = CompletableFuture<Int>()
                        val child =
                            launch("child $round") {
                                try {
                                    await(awaited)
                                } finally {
                                    resumed.incrementAndGet()
                                }
                            }
                        await(engine.time.yieldNow())
                        val completing = completer.submit { awaited.complete(round) }
                        child.cancel(false)
                        completing.get()
                        runCatching { await(child) }
                    }
                assertEquals(
                    1,
                    resumed.get(),
                    "round $round: the body resumed ${resumed.get()} times",
                )
                val value = outcome.getOrNull()
                assertTrue(
                    value == round || outcome.exceptionOrNull() is CancellationException,
                    "round $round: $outcome",
                )
            }
        } finally {
            completer.shutdownNow()
        }
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun awaitOfACancelledTaskThrowsACancellationNamingIt(kind: BodyThreads) {
        assumeAvailable(kind)

        val caught =
            engine.runMain(kind) {
                val child = sleeper("child")
                await(engine.time.yieldNow())
                child.cancel(false)
                runCatching { await(child) }.exceptionOrNull()
            }

        assertTrue(caught is CancellationException, "await threw $caught")
        assertTrue(caught!!.message!!.contains("Task 'child' was cancelled"), caught.message)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun completingATaskByHandCancelsItsBody(kind: BodyThreads) {
        assumeAvailable(kind)
        val child = AtomicReference<TaskFuture<String>>()

        engine.runMain(kind) {
            child.set(
                launch("child") {
                    try {
                        sleep(10_000)
                        "from the body"
                    } catch (e: CancellationException) {
                        trail.add("body cancelled")
                        throw e
                    }
                }
            )
            await(engine.time.yieldNow())
            child.get().complete("by hand")
            trail.add("completed by hand")
        }

        assertEquals("by hand", child.get().getNow(null))
        assertEquals(listOf("completed by hand", "body cancelled"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancellingABodyAlsoCancelsTheTasksItStarted(kind: BodyThreads) {
        assumeAvailable(kind)
        val grandchild = AtomicReference<TaskFuture<*>>()

        engine.runMain(kind) {
            val child =
                launch("child") {
                    grandchild.set(sleeper("grandchild"))
                    sleep(10_000)
                }
            await(engine.time.yieldNow()) // the child's first turn
            await(engine.time.yieldNow()) // the grandchild's

            child.cancel(false)
            assertThrows(CancellationException::class.java) { await(child) }
            // As in asyncio, awaiting the child waits for the child's own cleanup only; the
            // grandchild was cancelled with it (structure) and cleans up on its own.
            assertThrows(CancellationException::class.java) { await(grandchild.get()) }
            trail.add("grandchild awaited")
        }

        assertEquals(listOf("grandchild cleanup", "grandchild awaited"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun aTaskThatEndsLeavesTheTasksItStartedRunning(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val started = CompletableFuture<TaskFuture<Unit>>()
            val parent =
                launch("parent") {
                    started.complete(
                        launch("child") {
                            sleep(10)
                            trail.add("child done")
                        }
                    )
                }
            await(parent)
            trail.add("parent done")
            await(await(started))
        }

        assertEquals(listOf("parent done", "child done"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancelledBodysFinallyCanAwaitNewWork(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val child =
                launch("child") {
                    try {
                        sleep(10_000)
                    } finally {
                        sleep(10)
                        trail.add("cleanup slept")
                    }
                }
            await(engine.time.yieldNow())
            child.cancel(false)
            runCatching { await(child) }
            trail.add("await returned")
        }

        assertEquals(listOf("cleanup slept", "await returned"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun workLaunchedInACancelledBodysFinallyIsNotCancelledAtBirth(kind: BodyThreads) {
        assumeAvailable(kind)
        val flush = AtomicReference<TaskFuture<Unit>>()

        engine.runMain(kind) {
            val child =
                launch("child") {
                    try {
                        sleep(10_000)
                    } finally {
                        flush.set(
                            launch("flush") {
                                sleep(20)
                                trail.add("flushed")
                            }
                        )
                    }
                }
            await(engine.time.yieldNow())
            child.cancel(false)
            assertThrows(CancellationException::class.java) { await(child) }
            trail.add("await returned")
            await(flush.get())
        }

        assertEquals(listOf("await returned", "flushed"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun shieldCancellationLeavesTheInnerTaskRunning(kind: BodyThreads) {
        assumeAvailable(kind)

        val result =
            engine.runMain(kind) {
                val inner =
                    launch("inner") {
                        sleep(50)
                        trail.add("inner finished")
                        "inner result"
                    }
                val shield = engine.tasks.shield(inner)
                await(engine.time.yieldNow())

                shield.cancel(false)
                assertThrows(CancellationException::class.java) { await(shield) }
                trail.add("shield cancelled")
                await(inner)
            }

        assertEquals("inner result", result)
        assertEquals(listOf("shield cancelled", "inner finished"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun shieldRethrowsTheInnerTasksExceptionAsTheSameObject(kind: BodyThreads) {
        assumeAvailable(kind)
        val failure = IOException("inner failed")

        val caught =
            engine.runMain(kind) {
                runCatching { await(engine.tasks.shield(launch("inner") { throw failure })) }
                    .exceptionOrNull()
            }

        assertSame(failure, caught)
    }
}
