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
 * Each behaviour runs over every [BodyThreads] this JDK has (virtual threads need JDK 21+).
 */
internal class EngineAwaitTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun launchedBodyRunsOnlyWhenTheLauncherAwaits(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val a =
                launch("a") {
                    trail.add("a1")
                    await(engine.time.yieldNow())
                    trail.add("a2")
                }
            trail.add("main")
            await(a)
        }

        assertEquals(listOf("main", "a1", "a2"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun bodiesTakeTurnsAtTheirAwaits(kind: BodyThreads) {
        assumeAvailable(kind)

        engine.runMain(kind) {
            val tasks =
                listOf("a", "b").map { name ->
                    launch(name) {
                        trail.add("${name}1")
                        await(engine.time.yieldNow())
                        trail.add("${name}2")
                    }
                }
            tasks.forEach { await(it) }
        }

        assertEquals(listOf("a1", "b1", "a2", "b2"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun bodiesOfOneLoopNeverRunInParallel(kind: BodyThreads) {
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
                            await(engine.time.yieldNow())
                        }
                    }
                }
            tasks.forEach { await(it) }
        }

        assertEquals(1, mostInside.get())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun statementBodyRunsDirectlyOnItsThreadAndCompletesWithNull(kind: BodyThreads) {
        assumeAvailable(kind)
        var caller: StackTraceElement? = null

        val result =
            engine.runMain(kind) {
                val task =
                    engine.tasks.launch(
                        "statement",
                        StatementCallable {
                            await(engine.time.yieldNow())
                            caller = Throwable().stackTrace[1]
                            trail.add("ran")
                        },
                    )
                await(task)
            }

        assertEquals(null, result)
        assertEquals(listOf("ran"), trail.events())
        // No adapter in between: each frame there would stay on every suspended body's stack.
        assertEquals(JavaBody::class.java.name, caller!!.className)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun statementBodyFailsItsTaskWithItsOwnException(kind: BodyThreads) {
        assumeAvailable(kind)
        val failure = IOException("disk full")

        val thrown =
            assertThrows(IOException::class.java) {
                engine.runMain(kind) {
                    await(engine.tasks.launch(null, StatementCallable { throw failure }))
                }
            }

        assertSame(failure, thrown)
    }

    @Test
    fun awaitOutsideATaskThrowsWithAHintToAsyncRun() {
        val e =
            assertThrows(IllegalStateException::class.java) {
                engine.tasks.await(CompletableFuture.completedFuture(1))
            }

        assertTrue(e.message!!.contains("Async.run"), e.message)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun awaitOfItselfThrows(kind: BodyThreads) {
        assumeAvailable(kind)

        val e =
            engine.runMain(kind) {
                runCatching { await(engine.tasks.currentTask()!!) }.exceptionOrNull()
            }

        assertTrue(e is IllegalStateException, "awaiting itself threw $e")
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun awaitRethrowsTheTasksExceptionAsTheSameObject(kind: BodyThreads) {
        assumeAvailable(kind)
        val failure = IllegalArgumentException("bad input")

        val caught =
            engine.runMain(kind) {
                runCatching { await(launch("child") { throw failure }) }.exceptionOrNull()
            }

        assertSame(failure, caught)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun awaitRethrowsTheOriginalCheckedException(kind: BodyThreads) {
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
    @EnumSource(BodyThreads::class)
    fun awaitOfAPlainFutureCompletedFromAnotherThreadResumesTheBody(kind: BodyThreads) {
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
    @EnumSource(BodyThreads::class)
    fun awaitOfAFailedPlainFutureRethrowsItsExceptionUnwrapped(kind: BodyThreads) {
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
    @EnumSource(BodyThreads::class)
    fun awaitAttachesTheAwaitingTaskAsASuppressedSite(kind: BodyThreads) {
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
