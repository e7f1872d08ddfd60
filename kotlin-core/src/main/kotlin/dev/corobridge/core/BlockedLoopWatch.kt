package dev.corobridge.core

import java.util.concurrent.ScheduledFuture
import java.util.concurrent.ScheduledThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * Debug mode's blocked-loop warning (asyncio's `slow_callback_duration`): while a loop runs, its
 * permit holders count their steps, and a watchdog thread samples the count. A count that stays put
 * for [thresholdNanos] while someone holds the permit means one body (or one step the loop runs)
 * has gone that long without an await: a blocking call inside async code. The warning names the
 * task and shows its thread's stack at that moment, once per stall.
 */
internal class BlockedLoopWatch(
    private val loop: LoopDispatcher,
    private val thresholdNanos: Long,
) {
    private val steps = AtomicLong()
    private val sampling: ScheduledFuture<*>

    // The watchdog thread's own.
    private var lastSeen = -1L
    private var seenSince = 0L
    private var warned = false

    init {
        val period = (thresholdNanos / 4).coerceIn(MIN_PERIOD_NANOS, MAX_PERIOD_NANOS)
        sampling = WATCHDOG.scheduleAtFixedRate(::sample, period, period, TimeUnit.NANOSECONDS)
    }

    /**
     * A step began or the permit changed hands. Only the permit's holder calls it, so a plain
     * increment published lazily is enough: the watchdog sees it within a sample or two.
     */
    fun stepped() {
        steps.lazySet(steps.get() + 1)
    }

    fun stop() {
        sampling.cancel(false)
    }

    private fun sample() {
        val now = System.nanoTime()
        val seen = steps.get()
        if (seen != lastSeen || loop.isIdle()) {
            lastSeen = seen
            seenSince = now
            warned = false
            return
        }
        if (warned || now - seenSince < thresholdNanos) return
        warned = true
        warn(loop.permitHolder, (now - seenSince) / 1_000_000)
    }

    private fun warn(holder: Any, heldMillis: Long) {
        val body = holder as? JavaBody<*>
        val thread = (if (body != null) body.thread() else loop.runnerThread()) ?: return
        val stack = thread.stackTrace
        val inLoopStep =
            stack.any { it.className == LoopDispatcher::class.java.name && it.methodName == STEP }
        val who =
            when {
                body == null || inLoopStep ->
                    "a step the loop runs (a Kotlin coroutine or callback) on thread '${thread.name}'"
                else -> "task '${body.task.name()}'"
            }
        val where = BlockedLoop("$who, where it is now").apply { stackTrace = stack }
        LOGGER.log(
            System.Logger.Level.WARNING,
            "$who has held the event loop for $heldMillis ms without an await (the debug " +
                "threshold is ${thresholdNanos / 1_000_000} ms): every other task of the loop " +
                "waits meanwhile. Run blocking calls through Async.toThread(...) and CPU work " +
                "through Async.compute(...), or await a task that does it.",
            where,
        )
    }

    /** Carries the stalled thread's stack in the warning; it was not thrown. */
    private class BlockedLoop(message: String) : Throwable(message, null, false, true)

    private companion object {
        val LOGGER: System.Logger = System.getLogger("dev.corobridge")
        const val STEP = "runSafely"
        val MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1)
        val MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250)

        /** One daemon thread for every watched loop; it ends a second after the last is done. */
        val WATCHDOG =
            ScheduledThreadPoolExecutor(1) { task ->
                    Thread(task, "corobridge-loop-watchdog").apply { isDaemon = true }
                }
                .apply {
                    setKeepAliveTime(1, TimeUnit.SECONDS)
                    allowCoreThreadTimeOut(true)
                    removeOnCancelPolicy = true
                }
    }
}
