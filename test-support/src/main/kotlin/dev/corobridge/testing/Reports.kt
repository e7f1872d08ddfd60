package dev.corobridge.testing

import java.lang.ref.PhantomReference
import java.lang.ref.ReferenceQueue
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import java.util.logging.SimpleFormatter

/**
 * The reports of the running test, for a test that produces them on purpose: declare a parameter of
 * this type, then [take] what was reported and assert it. Whatever is still untaken when the test
 * ends fails it (see [ReportCheck]).
 * <pre>
 * void aForgottenFailureIsReported(Reports reports) throws Exception {
 *     Async.run(() -> Async.launch("forgotten", () -> { throw new IOException("lost"); }));
 *     assertEquals(List.of("forgotten"), reports.take().stream().map(Report::source).toList());
 * }
 * </pre>
 */
class Reports internal constructor() {
    /** Returns what was reported since the test started, or since the last call, and takes it. */
    fun take(): List<Report> = Capture.drain()

    /**
     * Waits until a task failure of the task named [taskName] is reported, collecting garbage
     * meanwhile (a background task is reported once it is collected), and takes everything reported
     * so far; returns that task's exception.
     */
    @JvmOverloads
    fun awaitTaskFailure(taskName: String, timeout: Duration = Duration.ofSeconds(5)): Throwable {
        val deadline = System.nanoTime() + timeout.toNanos()
        val seen = ArrayList<Report>()
        while (true) {
            seen.addAll(take())
            seen
                .firstOrNull { it.kind == Report.Kind.TASK_FAILURE && it.source == taskName }
                ?.let {
                    return it.exception!!
                }
            check(System.nanoTime() < deadline) {
                "no failure of task '$taskName' was reported in $timeout; reported: $seen"
            }
            collectGarbage()
            Thread.sleep(10)
        }
    }

    internal companion object {
        /**
         * Runs a garbage collection and waits until its references are being cleaned, so that the
         * Cleaner reports a collected task's failure to the test that dropped it. Twice: a task
         * that has just completed may still be referenced for a moment by the thread that ran it.
         */
        fun collectGarbage() {
            repeat(2) {
                val queue = ReferenceQueue<Any>()
                val sentinel = unreachableSentinel(queue)
                for (attempt in 1..3) {
                    System.gc()
                    if (queue.remove(100) != null) break
                }
                java.lang.ref.Reference.reachabilityFence(sentinel)
                Thread.sleep(
                    3
                ) // the engine's Cleaner thread runs its actions after ours is enqueued
            }
        }

        private fun unreachableSentinel(queue: ReferenceQueue<Any>): PhantomReference<Any> =
            PhantomReference(Any(), queue)
    }
}

/** The process-wide capture: a handler on the engine's logger and the default uncaught handler. */
object Capture {
    private val captured = ConcurrentLinkedQueue<Report>()
    // Held strongly: java.util.logging keeps loggers only weakly, and with them their handlers.
    private val logger: Logger = Logger.getLogger("dev.corobridge")
    private val neverRetrieved =
        Regex("""never retrieved: task '(.*?)'(?: \(from .*\))?$""", RegexOption.DOT_MATCHES_ALL)
    private val neverAwaited =
        Regex("""^task '(.*?)' from .* was never awaited""", RegexOption.DOT_MATCHES_ALL)
    private var installed = false

    @Synchronized
    fun install() {
        if (installed) return
        installed = true
        val formatter = SimpleFormatter()
        logger.addHandler(
            object : Handler() {
                override fun publish(record: LogRecord) {
                    if (record.level.intValue() < Level.WARNING.intValue()) return
                    val message = formatter.formatMessage(record)
                    val failed = neverRetrieved.find(message)?.groupValues?.get(1)
                    val unawaited = neverAwaited.find(message)?.groupValues?.get(1)
                    captured.add(
                        if (failed != null)
                            Report(Report.Kind.TASK_FAILURE, failed, record.thrown, message)
                        else if (unawaited != null)
                            Report(Report.Kind.NEVER_AWAITED, unawaited, record.thrown, message)
                        else
                            Report(
                                Report.Kind.LOGGED,
                                record.loggerName ?: "",
                                record.thrown,
                                message,
                            )
                    )
                }

                override fun flush() {}

                override fun close() {}
            }
        )
        // Captured reports are listed by the failing test; unexpected ones are not printed twice.
        logger.useParentHandlers = false
        Thread.setDefaultUncaughtExceptionHandler { thread, exception ->
            captured.add(
                Report(
                    Report.Kind.UNCAUGHT_EXCEPTION,
                    thread.name,
                    exception,
                    "uncaught exception on thread '${thread.name}'",
                )
            )
        }
    }

    /** Adds a report made by a test's own failure handler (see ReportedFailures). */
    fun add(report: Report) {
        captured.add(report)
    }

    /** Removes reports a test has looked at through its own failure handler. */
    fun remove(reports: Collection<Report>) {
        captured.removeAll(reports.toSet())
    }

    fun drain(): List<Report> {
        val reports = ArrayList<Report>()
        while (true) reports.add(captured.poll() ?: return reports)
    }
}
