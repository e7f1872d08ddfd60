package dev.corobridge.core

import java.io.IOException
import java.util.concurrent.Callable
import java.util.concurrent.atomic.AtomicReference
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * [Groups.taskGroup] (asyncio.TaskGroup) with Java bodies: the group waits for its children, and
 * the first failure cancels the rest and becomes the group's.
 *
 * Each behaviour runs over every [BodyThreads] this JDK has (virtual threads need JDK 21+).
 */
internal class EngineTaskGroupTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun taskGroupWaitsForItsChildren(kind: BodyThreads) {
        assumeAvailable(kind)

        val result =
            engine.runMain(kind) {
                val group =
                    engine.groups.taskGroup { scope ->
                        Callable {
                            scope.launch(
                                "child",
                                Callable {
                                    sleep(20)
                                    trail.add("child finished")
                                },
                            )
                            trail.add("group body returned")
                            "group result"
                        }
                    }
                await(group).also { trail.add("group awaited") }
            }

        assertEquals("group result", result)
        assertEquals(
            listOf("group body returned", "child finished", "group awaited"),
            trail.events(),
        )
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun taskGroupFirstFailureCancelsTheSiblings(kind: BodyThreads) {
        assumeAvailable(kind)
        val sibling = AtomicReference<TaskFuture<*>>()

        engine.runMain(kind) {
            val group =
                engine.groups.taskGroup { scope ->
                    Callable {
                        sibling.set(
                            scope.launch(
                                "sibling",
                                Callable {
                                    try {
                                        sleep(10_000)
                                    } finally {
                                        trail.add("sibling cleanup")
                                    }
                                },
                            )
                        )
                        scope.launch(
                            "failing",
                            Callable {
                                await(engine.time.yieldNow())
                                throw IllegalStateException("first")
                            },
                        )
                    }
                }
            assertThrows(IllegalStateException::class.java) { await(group) }
            trail.add("group failed")
        }

        assertEquals(listOf("sibling cleanup", "group failed"), trail.events())
        assertTrue(sibling.get().isCancelled)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun taskGroupFailsWithTheFirstFailureAndLaterOnesSuppressed(kind: BodyThreads) {
        assumeAvailable(kind)
        val first = IllegalStateException("first")
        val later = IOException("later, in a cancelled sibling's cleanup")

        val caught =
            engine.runMain(kind, failureHandler = failures) {
                val group =
                    engine.groups.taskGroup { scope ->
                        Callable {
                            scope.launch(
                                "sibling",
                                Callable {
                                    try {
                                        sleep(10_000)
                                    } finally {
                                        throw later
                                    }
                                },
                            )
                            scope.launch(
                                "failing",
                                Callable {
                                    await(engine.time.yieldNow())
                                    throw first
                                },
                            )
                        }
                    }
                runCatching { await(group) }.exceptionOrNull()
            }

        assertSame(first, caught)
        assertTrue(
            caught!!.suppressed.any { it === later },
            "suppressed: ${caught.suppressed.toList()}",
        )
        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun taskGroupBodyFailureCancelsTheChildrenAndFailsTheGroup(kind: BodyThreads) {
        assumeAvailable(kind)
        val failure = IllegalStateException("the group body failed")

        val caught =
            engine.runMain(kind) {
                val group =
                    engine.groups.taskGroup { scope ->
                        Callable {
                            scope.launch(
                                "child",
                                Callable {
                                    try {
                                        sleep(10_000)
                                    } finally {
                                        trail.add("child cleanup")
                                    }
                                },
                            )
                            await(engine.time.yieldNow())
                            throw failure
                        }
                    }
                runCatching { await(group) }.exceptionOrNull().also { trail.add("group failed") }
            }

        assertSame(failure, caught)
        assertEquals(listOf("child cleanup", "group failed"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun taskGroupRefusesLaunchesAfterItFinished(kind: BodyThreads) {
        assumeAvailable(kind)

        val e =
            engine.runMain(kind) {
                val escaped = AtomicReference<Groups.TaskGroupScope>()
                await(engine.groups.taskGroup { scope -> Callable { escaped.set(scope) } })
                runCatching { escaped.get().launch("late", Callable { "late" }) }.exceptionOrNull()
            }

        assertTrue(e is IllegalStateException, "a late launch threw $e")
    }
}
