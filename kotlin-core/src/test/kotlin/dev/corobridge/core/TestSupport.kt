package dev.corobridge.core

import dev.corobridge.testing.Capture
import dev.corobridge.testing.Report
import java.util.concurrent.Callable
import java.util.concurrent.CopyOnWriteArrayList
import java.util.function.BiConsumer
import org.junit.jupiter.api.Assumptions.assumeTrue

/** The smallest task type: the engine needs a [TaskFuture] subclass to create tasks. */
internal class TestTask<T> : TaskFuture<T>() {
    override fun <U> newTask(): TaskFuture<U> = TestTask()
}

/** An engine whose tasks are [TestTask]s. */
internal fun testEngine(): Engine = Engine.forTests { TestTask<Any?>() }

/** An event log for ordering tests: tasks add events, the test compares the sequence. */
class Trail {
    private val events = ArrayList<String>()

    @Synchronized
    fun add(event: String) {
        events.add(event)
    }

    @Synchronized fun events(): List<String> = events.toList()
}

/**
 * A failure handler that keeps what the loop reported as never retrieved, in order. What it keeps
 * also counts as reported for ReportCheck until the test reads [reports]: a test that hands this
 * handler to a loop and never looks at it still fails on a report.
 */
class ReportedFailures : BiConsumer<String, Throwable> {
    private val kept = CopyOnWriteArrayList<Pair<String, Throwable>>()
    private val pending = CopyOnWriteArrayList<Report>()

    /** What was reported so far; reading it takes these reports from ReportCheck. */
    val reports: List<Pair<String, Throwable>>
        get() {
            Capture.remove(pending)
            pending.clear()
            return kept.toList()
        }

    override fun accept(taskName: String, exception: Throwable) {
        kept.add(taskName to exception)
        val report =
            Report(
                Report.Kind.TASK_FAILURE,
                taskName,
                exception,
                "Task exception was never retrieved (ReportedFailures): task '$taskName'",
            )
        pending.add(report)
        Capture.add(report)
    }
}

/**
 * Runs [body] as the main (Java, direct-style) task of a fresh loop, like `Async.run` or
 * `EventLoop.runBlocking`. Failures nobody retrieved go to `FailureReports.LOG`, as in `Async.run`,
 * where ReportCheck fails the test unless it takes them.
 */
internal fun <T> Engine.runMain(
    threads: BodyThreads = BodyThreads.PLATFORM,
    cancelLeftovers: Boolean = true,
    failureHandler: BiConsumer<String, Throwable> = FailureReports.LOG,
    body: () -> T,
): T =
    loops.runLoop(
        LoopDispatcher.create(),
        threads == BodyThreads.VIRTUAL,
        cancelLeftovers,
        failureHandler,
        Callable { body() },
    )

/** Skips the current test when [kind] cannot run on this JDK (virtual threads need JDK 21+). */
internal fun assumeAvailable(kind: BodyThreads) {
    assumeTrue(kind != BodyThreads.VIRTUAL || BodyThreads.virtualAvailable) {
        "virtual threads need JDK 21+"
    }
}

/** Waits (bounded) until [thread] is parked with nothing to do. */
internal fun awaitParked(thread: Thread) {
    val deadline = System.nanoTime() + 5_000_000_000L
    while (thread.state != Thread.State.WAITING) {
        check(thread.isAlive) { "$thread ended instead of parking" }
        check(System.nanoTime() < deadline) { "$thread did not park; state ${thread.state}" }
        Thread.sleep(1)
    }
}
