package dev.corobridge.core

import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * The run permit under load: bodies that await every kind of future (settled ones, sleeps, each
 * other, futures completed by a foreign thread, Kotlin tasks), cancel each other, time out and are
 * cancelled from foreign threads, while the permit passes between the loop thread and body threads
 * (ADR 0008). Every loop must end, no two bodies or Kotlin steps may run at once, and every body
 * must either finish or see its cancellation and run its `finally`.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
internal class RunPermitTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun bodiesAndKotlinStepsRunOneAtATimeThroughMixedAwaitsAndCancellations(kind: BodyThreads) {
        assumeAvailable(kind)
        runLoops(kind, loops = 1, bodies = 200)
    }

    /** Heavy: runs in the `stress` profile (`mvn -B verify -Pstress`). */
    @Tag("stress")
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun permitSurvivesManyLoopsOfThem(kind: BodyThreads) {
        assumeAvailable(kind)
        runLoops(kind, loops = 40, bodies = 400)
    }

    private fun runLoops(kind: BodyThreads, loops: Int, bodies: Int) {
        val foreign = Executors.newScheduledThreadPool(2)
        try {
            repeat(loops) { loop -> runOneLoop(kind, foreign, seed = loop.toLong(), bodies) }
        } finally {
            foreign.shutdownNow()
        }
    }

    private fun runOneLoop(
        kind: BodyThreads,
        foreign: java.util.concurrent.ScheduledExecutorService,
        seed: Long,
        bodies: Int,
    ) {
        val inside = AtomicInteger()
        val overlaps = AtomicInteger()
        val started = AtomicInteger()
        val finished = AtomicInteger()
        val cleanedUp = AtomicInteger()
        fun step() { // long enough for a step running in parallel to show
            if (inside.incrementAndGet() != 1) overlaps.incrementAndGet()
            val until = System.nanoTime() + 20_000
            while (System.nanoTime() < until) Thread.onSpinWait()
            inside.decrementAndGet()
        }
        val random = java.util.Random(seed)
        val plans = List(bodies) { IntArray(ROUNDS) { random.nextInt(7) } }

        engine.runMain(kind, failureHandler = failures) {
            val tasks = ArrayList<TaskFuture<*>>()
            for ((i, plan) in plans.withIndex()) {
                val earlier = if (i > 0) tasks[ThreadLocalRandom.current().nextInt(i)] else null
                tasks.add(
                    launch("body $i") {
                        started.incrementAndGet()
                        try {
                            for (action in plan) {
                                step()
                                when (action) {
                                    0 -> await(engine.time.yieldNow())
                                    1 -> sleep((i % 3).toLong())
                                    2 -> earlier?.let { runCatching { await(it) } }
                                    3 -> {
                                        val late = CompletableFuture<Int>()
                                        foreign.schedule(
                                            { late.complete(1) },
                                            (i % 2).toLong(),
                                            TimeUnit.MILLISECONDS,
                                        )
                                        await(late)
                                    }
                                    4 -> earlier?.cancel(false)
                                    5 ->
                                        runCatching {
                                                await(
                                                    engine.time.timeout(
                                                        TimeUnit.MICROSECONDS.toNanos(500),
                                                        java.util.concurrent.Callable { sleep(1) },
                                                    )
                                                )
                                            }
                                            .exceptionOrNull()
                                            ?.let { if (it !is TimeoutException) throw it }
                                    else ->
                                        await(
                                            engine.kotlin.launchSuspending(null) {
                                                step()
                                                kotlinx.coroutines.yield()
                                                step()
                                            }
                                        )
                                }
                            }
                            finished.incrementAndGet()
                        } finally {
                            step()
                            cleanedUp.incrementAndGet()
                        }
                    }
                )
                if (i % 50 == 49) {
                    val victim = tasks[ThreadLocalRandom.current().nextInt(tasks.size)]
                    foreign.execute { victim.cancel(false) }
                }
            }
            for (task in tasks) {
                try {
                    await(task)
                } catch (e: CancellationException) {
                    // cancelled by a sibling or a foreign thread: its finally ran (checked below)
                }
            }
        }

        assertEquals(0, overlaps.get(), "two bodies or Kotlin steps ran at once (loop $seed)")
        assertEquals(started.get(), cleanedUp.get(), "a started body did not run its finally")
        assertTrue(finished.get() > 0, "no body finished (loop $seed)")
        assertEquals(emptyList<Pair<String, Throwable>>(), failures.reports)
    }

    private companion object {
        const val ROUNDS = 6
    }
}
