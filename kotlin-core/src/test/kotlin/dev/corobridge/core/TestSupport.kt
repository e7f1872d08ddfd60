package dev.corobridge.core

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

/** A failure handler that keeps what the loop reported as never retrieved, in order. */
class ReportedFailures : BiConsumer<String, Throwable> {
    val reports: MutableList<Pair<String, Throwable>> = CopyOnWriteArrayList()

    override fun accept(taskName: String, exception: Throwable) {
        reports.add(taskName to exception)
    }
}

/**
 * Runs [body] as the main (Java, direct-style) task of a fresh loop, like `Async.run` or
 * `runUntilComplete`.
 */
internal fun <T> Engine.runMain(
    threads: BodyThreadKind = BodyThreadKind.PLATFORM,
    cancelLeftovers: Boolean = true,
    failureHandler: BiConsumer<String, Throwable> = ReportedFailures(),
    body: () -> T,
): T = runLoop(LoopDispatcher(), threads, cancelLeftovers, failureHandler, Callable { body() })

/** Skips the current test when [kind] cannot run on this JDK (virtual threads need JDK 21+). */
internal fun assumeAvailable(kind: BodyThreadKind) {
    assumeTrue(kind != BodyThreadKind.VIRTUAL || BodyThreadKind.virtualAvailable) {
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
