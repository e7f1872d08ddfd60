package dev.corobridge.core

import java.io.IOException
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.delay
import kotlinx.coroutines.future.await
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Kotlin suspend bodies ([KotlinCalls.launchSuspending]) started from the main Java body of a loop:
 * they are plain coroutines on the loop, with the engine's task semantics (asyncio's failure and
 * cancellation rules).
 */
// SEPARATE_THREAD: loop and body threads park without regard to interrupts, so only a separate
// thread can time out.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
internal class EngineSuspendBodyTest {
    private val engine = testEngine()
    private val trail = Trail()
    private val failures = ReportedFailures()

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun kotlinBodyStepsRunOneAtATimeInsideTheLoop(kind: BodyThreads) {
        assumeAvailable(kind)
        val running = AtomicInteger()
        val overlaps = AtomicInteger()
        val loops = CopyOnWriteArrayList<LoopDispatcher?>()
        val threads = CopyOnWriteArrayList<Thread>()
        fun step() {
            if (running.incrementAndGet() != 1) overlaps.incrementAndGet()
            loops.add(LoopDispatcher.running())
            threads.add(Thread.currentThread())
            Thread.sleep(1) // long enough for a step running in parallel to show
            running.decrementAndGet()
        }
        val loop = LoopDispatcher.create()
        val bodyThreads = CopyOnWriteArrayList<Thread>()

        engine.loops.runLoop(loop, kind == BodyThreads.VIRTUAL, true, failures) {
            bodyThreads.add(Thread.currentThread())
            val tasks =
                (1..3).map { i ->
                    engine.kotlin.launchSuspending("kotlin $i") {
                        step()
                        delay(5L * i)
                        step()
                        yield()
                        step()
                    }
                }
            val javaBodies =
                (1..3).map {
                    engine.tasks.launch(null) {
                        bodyThreads.add(Thread.currentThread())
                        repeat(3) { engine.tasks.await(engine.time.yieldNow()) }
                    }
                }
            (tasks + javaBodies).forEach { engine.tasks.await(it) }
        }

        assertEquals(9, loops.size)
        assertEquals(0, overlaps.get(), "Kotlin body steps overlapped")
        assertTrue(
            loops.all { it === loop },
            "not every Kotlin body step ran inside the loop: $loops",
        )
        // The loop runs on whichever of its threads holds the run permit: a body thread between two
        // turns of its body, or the thread running the loop; no other.
        assertTrue(
            (threads.toSet() - bodyThreads.toSet()).size <= 1,
            "Kotlin body steps ran on $threads; body threads: $bodyThreads",
        )
    }

    @Test
    fun kotlinBodyOnAPlatformLoopRunsOnTheCallingThreadOrTheMainBodys() {
        val ranOn = AtomicReference<Thread>()
        val mainBody = AtomicReference<Thread>()

        engine.runMain {
            mainBody.set(Thread.currentThread())
            engine.tasks.await(
                engine.kotlin.launchSuspending(null) { ranOn.set(Thread.currentThread()) }
            )
        }

        assertTrue(
            ranOn.get() === Thread.currentThread() || ranOn.get() === mainBody.get(),
            "ran on ${ranOn.get()}",
        )
    }

    @Test
    fun cancellingAKotlinTaskRunsItsFinallyBeforeItsAwaitReturns() {
        engine.runMain {
            val sleeper =
                engine.kotlin.launchSuspending("sleeper") {
                    try {
                        trail.add("sleeper started")
                        delay(10_000)
                    } finally {
                        trail.add("sleeper finally")
                    }
                }
            engine.tasks.await(engine.time.yieldNow())

            sleeper.cancel(false)
            assertThrows(CancellationException::class.java) { engine.tasks.await(sleeper) }
            trail.add("await returned")
        }

        assertEquals(listOf("sleeper started", "sleeper finally", "await returned"), trail.events())
    }

    @Test
    fun failedKotlinChildDoesNotCancelItsParent() {
        val result =
            engine.runMain(failureHandler = failures) {
                engine.kotlin.launchSuspending("child") {
                    throw IllegalStateException("child failed")
                }
                engine.tasks.await(engine.time.sleep(TimeUnit.MILLISECONDS.toNanos(20)))
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

    @Test
    fun unawaitedFailureIsReportedOnceWhenTheLoopEnds() {
        val failure = IllegalStateException("nobody awaits this")
        val reportedDuringBody = AtomicReference<List<Pair<String, Throwable>>>()

        engine.runMain(failureHandler = failures) {
            val child = engine.kotlin.launchSuspending("lonely child") { throw failure }
            engine.tasks.await(engine.time.yieldNow())
            assertTrue(child.isCompletedExceptionally, "the child should have failed by now")
            reportedDuringBody.set(failures.reports.toList())
        }

        assertEquals(emptyList<Pair<String, Throwable>>(), reportedDuringBody.get())
        assertEquals(1, failures.reports.size, "reports: ${failures.reports}")
        assertEquals("lonely child", failures.reports[0].first)
        assertSame(failure, failures.reports[0].second)
    }

    @Test
    fun awaitedFailureIsNotReported() {
        engine.runMain(failureHandler = failures) {
            val child =
                engine.kotlin.launchSuspending("child") { throw IllegalStateException("awaited") }
            assertThrows(IllegalStateException::class.java) { engine.tasks.await(child) }
        }

        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }

    @Test
    fun failureRetrievedBeforeItHappensIsNotReported() {
        engine.runMain(failureHandler = failures) {
            val child =
                engine.kotlin.launchSuspending("child") {
                    delay(10)
                    throw IllegalStateException("awaited before it failed")
                }
            assertThrows(IllegalStateException::class.java) { engine.tasks.await(child) }
        }

        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }

    @Test
    fun awaitRethrowsTheKotlinBodysCheckedExceptionAsTheSameObject() {
        val failure = IOException("disk on fire")

        val caught =
            engine.runMain {
                val child = engine.kotlin.launchSuspending("child") { throw failure }
                try {
                    engine.tasks.await(child)
                    null
                } catch (e: IOException) {
                    e
                }
            }

        assertSame(failure, caught)
    }

    @Test
    fun runLoopCancelsLeftoverTasksWhenAsked() {
        val leftover = AtomicReference<TaskFuture<*>>()
        val started = System.nanoTime()

        engine.runMain(cancelLeftovers = true) {
            leftover.set(
                engine.kotlin.launchSuspending("leftover") {
                    try {
                        delay(10_000)
                    } finally {
                        trail.add("leftover cleanup")
                    }
                }
            )
            engine.tasks.await(engine.time.yieldNow())
            trail.add("body returned")
        }

        assertEquals(listOf("body returned", "leftover cleanup"), trail.events())
        assertTrue(leftover.get().isCancelled)
        assertTrue(
            System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5),
            "runLoop waited for the leftover",
        )
    }

    @Test
    fun runLoopWaitsForLeftoverTasksOtherwise() {
        val leftover = AtomicReference<TaskFuture<*>>()

        engine.runMain(cancelLeftovers = false) {
            leftover.set(
                engine.kotlin.launchSuspending("leftover") {
                    delay(30)
                    trail.add("leftover finished")
                    "leftover result"
                }
            )
            trail.add("body returned")
        }

        assertEquals(listOf("body returned", "leftover finished"), trail.events())
        assertEquals("leftover result", leftover.get().getNow(null))
    }

    @Test
    fun runLoopFromAKotlinBodyThrows() {
        val failure = AtomicReference<Throwable>()

        engine.runMain {
            engine.tasks.await(
                engine.kotlin.launchSuspending(null) {
                    failure.set(runCatching { engine.runMain { "nested" } }.exceptionOrNull())
                }
            )
        }

        assertTrue(failure.get() is IllegalStateException, "nested runLoop threw ${failure.get()}")
        assertTrue(
            failure.get()!!.message!!.contains("running event loop"),
            failure.get()!!.message,
        )
    }

    @Test
    fun awaitFromAKotlinBodyThrowsIllegalState() {
        val failure = AtomicReference<Throwable>()

        engine.runMain {
            engine.tasks.await(
                engine.kotlin.launchSuspending(null) {
                    failure.set(
                        runCatching { engine.tasks.await(CompletableFuture.completedFuture(1)) }
                            .exceptionOrNull()
                    )
                }
            )
        }

        assertTrue(
            failure.get() is IllegalStateException,
            "await in a Kotlin body threw ${failure.get()}",
        )
    }

    @Test
    fun taskLaunchedFromAKotlinBodyRunsOnTheSameLoop() {
        val outer = AtomicReference<Thread>()
        val inner = AtomicReference<Thread>()

        engine.runMain {
            engine.tasks.await(
                engine.kotlin.launchSuspending("outer") {
                    outer.set(Thread.currentThread())
                    engine.kotlin
                        .launchSuspending("inner") { inner.set(Thread.currentThread()) }
                        .await()
                }
            )
        }

        assertSame(outer.get(), inner.get(), "inner ran on ${inner.get()}, outer on ${outer.get()}")
    }
}
