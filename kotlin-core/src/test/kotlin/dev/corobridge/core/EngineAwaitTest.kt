package dev.corobridge.core

import java.io.IOException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Awaiting in direct-style Java bodies: who runs when, and what an await returns or rethrows.
 *
 * Each behaviour runs over every [BodyThreadKind] this JDK has (virtual threads need JDK 21+).
 */
class EngineAwaitTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun launchedBodyRunsOnlyWhenTheLauncherAwaits(kind: BodyThreadKind) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val a =
                launch("a") {
                    trail.add("a1")
                    await(engine.yieldNow())
                    trail.add("a2")
                }
            trail.add("main")
            await(a)
        }

        assertEquals(listOf("main", "a1", "a2"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun bodiesTakeTurnsAtTheirAwaits(kind: BodyThreadKind) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val tasks =
                listOf("a", "b").map { name ->
                    launch(name) {
                        trail.add("${name}1")
                        await(engine.yieldNow())
                        trail.add("${name}2")
                    }
                }
            tasks.forEach { await(it) }
        }

        assertEquals(listOf("a1", "b1", "a2", "b2"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun bodiesOfOneLoopNeverRunInParallel(kind: BodyThreadKind) {
        assumeAvailable(kind)
        val inside = AtomicInteger()
        val mostInside = AtomicInteger()

        engine.runMain(kind) {
            val tasks =
                (1..4).map { i ->
                    launch("worker $i") {
                        repeat(3) {
                            mostInside.accumulateAndGet(
                                inside.incrementAndGet(),
                                { a, b -> maxOf(a, b) },
                            )
                            Thread.sleep(
                                1
                            ) // long enough for a parallel body to enter, if one could
                            inside.decrementAndGet()
                            await(engine.yieldNow())
                        }
                    }
                }
            tasks.forEach { await(it) }
        }

        assertEquals(1, mostInside.get())
    }

    /**
     * The run permit passes between the loop thread and body threads that run the loop between two
     * turns of their body. Many bodies awaiting every kind of future (settled ones, sleeps, each
     * other, futures completed by a foreign thread, Kotlin tasks) must still run one at a time,
     * Kotlin steps included, and all finish.
     */
    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun mixedAwaitsKeepBodiesAndKotlinStepsOneAtATime(kind: BodyThreadKind) {
        assumeAvailable(kind)
        val inside = AtomicInteger()
        val mostInside = AtomicInteger()
        fun step() { // long enough for a step running in parallel to show
            mostInside.accumulateAndGet(inside.incrementAndGet()) { a, b -> maxOf(a, b) }
            val until = System.nanoTime() + 20_000
            while (System.nanoTime() < until) Thread.onSpinWait()
            inside.decrementAndGet()
        }
        val foreign = java.util.concurrent.Executors.newSingleThreadScheduledExecutor()
        try {
            val total =
                engine.runMain(kind) {
                    val tasks = ArrayList<TaskFuture<Int>>()
                    for (i in 0 until 200) {
                        val previous = tasks.lastOrNull()
                        tasks +=
                            launch("body $i") {
                                repeat(4) { round ->
                                    step()
                                    when ((i + round) % 5) {
                                        0 -> await(CompletableFuture.completedFuture(Unit))
                                        1 -> sleep((i % 3).toLong())
                                        2 -> if (previous != null) await(previous)
                                        3 -> {
                                            val late = CompletableFuture<Int>()
                                            foreign.schedule(
                                                { late.complete(1) },
                                                (i % 2).toLong(),
                                                java.util.concurrent.TimeUnit.MILLISECONDS,
                                            )
                                            assertEquals(1, await(late))
                                        }
                                        else ->
                                            await(
                                                engine.launchSuspending(null) {
                                                    step()
                                                    kotlinx.coroutines.yield()
                                                    step()
                                                }
                                            )
                                    }
                                }
                                1
                            }
                    }
                    tasks.sumOf { await(it) }
                }
            assertEquals(200, total)
            assertEquals(1, mostInside.get(), "two bodies or Kotlin steps ran at once")
        } finally {
            foreign.shutdownNow()
        }
    }

    @Test
    fun awaitOutsideATaskThrowsWithAHintToAsyncRun() {
        val e =
            assertThrows(IllegalStateException::class.java) {
                engine.await(CompletableFuture.completedFuture(1))
            }

        assertTrue(e.message!!.contains("Async.run"), e.message)
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun awaitOfItselfThrows(kind: BodyThreadKind) {
        assumeAvailable(kind)

        val e =
            engine.runMain(kind) { runCatching { await(engine.currentTask()!!) }.exceptionOrNull() }

        assertTrue(e is IllegalStateException, "awaiting itself threw $e")
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun awaitRethrowsTheTasksExceptionAsTheSameObject(kind: BodyThreadKind) {
        assumeAvailable(kind)
        val failure = IllegalArgumentException("bad input")

        val caught =
            engine.runMain(kind) {
                runCatching { await(launch("child") { throw failure }) }.exceptionOrNull()
            }

        assertSame(failure, caught)
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun awaitRethrowsTheOriginalCheckedException(kind: BodyThreadKind) {
        assumeAvailable(kind)
        val failure = IOException("disk on fire")

        val caught =
            engine.runMain(kind) {
                try {
                    await(launch("child") { throw failure })
                    null
                } catch (e: IOException) {
                    e
                }
            }

        assertSame(failure, caught)
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun awaitOfAPlainFutureCompletedFromAnotherThreadResumesTheBody(kind: BodyThreadKind) {
        assumeAvailable(kind)
        val future = CompletableFuture<String>()

        val result =
            engine.runMain(kind) {
                thread(name = "completer") {
                    Thread.sleep(20)
                    future.complete("from outside")
                }
                await(future)
            }

        assertEquals("from outside", result)
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun awaitOfAFailedPlainFutureRethrowsItsExceptionUnwrapped(kind: BodyThreadKind) {
        assumeAvailable(kind)
        val failure = IOException("plain future failed")

        val caught =
            engine.runMain(kind) {
                runCatching { await(CompletableFuture.failedFuture<String>(failure)) }
                    .exceptionOrNull()
            }

        assertSame(failure, caught)
    }

    @ParameterizedTest
    @EnumSource(BodyThreadKind::class)
    fun awaitAttachesTheAwaitingTaskAsASuppressedSite(kind: BodyThreadKind) {
        assumeAvailable(kind)

        val caught =
            engine.runMain(kind) {
                await(
                    launch("awaiter") {
                        runCatching {
                                await(launch("child") { throw IllegalStateException("failed") })
                            }
                            .exceptionOrNull()!!
                    }
                )
            }

        assertEquals(listOf("awaited in task 'awaiter'"), caught.suppressed.map { it.message })
    }
}
