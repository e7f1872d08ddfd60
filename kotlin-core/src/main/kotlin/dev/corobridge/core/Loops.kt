package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CountDownLatch
import java.util.function.BiConsumer
import kotlinx.coroutines.CoroutineDispatcher

/** The engine's room for event loops: `Async.run`, `runBlocking`, `EventLoop.runBlocking`. */
@InternalCorobridgeApi
public class Loops private constructor(private val starter: TaskStarter) {
    /** A new single-threaded event loop, idle until [runLoop] runs it. */
    public fun newLoop(): LoopDispatcher = LoopDispatcher.create()

    /**
     * Runs [body] as the main task of [loop] on the calling thread's behalf and returns its result.
     * Bodies run on virtual threads if [virtualThreads], else on pooled platform threads. With
     * [cancelLeftovers] (asyncio.run) tasks still running when the body returns are cancelled and
     * their cleanup awaited; without it (runBlocking) they are waited for.
     */
    public fun <T> runLoop(
        loop: LoopDispatcher,
        virtualThreads: Boolean,
        cancelLeftovers: Boolean,
        failureHandler: BiConsumer<String, Throwable>,
        body: Callable<T>,
    ): T {
        checkNoRunningLoop()
        val bodyThreads = BodyThreads.of(virtualThreads)
        // Claimed before the main task is dispatched into the loop, released after the reports:
        // a second caller must not touch this run's queue, main task or failures.
        loop.claim()
        try {
            loop.failureReports.origins = if (loop.isDebug) TaskOrigins() else null
            val environment =
                starter.environment(exclusive = true, bodyThreads, loop.failureReports)
            val main = startMain(loop, environment, cancelLeftovers, body)
            if (loop.isDebug) TaskDumps.list(environment)
            val coroutine = main.coroutine!!
            try {
                val cancelMain = Runnable { main.cancel(false) }
                bodyThreads.runLoop(onInterrupt = cancelMain::run) {
                    loop.runClaimed(coroutine, cancelMain)
                }
            } finally {
                loop.main = null
                TaskDumps.forget(environment)
                loop.failureReports.flush(failureHandler)
            }
            return main.outcome()
        } finally {
            loop.release()
        }
    }

    /**
     * Like [runLoop] on a parallel [dispatcher]: no run permit, Java bodies may run at the same
     * time. In [debug] mode the tasks nobody awaited are reported; no watchdog looks for a blocked
     * thread, since no body holds up the others.
     */
    public fun <T> runOn(
        dispatcher: CoroutineDispatcher,
        cancelLeftovers: Boolean,
        debug: Boolean,
        failureHandler: BiConsumer<String, Throwable>,
        body: Callable<T>,
    ): T {
        checkNoRunningLoop()
        val reports = FailureReports()
        if (debug) reports.origins = TaskOrigins()
        val environment = starter.environment(exclusive = false, BodyThreads.preferred(), reports)
        val main = startMain(dispatcher, environment, cancelLeftovers, body)
        if (debug) TaskDumps.list(environment)
        val finished = CountDownLatch(1)
        main.coroutine!!.invokeOnCompletion { finished.countDown() }
        try {
            waitThroughInterrupts(onInterrupt = { main.cancel(false) }) { finished.await() }
        } finally {
            TaskDumps.forget(environment)
        }
        reports.flush(failureHandler)
        return main.outcome()
    }

    /** True when this JDK can run bodies on virtual threads (JDK 21+). */
    public fun virtualThreadsAvailable(): Boolean = BodyThreads.virtualAvailable

    /** The handler a loop reports unretrieved failures to unless told otherwise: the log. */
    public fun defaultFailureHandler(): BiConsumer<String, Throwable> = FailureReports.LOG

    private fun <T> startMain(
        dispatcher: CoroutineDispatcher,
        environment: TaskEnvironment,
        cancelLeftovers: Boolean,
        body: Callable<T>,
    ): TaskFuture<T> {
        val main = starter.newTask<T>(null)
        val carried = ContextCarriers.capture()
        val context = dispatcher + environment
        val coroutine = JavaBody(if (carried == null) context else context + carried, main)
        main.markRetrieved() // its outcome goes to the caller of run
        environment.root = coroutine
        if (dispatcher is LoopDispatcher) dispatcher.main = coroutine
        coroutine.launch(body, cancelChildrenAfterBody = cancelLeftovers)
        return main
    }

    private fun checkNoRunningLoop() {
        check(JavaBody.current() == null && LoopDispatcher.running() == null) {
            "Async.run() cannot be called from a running event loop (asyncio: 'cannot be called from a running " +
                "event loop'); inside a task, start the work with Async.launch(...) and await it"
        }
    }

    internal companion object {
        @JvmSynthetic fun create(starter: TaskStarter): Loops = Loops(starter)
    }
}
