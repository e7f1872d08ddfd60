package dev.corobridge.core

import java.util.PriorityQueue
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.concurrent.locks.LockSupport
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Delay
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.disposeOnCancellation

/**
 * The life of one timer of a loop, the protocol between the loop that fires it and whoever disposes
 * of it (a cancelled sleep): [PENDING] in the heap, [QUEUED] in the ready queue, [TAKEN] by its
 * run; [DISPOSED] from the heap or from the ready queue. Disposed timers stay in the heap until
 * they reach its head or a sweep (removal from a binary heap is O(n)), so [disposeLife] tells a
 * disposal in the heap, which the heap counts, from one in the ready queue. Model-checked by
 * `TimerLifeLincheckTest`.
 */
internal open class TimerLife {
    @JvmField @Volatile var state = PENDING // not private: updated through STATE

    val disposed: Boolean
        get() = state == DISPOSED

    /**
     * Disposes of the timer, and tells where it stopped it: in the heap (where it now counts as
     * disposed), in the ready queue (skipped when its turn comes), or nowhere, too late.
     */
    fun disposeLife(): Disposal =
        when {
            STATE.compareAndSet(this, PENDING, DISPOSED) -> Disposal.IN_HEAP
            STATE.compareAndSet(this, QUEUED, DISPOSED) -> Disposal.IN_QUEUE
            else -> Disposal.TOO_LATE
        }

    enum class Disposal {
        IN_HEAP,
        IN_QUEUE,
        TOO_LATE,
    }

    /** Takes the timer, out of the heap, into the ready queue; false if it was disposed. */
    fun queue(): Boolean = STATE.compareAndSet(this, PENDING, QUEUED)

    /** Its turn in the ready queue: true if its action is to run, false if it was disposed. */
    fun take(): Boolean = STATE.compareAndSet(this, QUEUED, TAKEN)

    private companion object {
        const val PENDING = 0
        const val DISPOSED = 1
        const val QUEUED = 2
        const val TAKEN = 3
        val STATE: AtomicIntegerFieldUpdater<TimerLife> =
            AtomicIntegerFieldUpdater.newUpdater(TimerLife::class.java, "state")
    }
}

/**
 * The single-threaded event loop: a ready queue and a timer heap drained by whichever thread calls
 * [runUntilComplete]. Any thread may dispatch into it; only the thread holding the loop's run
 * permit executes its work.
 *
 * The permit starts with the running thread. A Java body's thread holds it while its body runs, and
 * between two turns of its body it drains the queue itself until it hands the permit on (see
 * [JavaBody]); the running thread waits meanwhile. One holder at a time is what keeps task bodies
 * from running in parallel.
 */
@InternalCorobridgeApi
@OptIn(InternalCoroutinesApi::class)
public class LoopDispatcher private constructor() : CoroutineDispatcher(), Delay {
    private val ready = ConcurrentLinkedQueue<Runnable>()
    private val timersLock = ReentrantLock()
    private val timers = PriorityQueue<Timer>() // guarded by timersLock
    private var timerSequence = 0L // guarded by timersLock
    private val disposedTimers = AtomicInteger() // disposed but still in the heap

    @Volatile private var runner: Thread? = null
    @Volatile private var idle = false

    /**
     * Who may run: this loop (its running thread) or the [JavaBody] whose thread holds the run
     * permit. Only the holder changes it, to hand the permit on.
     */
    @get:JvmSynthetic
    @set:JvmSynthetic
    @Volatile
    internal var permitHolder: Any = this
        set(holder) {
            field = holder
            watch?.stepped()
        }

    /** Debug mode's threshold for a blocked-loop warning, in nanoseconds; 0 for none. */
    @Volatile private var blockedLoopNanos = 0L

    /** Watches the run under way in debug mode; written before the run, read by its holders. */
    private var watch: BlockedLoopWatch? = null

    /** True while the end of `Async.run` cancels the tasks still running, one by one. */
    @JvmField @JvmSynthetic internal var sweeping: Boolean = false

    // Only the permit's holder reads or writes these two (see runNext).
    private var iterationOpen = false
    private var atIterationEnd: Runnable? = null

    /**
     * [IDLE], [CLAIMED] by one run from its first check to its last report, or [CLOSED]; changed
     * only by compare-and-set, so that of two threads starting a run at once exactly one gets it.
     */
    private val state = AtomicInteger(IDLE)

    /**
     * The main task of the current run: the parent of tasks that Kotlin code on this loop starts.
     */
    @get:JvmSynthetic @set:JvmSynthetic @Volatile internal var main: TaskCoroutine<*>? = null

    /**
     * A future whose completion, in the turn running now, stands for its awaiter's own step: a
     * yield ([SleepCoroutine] of no delay), or a block that asyncio runs inside the awaiting task
     * (a timeout's body, `wait_for`). The Java body awaiting it resumes in this same turn instead
     * of queueing another. Only the permit's holder writes it; a stale value is harmless, since a
     * settled future gets no new waiters.
     */
    @JvmField @JvmSynthetic @Volatile internal var resumesInTurn: Any? = null

    /** The failures of tasks in this loop that nobody retrieved, reported when the loop ends. */
    @get:JvmSynthetic internal val failureReports: FailureReports = FailureReports()

    /** True while a run holds the loop ([runUntilComplete], or between [claim] and [release]). */
    public val isRunning: Boolean
        get() = state.get() == CLAIMED

    /** True once [close] was called. */
    public val isClosed: Boolean
        get() = state.get() == CLOSED

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        ready.add(block)
        if (idle) LockSupport.unpark(runner)
    }

    /**
     * Runs the loop on the calling thread until [job] is complete. An interrupt of that thread
     * calls [onInterrupt] (which should cancel [job]) and is restored when the loop returns.
     */
    @JvmSynthetic
    internal fun runUntilComplete(job: Job, onInterrupt: Runnable = Runnable { job.cancel() }) {
        claim()
        try {
            runClaimed(job, onInterrupt)
        } finally {
            release()
        }
    }

    /**
     * Takes the loop for one run, atomically: a second caller, on any thread, fails at once instead
     * of waiting for a permit that the first run holds.
     *
     * @throws IllegalStateException if the loop is closed or another run holds it
     */
    @JvmSynthetic
    internal fun claim() {
        if (state.compareAndSet(IDLE, CLAIMED)) return
        check(state.get() != CLOSED) {
            "the event loop is closed; create a new one (EventLoop.create()) or use Async.run(...)"
        }
        throw IllegalStateException(
            "the event loop is already running: one run at a time; await the task " +
                "instead of running the loop again"
        )
    }

    /** Ends the run that [claim] started; the loop may then run again. */
    @JvmSynthetic
    internal fun release() {
        state.set(IDLE)
    }

    /** [runUntilComplete], for the run that holds the loop by [claim]. */
    @JvmSynthetic
    internal fun runClaimed(job: Job, onInterrupt: Runnable) {
        runner = Thread.currentThread()
        val threshold = blockedLoopNanos
        watch = if (threshold > 0) BlockedLoopWatch(this, threshold) else null
        permitHolder = this
        val wake = job.invokeOnCompletion { if (idle) LockSupport.unpark(runner) }
        RUNNING.set(this)
        var interrupted = false
        try {
            interrupted = drain(job, onInterrupt)
        } finally {
            RUNNING.remove()
            watch?.stop()
            watch = null
            runner = null
            wake.dispose()
            if (interrupted) Thread.currentThread().interrupt()
        }
    }

    /** Returns whether the thread was interrupted meanwhile. */
    private fun drain(job: Job, onInterrupt: Runnable): Boolean {
        var interrupted = false
        while (true) {
            if (runNext()) {
                if (permitHolder !== this && waitForPermit(onInterrupt)) interrupted = true
                continue
            }
            if (job.isCompleted) return interrupted
            idle = true
            // Re-check after publishing `idle`: a dispatch that missed the flag left its task in
            // the queue.
            if (ready.isEmpty() && !job.isCompleted) {
                val wait = nanosUntilNextTimer()
                if (wait == Long.MAX_VALUE) LockSupport.park(this)
                else if (wait > 0) LockSupport.parkNanos(this, wait)
            }
            idle = false
            // A pending interrupt would make every park return at once; take it as a request to
            // cancel.
            if (Thread.interrupted()) {
                interrupted = true
                onInterrupt.run()
            }
        }
    }

    /**
     * Runs one ready task; false when none was ready. Only for the permit's holder.
     *
     * Work runs in asyncio's iterations: an iteration starts by queueing the due timers at the tail
     * and runs what was queued at its start; what the iteration queues runs in the next one. An
     * [ITERATION_END] marker in the queue tells where an iteration ends, so that dispatching costs
     * nothing more.
     */
    @JvmSynthetic
    internal fun runNext(): Boolean {
        while (true) {
            if (!iterationOpen) {
                queueDueTimers()
                if (ready.isEmpty()) return false
                ready.add(ITERATION_END)
                iterationOpen = true
            }
            val task = ready.poll() ?: error("the loop's iteration marker went missing")
            if (task === ITERATION_END) {
                iterationOpen = false
                val action = atIterationEnd ?: continue
                atIterationEnd = null
                runSafely(action)
                continue
            }
            runSafely(task)
            return true
        }
    }

    /**
     * Runs [action] once the current iteration has run (asyncio's `loop.stop()` from a callback:
     * the iteration still finishes). Only for the permit's holder.
     */
    @JvmSynthetic
    internal fun atIterationEnd(action: Runnable) {
        val earlier = atIterationEnd
        atIterationEnd =
            if (earlier == null) action
            else
                Runnable {
                    earlier.run()
                    action.run()
                }
    }

    /**
     * Called by a body thread holding the permit that found nothing ready: the running thread takes
     * over (waits for timers and other threads, ends the run).
     */
    @JvmSynthetic
    internal fun returnPermit() {
        permitHolder = this
        LockSupport.unpark(runner)
    }

    /**
     * Waits, on the running thread, until a body returns the permit. An interrupt meanwhile calls
     * [onInterrupt] (cancelling is safe from any thread); returns whether there was one.
     */
    private fun waitForPermit(onInterrupt: Runnable): Boolean {
        var interrupted = false
        while (permitHolder !== this) {
            LockSupport.park(this)
            if (Thread.interrupted()) {
                interrupted = true
                onInterrupt.run()
            }
        }
        return interrupted
    }

    private fun runSafely(task: Runnable) {
        watch?.stepped()
        try {
            task.run()
        } catch (e: Throwable) {
            // kotlinx tasks handle their own failures; anything reaching here is a bug worth
            // seeing, not a loop crash.
            val thread = Thread.currentThread()
            thread.uncaughtExceptionHandler.uncaughtException(thread, e)
        }
    }

    /**
     * Debug mode from the next run on, with [slowStepNanos] > 0; 0 turns it off. It warns through
     * `System.Logger` "dev.corobridge" when one body, or one step the loop runs, holds the loop
     * longer than [slowStepNanos] without an await ([BlockedLoopWatch]), and reports the tasks
     * nobody awaited with where they were created ([TaskOrigins]).
     */
    public fun setDebug(slowStepNanos: Long) {
        require(slowStepNanos >= 0) { "slowStepNanos must be >= 0, was $slowStepNanos" }
        blockedLoopNanos = slowStepNanos
    }

    /** True if the next run is in debug mode. */
    @get:JvmSynthetic
    internal val isDebug: Boolean
        get() = blockedLoopNanos > 0

    /** Parked with nothing to run: no one holds the loop up. */
    @JvmSynthetic internal fun isIdle(): Boolean = idle

    /** The thread running the loop now, if it runs. */
    @JvmSynthetic internal fun runnerThread(): Thread? = runner

    /** Marks the loop closed; running it again is refused. */
    public fun close() {
        if (state.compareAndSet(IDLE, CLOSED)) return
        check(state.get() == CLOSED) {
            "cannot close a running event loop; close it after its run returns"
        }
    }

    // --- timers

    @OptIn(ExperimentalCoroutinesApi::class)
    override fun scheduleResumeAfterDelay(
        timeMillis: Long,
        continuation: CancellableContinuation<Unit>,
    ) {
        val timer =
            schedule(timeMillis) {
                with(continuation) { this@LoopDispatcher.resumeUndispatched(Unit) }
            }
        continuation.disposeOnCancellation(timer)
    }

    override fun invokeOnTimeout(
        timeMillis: Long,
        block: Runnable,
        context: CoroutineContext,
    ): DisposableHandle = schedule(timeMillis, block)

    /** Runs [action] on the loop thread after [delayNanos]; dispose the handle to cancel it. */
    @JvmSynthetic
    internal fun scheduleNanos(delayNanos: Long, action: Runnable): DisposableHandle {
        val deadline = System.nanoTime() + delayNanos.coerceIn(0, MAX_DELAY_NANOS)
        val timer =
            timersLock.withLock {
                // Disposed timers wait at their place in the heap; once they are the majority they
                // are swept out, so a sweep costs O(1) per disposal, amortised.
                val disposed = disposedTimers.get()
                if (disposed >= SWEEP_AT_LEAST && disposed > timers.size / 2) {
                    val before = timers.size
                    timers.removeIf { it.disposed }
                    disposedTimers.addAndGet(timers.size - before)
                }
                Timer(deadline, timerSequence++, action).also { timers.add(it) }
            }
        if (idle) LockSupport.unpark(runner)
        return timer
    }

    private fun schedule(timeMillis: Long, action: Runnable): DisposableHandle =
        scheduleNanos(
            TimeUnit.MILLISECONDS.toNanos(timeMillis.coerceAtMost(MAX_DELAY_MILLIS)),
            action,
        )

    /** Moves the due timers, earliest first, to the ready queue's tail (asyncio's `_run_once`). */
    private fun queueDueTimers() {
        val now = System.nanoTime()
        timersLock.withLock {
            while (true) {
                val head = timers.peek() ?: return
                if (!head.disposed && head.deadline - now > 0) return
                timers.poll()
                if (head.queue()) ready.add(head) else disposedTimers.decrementAndGet()
            }
        }
    }

    private fun nanosUntilNextTimer(): Long =
        timersLock.withLock {
            val head = timers.peek() ?: return Long.MAX_VALUE
            return (head.deadline - System.nanoTime()).coerceAtLeast(0)
        }

    private inner class Timer(val deadline: Long, val sequence: Long, val action: Runnable) :
        TimerLife(), Comparable<Timer>, DisposableHandle, Runnable {
        override fun dispose() {
            if (disposeLife() == Disposal.IN_HEAP) disposedTimers.incrementAndGet()
        }

        /** Its turn in the ready queue: the action runs unless it was disposed meanwhile. */
        override fun run() {
            if (take()) action.run()
        }

        override fun compareTo(other: Timer): Int {
            val byDeadline = (deadline - other.deadline).compareTo(0)
            return if (byDeadline != 0) byDeadline else sequence.compareTo(other.sequence)
        }
    }

    public companion object {
        private const val MAX_DELAY_MILLIS = Long.MAX_VALUE / 2_000_000
        private const val MAX_DELAY_NANOS = Long.MAX_VALUE / 2 // no overflow when added to nanoTime
        private const val SWEEP_AT_LEAST = 1024
        private val ITERATION_END = Runnable {}
        private const val IDLE = 0
        private const val CLAIMED = 1
        private const val CLOSED = 2
        private val RUNNING = ThreadLocal<LoopDispatcher>()

        /**
         * The loop this thread is running, or null. A body thread runs its loop between two turns
         * of its body; it is looked up without touching the `ThreadLocal`, which would give the
         * thread a map of its own.
         */
        @JvmSynthetic
        internal fun running(): LoopDispatcher? = JavaBody.loopRunHere { RUNNING.get() }

        /** A new loop; the facade gets one from [Loops.newLoop]. */
        @JvmSynthetic internal fun create(): LoopDispatcher = LoopDispatcher()
    }
}
