package dev.corobridge.core

import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlin.concurrent.thread
import kotlin.coroutines.EmptyCoroutineContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

// SEPARATE_THREAD: the loop parks without regard to interrupts, so only a separate thread can time
// a stuck test out.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopDispatcherTest {
    private val loop = LoopDispatcher.create()
    private val trail = Trail()

    private fun dispatch(block: () -> Unit) =
        loop.dispatch(EmptyCoroutineContext, Runnable { block() })

    @Test
    fun runsDispatchedBlocksInFifoOrderOnTheRunningThread() {
        val job = Job()
        val threads = CopyOnWriteArrayList<Thread>()
        for (i in 1..5) dispatch {
            trail.add("block $i")
            threads.add(Thread.currentThread())
        }
        dispatch { job.complete() }

        loop.runUntilComplete(job)

        assertEquals((1..5).map { "block $it" }, trail.events())
        assertEquals(List(5) { Thread.currentThread() }, threads)
    }

    @Test
    fun blockDispatchedFromABlockRunsAfterTheBlocksAlreadyQueued() {
        val job = Job()
        dispatch {
            trail.add("first")
            dispatch {
                trail.add("dispatched by first")
                job.complete()
            }
        }
        dispatch { trail.add("second") }

        loop.runUntilComplete(job)

        assertEquals(listOf("first", "second", "dispatched by first"), trail.events())
    }

    @Test
    fun timersFireInDeadlineOrder() {
        val job =
            CoroutineScope(loop).launch {
                launch {
                    delay(60)
                    trail.add("60 ms")
                }
                launch {
                    delay(20)
                    trail.add("20 ms")
                }
                launch {
                    delay(40)
                    trail.add("40 ms")
                }
            }

        loop.runUntilComplete(job)

        assertEquals(listOf("20 ms", "40 ms", "60 ms"), trail.events())
    }

    @Test
    fun timersWithEqualDelaysFireInSchedulingOrder() {
        val job =
            CoroutineScope(loop).launch {
                for (i in 1..5) launch {
                    delay(20)
                    trail.add("timer $i")
                }
            }

        loop.runUntilComplete(job)

        assertEquals((1..5).map { "timer $it" }, trail.events())
    }

    @Test
    fun timerFiresOnTheRunningThread() {
        val fired = AtomicReference<Thread>()
        val job =
            CoroutineScope(loop).launch {
                delay(10)
                fired.set(Thread.currentThread())
            }

        loop.runUntilComplete(job)

        assertSame(Thread.currentThread(), fired.get())
    }

    @Test
    @OptIn(InternalCoroutinesApi::class)
    fun disposedTimerNeverRuns() {
        val job = Job()
        val disposedRan = AtomicBoolean()
        loop
            .invokeOnTimeout(10, Runnable { disposedRan.set(true) }, EmptyCoroutineContext)
            .dispose()
        loop.invokeOnTimeout(40, Runnable { job.complete() }, EmptyCoroutineContext)

        loop.runUntilComplete(job)

        assertFalse(disposedRan.get())
    }

    @Test
    fun dispatchFromAnotherThreadWakesAnIdleLoop() {
        val job = Job()
        val ranOn = AtomicReference<Thread>()
        val loopThread = thread(name = "loop") { loop.runUntilComplete(job) }
        awaitParked(loopThread) // idle: nothing queued, no timers, the job not complete

        dispatch {
            ranOn.set(Thread.currentThread())
            job.complete()
        }

        loopThread.join(5_000)
        assertFalse(loopThread.isAlive, "the dispatch did not wake the idle loop")
        assertSame(loopThread, ranOn.get())
    }

    @Test
    fun completingTheJobFromAnotherThreadWakesAnIdleLoop() {
        val job = Job()
        val loopThread = thread(name = "loop") { loop.runUntilComplete(job) }
        awaitParked(loopThread)

        job.complete()

        loopThread.join(5_000)
        assertFalse(loopThread.isAlive, "completing the job did not wake the idle loop")
    }

    @Test
    fun runningReportsTheLoopOnlyOnItsThreadAndOnlyWhileItRuns() {
        val job = Job()
        val inside = AtomicReference<LoopDispatcher?>()
        val runningInside = AtomicBoolean()
        dispatch {
            inside.set(LoopDispatcher.running())
            runningInside.set(loop.isRunning)
            job.complete()
        }

        loop.runUntilComplete(job)

        assertSame(loop, inside.get())
        assertTrue(runningInside.get())
        assertNull(LoopDispatcher.running())
        assertFalse(loop.isRunning)
    }

    @Test
    fun interruptOfTheRunningThreadCallsOnInterruptAndIsRestoredOnReturn() {
        val job = Job()
        dispatch { Thread.currentThread().interrupt() }

        loop.runUntilComplete(job) {
            trail.add("onInterrupt")
            job.complete()
        }

        assertTrue(Thread.interrupted(), "the interrupt was not restored")
        assertEquals(listOf("onInterrupt"), trail.events())
    }

    @Test
    fun interruptOfTheRunningThreadCancelsTheJobByDefault() {
        val job = Job()
        dispatch { Thread.currentThread().interrupt() }

        loop.runUntilComplete(job)

        Thread.interrupted()
        assertTrue(job.isCancelled)
    }

    @Test
    fun runningAClosedLoopThrowsWithAHint() {
        loop.close()

        val e = assertThrows(IllegalStateException::class.java) { loop.runUntilComplete(Job()) }

        assertTrue(loop.isClosed)
        assertTrue(e.message!!.contains("closed"), e.message)
        assertTrue(e.message!!.contains("create a new one"), e.message)
    }

    @Test
    fun closingARunningLoopThrowsAndLeavesItOpen() {
        val job = Job()
        val failure = AtomicReference<Throwable>()
        dispatch {
            failure.set(runCatching { loop.close() }.exceptionOrNull())
            job.complete()
        }

        loop.runUntilComplete(job)

        assertTrue(
            failure.get() is IllegalStateException,
            "close() while running threw ${failure.get()}",
        )
        assertFalse(loop.isClosed)
    }

    @Test
    fun runningARunningLoopAgainThrows() {
        val job = Job()
        val failure = AtomicReference<Throwable>()
        dispatch {
            failure.set(runCatching { loop.runUntilComplete(Job()) }.exceptionOrNull())
            job.complete()
        }

        loop.runUntilComplete(job)

        assertTrue(failure.get() is IllegalStateException, "a nested run threw ${failure.get()}")
        assertTrue(failure.get()!!.message!!.contains("already running"), failure.get()!!.message)
    }

    @Test
    fun twoThreadsRunningTheLoopAtOnceRunOneAndRefuseTheOtherAtOnce() {
        repeat(Integer.getInteger("corobridge.races", 300)) { race ->
            val loop = LoopDispatcher.create()
            val job = Job()
            val arrived = AtomicInteger()
            val outcomes = CopyOnWriteArrayList<String>()
            val callers =
                List(2) {
                    thread(isDaemon = true, name = "caller $it") {
                        // Spin, not a barrier: both callers reach the check together.
                        arrived.incrementAndGet()
                        while (arrived.get() < 2) Thread.onSpinWait()
                        try {
                            loop.runUntilComplete(job)
                            outcomes.add("ran")
                        } catch (e: IllegalStateException) {
                            outcomes.add("refused")
                            job.complete() // the run goes on until the other caller is refused
                        }
                    }
                }
            callers.forEach { it.join(2_000) }
            assertEquals(listOf("refused", "ran"), outcomes, "race $race")
        }
    }

    @Test
    fun aLoopCanRunAgainAfterItReturned() {
        val first = Job()
        dispatch {
            trail.add("first run")
            first.complete()
        }
        loop.runUntilComplete(first)

        val second = Job()
        dispatch {
            trail.add("second run")
            second.complete()
        }
        loop.runUntilComplete(second)

        assertEquals(listOf("first run", "second run"), trail.events())
    }
}
