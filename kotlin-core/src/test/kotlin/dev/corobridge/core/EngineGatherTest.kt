package dev.corobridge.core

import java.io.IOException
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicReference
import java.util.function.Function
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * [Groups.gather] and [Groups.gatherSettled] (asyncio.gather) over tasks with Java bodies.
 *
 * Each behaviour runs over every [BodyThreads] this JDK has (virtual threads need JDK 21+).
 */
internal class EngineGatherTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun gatherReturnsResultsInArgumentOrder(kind: BodyThreads) {
        assumeAvailable(kind)

        val results =
            engine.runMain(kind) {
                // Task i yields 3 - i times, so the tasks finish in reverse order.
                val tasks =
                    (0..2).map { i ->
                        launch("task $i") {
                            repeat(3 - i) { await(engine.time.yieldNow()) }
                            trail.add("task $i finished")
                            "result $i"
                        }
                    }
                await(engine.groups.gather<String>(tasks))
            }

        assertEquals(
            listOf("task 2 finished", "task 1 finished", "task 0 finished"),
            trail.events(),
        )
        assertEquals(listOf("result 0", "result 1", "result 2"), results)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun gatherOfNoTasksReturnsAnEmptyList(kind: BodyThreads) {
        assumeAvailable(kind)

        val results = engine.runMain(kind) { await(engine.groups.gather<String>(emptyList())) }

        assertEquals(emptyList<String>(), results)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun gatherFailsFastWithTheOriginalException(kind: BodyThreads) {
        assumeAvailable(kind)
        val failure = IOException("one of them failed")
        val slow = AtomicReference<TaskFuture<*>>()

        val caught =
            engine.runMain(kind, failureHandler = failures) {
                slow.set(sleeper("slow"))
                val failing =
                    launch("failing") {
                        await(engine.time.yieldNow())
                        throw failure
                    }
                runCatching { await(engine.groups.gather<Any?>(listOf(slow.get(), failing))) }
                    .exceptionOrNull()
                    .also { trail.add("gather failed; slow done: ${slow.get().isDone}") }
            }

        assertSame(failure, caught)
        assertEquals(listOf("gather failed; slow done: false", "slow cleanup"), trail.events())
        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancellingAGatherCancelsItsTasksAndAwaitsTheirCleanup(kind: BodyThreads) {
        assumeAvailable(kind)
        val tasks = ArrayList<TaskFuture<Unit>>()

        engine.runMain(kind) {
            tasks += sleeper("a")
            tasks += sleeper("b")
            val gathered = engine.groups.gather<Unit>(tasks)
            await(engine.time.yieldNow())
            gathered.cancel(false)
            assertThrows(CancellationException::class.java) { await(gathered) }
            trail.add("gather cancelled")
        }

        assertTrue(tasks.all { it.isCancelled })
        assertEquals(listOf("a cleanup", "b cleanup", "gather cancelled"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancellingAGatherAtOnceCancelsItsTasks(kind: BodyThreads) {
        assumeAvailable(kind)
        val tasks = ArrayList<TaskFuture<Unit>>()

        engine.runMain(kind) {
            tasks += sleeper("a")
            tasks += sleeper("b")
            await(engine.time.yieldNow()) // their first turns: they sleep
            val gathered = engine.groups.gather<Unit>(tasks)
            gathered.cancel(false)
            assertThrows(CancellationException::class.java) { await(gathered) }
            trail.add("gather cancelled")
        }

        assertTrue(tasks.all { it.isCancelled })
        assertEquals(listOf("a cleanup", "b cleanup", "gather cancelled"), trail.events())
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun gatherSettledWaitsForEveryTask(kind: BodyThreads) {
        assumeAvailable(kind)

        val outcomes =
            engine.runMain(kind, failureHandler = failures) {
                val failing = launch("failing") { throw IllegalStateException("failed first") }
                val slow =
                    launch("slow") {
                        sleep(20)
                        trail.add("slow finished")
                        "slow result"
                    }
                val describe =
                    Function<CompletableFuture<out String>, String> { task ->
                        if (task.isCompletedExceptionally) "failed" else task.getNow(null)
                    }
                await(engine.groups.gatherSettled<String, String>(listOf(failing, slow), describe))
                    .also { trail.add("gathered") }
            }

        assertEquals(listOf("failed", "slow result"), outcomes)
        assertEquals(listOf("slow finished", "gathered"), trail.events())
        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }
}
