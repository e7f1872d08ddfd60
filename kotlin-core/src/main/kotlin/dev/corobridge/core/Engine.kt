package dev.corobridge.core

import java.lang.invoke.MethodHandles
import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.function.BiConsumer
import java.util.function.Function
import java.util.function.Supplier
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * Every operation of the Java facade, implemented once. Each returns a [TaskFuture] made by
 * [newFuture] (the facade's `Task`), started as a child of the current task, or on the background
 * dispatcher when the caller is not inside a task.
 */
@InternalCorobridgeApi
@OptIn(InternalCoroutinesApi::class, DelicateCoroutinesApi::class)
public class Engine private constructor(private val newFuture: Supplier<out TaskFuture<*>>) {
    private val background: CoroutineContext =
        Dispatchers.Default +
            TaskEnvironment(exclusive = false, BodyThreads.preferred(), reports = null, newFuture)

    init {
        DefaultTasks.register(newFuture)
        // A parked body runs the code after its await for the first time only when it resumes,
        // possibly long after the JIT compiled that code. A class still unloaded at compile time
        // becomes an uncommon trap there, and every resuming body then deoptimizes (measured:
        // ~90k deoptimizations for 100k bodies woken together). Running it once loads it.
        CompletableFuture.completedFuture(null).outcome()
    }

    // --- event loops

    /**
     * Runs [body] as the main task of [loop] on the calling thread's behalf and returns its result.
     * With [cancelLeftovers] (asyncio.run) tasks still running when the body returns are cancelled
     * and their cleanup awaited; without it (runBlocking) they are waited for.
     */
    public fun <T> runLoop(
        loop: LoopDispatcher,
        threads: BodyThreadKind,
        cancelLeftovers: Boolean,
        failureHandler: BiConsumer<String, Throwable>,
        body: Callable<T>,
    ): T {
        checkNoRunningLoop()
        val bodyThreads = BodyThreads.of(threads)
        // Claimed before the main task is dispatched into the loop, released after the reports:
        // a second caller must not touch this run's queue, main task or failures.
        loop.claim()
        try {
            val main =
                startMain(
                    loop,
                    TaskEnvironment(exclusive = true, bodyThreads, loop.failureReports, newFuture),
                    cancelLeftovers,
                    body,
                )
            val coroutine = main.coroutine!!
            try {
                val cancelMain = Runnable { main.cancel(false) }
                bodyThreads.runLoop(onInterrupt = cancelMain::run) {
                    loop.runClaimed(coroutine, cancelMain)
                }
            } finally {
                loop.main = null
                loop.failureReports.flush(failureHandler)
            }
            return main.outcome()
        } finally {
            loop.release()
        }
    }

    /**
     * Like [runLoop] on a parallel [dispatcher]: no run permit, Java bodies may run at the same
     * time.
     */
    public fun <T> runOn(
        dispatcher: CoroutineDispatcher,
        cancelLeftovers: Boolean,
        failureHandler: BiConsumer<String, Throwable>,
        body: Callable<T>,
    ): T {
        checkNoRunningLoop()
        val reports = FailureReports()
        val main =
            startMain(
                dispatcher,
                TaskEnvironment(exclusive = false, BodyThreads.preferred(), reports, newFuture),
                cancelLeftovers,
                body,
            )
        val finished = CountDownLatch(1)
        main.coroutine!!.invokeOnCompletion { finished.countDown() }
        waitThroughInterrupts(onInterrupt = { main.cancel(false) }) { finished.await() }
        reports.flush(failureHandler)
        return main.outcome()
    }

    private fun <T> startMain(
        dispatcher: CoroutineDispatcher,
        environment: TaskEnvironment,
        cancelLeftovers: Boolean,
        body: Callable<T>,
    ): TaskFuture<T> {
        val main = newTask<T>(null)
        main.markRetrieved() // its outcome goes to the caller of run
        val carried = ContextCarriers.capture()
        val context = dispatcher + environment
        val coroutine = JavaBody(if (carried == null) context else context + carried, main)
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

    // --- tasks

    /** Starts a Java body as a task. */
    public fun <T> launch(name: String?, body: Callable<T>): TaskFuture<T> =
        startBody(currentContext(), name, body)

    /**
     * Calls a Kotlin `suspend` function from Java as a task: [call] receives the continuation to
     * pass as the function's last argument and returns what the function returns, its value or
     * `COROUTINE_SUSPENDED`; both paths end in the task's value. The continuation resumes the task
     * once; see [ResumeOnce].
     */
    public fun <T> suspending(call: SuspendCall<T>): TaskFuture<T> =
        start(currentContext(), null) {
            suspendCoroutineUninterceptedOrReturn { continuation ->
                val once = ResumeOnce(continuation)
                once.settle(runCatching { call.call(once) })
            }
        }

    /** Starts a Kotlin suspending block as a task: a plain coroutine on the current loop. */
    public fun <T> launchSuspending(
        name: String?,
        block: suspend CoroutineScope.() -> T,
    ): TaskFuture<T> = start(currentContext(), name) { block() }

    /**
     * Suspends the calling Java body until [future] settles and returns its value or rethrows its
     * exception.
     */
    public fun <T> await(future: CompletableFuture<T>): T = await(future, cancellable = true)

    /**
     * Like [await], but cancellation of the calling task does not interrupt the wait: for work that
     * must finish even then, such as closing a resource. Outside a task body, blocks the thread.
     */
    public fun <T> awaitNonCancellable(future: CompletableFuture<T>): T {
        if (JavaBody.current() != null) return await(future, cancellable = false)
        val settled = CountDownLatch(1)
        future.onSettled { settled.countDown() }
        waitThroughInterrupts(onInterrupt = {}) { settled.await() }
        return future.outcome()
    }

    // Inline: one stack frame less in every suspended body.
    @Suppress("NOTHING_TO_INLINE")
    private inline fun <T> await(future: CompletableFuture<T>, cancellable: Boolean): T {
        val body = JavaBody.current() ?: throw IllegalStateException(AWAIT_OUTSIDE_TASK)
        check(future !== body.task) {
            "Task '${body.task.name()}' cannot await itself: it would wait forever"
        }
        if (!future.isSettled()) body.await(future, cancellable)
        try {
            return future.outcome()
        } catch (e: Throwable) {
            if (e !is CancellationException) AwaitedAt.attach(e, body.task)
            throw e
        }
    }

    /** The task whose body is running on this thread, or null. */
    public fun currentTask(): TaskFuture<*>? = JavaBody.current()?.task

    /** Every unfinished task of the current loop. */
    public fun allTasks(): List<TaskFuture<*>> {
        val body =
            JavaBody.current()
                ?: throw IllegalStateException(
                    "no running event loop: allTasks() works inside a task"
                )
        val root =
            body.context[TaskEnvironment]?.root ?: body.task.coroutine ?: return listOf(body.task)
        return runningTasks(root)
    }

    // --- time

    /** A task that completes after [nanos]. */
    public fun sleep(nanos: Long): TaskFuture<Void?> {
        require(nanos >= 0) { "sleep duration must not be negative, was ${describeNanos(nanos)}" }
        return startSleep(nanos)
    }

    /** A task that completes once every task ready now has had its turn (asyncio.sleep(0)). */
    public fun yieldNow(): TaskFuture<Void?> = startSleep(0)

    private fun startSleep(nanos: Long): TaskFuture<Void?> {
        val future = newTask<Void?>(null)
        SleepCoroutine(currentContext(), future).start(nanos)
        return future
    }

    /** Runs [body] as a task that is cancelled after [nanos], failing with `TimeoutException`. */
    public fun <T> timeout(nanos: Long, body: Callable<T>): TaskFuture<T> {
        require(nanos >= 0) { "timeout must not be negative, was ${describeNanos(nanos)}" }
        return startBody(
            currentContext(),
            null,
            body,
            deadlineNanos = nanos,
            subject = "the body of Async.timeout",
            runsIfItsDeadlinePassed = true,
        )
    }

    /**
     * Awaits [task] for at most [nanos]; on timeout cancels it, awaits its cleanup and fails with
     * `TimeoutException`.
     */
    public fun <T> waitFor(task: CompletableFuture<T>, nanos: Long): TaskFuture<T> {
        require(nanos >= 0) { "timeout must not be negative, was ${describeNanos(nanos)}" }
        val subject = if (task is TaskFuture<*>) "Task '${task.name()}'" else "the awaited future"
        return start(
            currentContext(),
            null,
            deadlineNanos = nanos,
            subject = subject,
            runsEvenIfCancelledEarly = true,
        ) {
            awaitOrCancel(task)
            task.outcome()
        }
    }

    /** A task that mirrors [task] but whose cancellation leaves [task] running. */
    public fun <T> shield(task: CompletableFuture<T>): TaskFuture<T> =
        start(currentContext(), null) {
            awaitSettled(task)
            task.outcome()
        }

    // --- many tasks

    /** Results in argument order; fails with the first failure. Cancelling it cancels the tasks. */
    public fun <T> gather(tasks: List<CompletableFuture<out T>>): TaskFuture<List<T>> =
        start(currentContext(), null, runsEvenIfCancelledEarly = true) {
            val firstFailure = awaitAllOrCancel(tasks, stopAtFailure = true)
            if (firstFailure >= 0) {
                // asyncio's gather retrieves the exceptions of the children that fail after it.
                for (task in tasks) if (task is TaskFuture<*>) task.markAllRetrieved()
                tasks[firstFailure].outcome()
            }
            tasks.map { it.outcome() }
        }

    /**
     * Waits for every task and maps each settled one with [outcome]; never fails because a task
     * did.
     */
    public fun <T, R> gatherSettled(
        tasks: List<CompletableFuture<out T>>,
        outcome: Function<CompletableFuture<out T>, R>,
    ): TaskFuture<List<R>> =
        start(currentContext(), null, runsEvenIfCancelledEarly = true) {
            awaitAllOrCancel(tasks, stopAtFailure = false)
            tasks.map { task ->
                if (task is TaskFuture<*>) task.markRetrieved()
                outcome.apply(task)
            }
        }

    /**
     * Runs a task group: [body] receives the group's scope; a failed child cancels the body and its
     * siblings, and the group fails with the first failure, the later ones attached as suppressed.
     */
    public fun <T> taskGroup(body: Function<TaskGroupScope, Callable<T>>): TaskFuture<T> {
        val future = newTask<T>(null)
        val group = JavaBody(taskContext(currentContext(), null), future, isGroup = true)
        group.launch(body.apply(TaskGroupScope(group)))
        return future
    }

    /** The scope a task group hands to its body. */
    public inner class TaskGroupScope internal constructor(private val group: TaskCoroutine<*>) {
        /** Starts [body] as a child of the group. */
        public fun <T> launch(name: String?, body: Callable<T>): TaskFuture<T> {
            check(group.isActive) {
                "the task group '${group.future.name()}' has finished or is shutting down; launch tasks inside its body"
            }
            return startBody(group.context, name, body)
        }
    }

    // --- threads

    /**
     * Runs blocking [work] on the IO dispatcher; cancelling the task interrupts the worker thread.
     */
    public fun <T> toThread(work: Callable<T>): TaskFuture<T> = offload(Dispatchers.IO, work)

    /** Runs CPU-bound [work] on the default dispatcher. */
    public fun <T> compute(work: Callable<T>): TaskFuture<T> = offload(Dispatchers.Default, work)

    /**
     * Runs blocking [work] on [dispatcher]; cancelling the task interrupts the thread running it.
     */
    public fun <T> offload(dispatcher: CoroutineDispatcher, work: Callable<T>): TaskFuture<T> =
        start(currentContext() + dispatcher, null) { runInterruptibly(this, work) }

    // --- internals

    /**
     * Where a new task belongs: the calling Java body's task; else, for Kotlin code running on an
     * event loop, the loop's main task; else the background dispatcher.
     */
    @JvmSynthetic
    internal fun currentContext(): CoroutineContext =
        JavaBody.current()?.launchContext ?: LoopDispatcher.running()?.main?.context ?: background

    @Suppress("UNCHECKED_CAST")
    private fun <T> newTask(name: String?): TaskFuture<T> =
        (newFuture.get() as TaskFuture<T>).also { if (name != null) it.setName(name) }

    /** The context of a new task under [parent]: its name, and the context carriers' values. */
    private fun taskContext(parent: CoroutineContext, name: String?): CoroutineContext {
        var context = if (name == null) parent else parent + CoroutineName(name)
        ContextCarriers.capture()?.let { context += it }
        return context
    }

    /** Starts a Java body as a task; see [JavaBody.launch] for [runsIfItsDeadlinePassed]. */
    private fun <T> startBody(
        parent: CoroutineContext,
        name: String?,
        body: Callable<T>,
        deadlineNanos: Long = NO_DEADLINE,
        subject: String = "",
        runsIfItsDeadlinePassed: Boolean = false,
    ): TaskFuture<T> {
        val future = newTask<T>(name)
        val task = JavaBody(taskContext(parent, name), future)
        if (deadlineNanos != NO_DEADLINE) task.startDeadline(deadlineNanos, subject)
        task.launch(body, runsIfItsDeadlinePassed)
        return future
    }

    /** Starts a Kotlin block as a task. */
    private fun <T> start(
        parent: CoroutineContext,
        name: String?,
        deadlineNanos: Long = NO_DEADLINE,
        subject: String = "",
        runsEvenIfCancelledEarly: Boolean = false,
        block: suspend TaskCoroutine<T>.() -> T,
    ): TaskFuture<T> {
        val future = newTask<T>(name)
        val coroutine = TaskCoroutine(taskContext(parent, name), future)
        if (deadlineNanos != NO_DEADLINE) coroutine.startDeadline(deadlineNanos, subject)
        // ATOMIC: a block that must react to its own cancellation (cancel what it waits for) still
        // gets its first turn when cancelled before it.
        coroutine.start(
            if (runsEvenIfCancelledEarly) CoroutineStart.ATOMIC else CoroutineStart.DEFAULT,
            coroutine,
            block,
        )
        return future
    }

    /**
     * Awaits [task]; if this coroutine is cancelled meanwhile, cancels [task] and awaits its
     * cleanup first.
     */
    private suspend fun awaitOrCancel(task: CompletableFuture<*>) {
        try {
            awaitSettled(task)
        } catch (e: CancellationException) {
            task.cancel(false)
            withContext(NonCancellable) { awaitSettled(task) }
            throw e
        }
    }

    private suspend fun awaitAllOrCancel(
        tasks: List<CompletableFuture<*>>,
        stopAtFailure: Boolean,
    ): Int {
        try {
            return awaitAll(tasks, stopAtFailure)
        } catch (e: CancellationException) {
            tasks.forEach { it.cancel(false) }
            withContext(NonCancellable) { awaitAll(tasks, stopAtFailure = false) }
            throw e
        }
    }

    public companion object {
        private const val NO_DEADLINE = -1L
        private const val FACADE = "dev.corobridge.Async"
        @Volatile private var connected = false

        /**
         * Connects the Java facade, once per class loader: [facade] must be a full-privilege lookup
         * of `dev.corobridge.Async`, which only that class can make. Nothing else gets an engine.
         */
        @JvmStatic
        public fun connect(
            facade: MethodHandles.Lookup,
            newFuture: Supplier<out TaskFuture<*>>,
        ): Engine {
            require(facade.lookupClass().name == FACADE && facade.hasFullPrivilegeAccess()) {
                "the corobridge engine serves its Java facade only: use $FACADE"
            }
            synchronized(this) {
                check(!connected) { "the corobridge engine is connected already: use $FACADE" }
                connected = true
            }
            return Engine(newFuture)
        }

        /** An engine for the engine's own tests, whose tasks [newFuture] makes. */
        @JvmSynthetic
        internal fun forTests(newFuture: Supplier<out TaskFuture<*>>): Engine = Engine(newFuture)

        private const val AWAIT_OUTSIDE_TASK =
            "await() can only be called inside a task body: wrap the code in Async.run(() -> ...) to start an event " +
                "loop, or block this thread with join() or get() instead; Kotlin suspend code awaits with " +
                "awaitOwned() or awaitShared() from dev.corobridge.kotlin"
    }
}

/**
 * Attached (as suppressed) to an exception each time a task awaits it, so that a failure deep in a
 * task tree also shows the awaiting call sites: an async stack trace. The exception itself stays
 * the same object.
 */
internal class AwaitedAt(taskName: String) : Throwable("awaited in task '$taskName'") {
    companion object {
        private const val MAX_SITES = 16

        fun attach(failure: Throwable, awaiter: TaskFuture<*>) {
            if (failure.suppressed.count { it is AwaitedAt } < MAX_SITES)
                failure.addSuppressed(AwaitedAt(awaiter.name()))
        }
    }
}

/**
 * A call of a Kotlin `suspend` function from Java: passes [continuation] as the function's last
 * argument and returns the function's result, which is its value or `COROUTINE_SUSPENDED`.
 */
@InternalCorobridgeApi
public fun interface SuspendCall<T> {
    @Throws(Exception::class) public fun call(continuation: Continuation<T>): Any?
}
