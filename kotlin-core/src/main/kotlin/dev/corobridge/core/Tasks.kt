package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch

/** The engine's room for tasks: starting Java bodies, awaiting, and finding tasks. */
@InternalCorobridgeApi
public class Tasks private constructor(private val starter: TaskStarter) {
    /** Starts a Java body as a task. */
    public fun <T> launch(name: String?, body: Callable<T>): TaskFuture<T> =
        starter.startBody(starter.currentContext(), name, body)

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

    // Invariant: inline, so that a suspended body keeps no frame of it (HotPathShapeTest).
    @Suppress("NOTHING_TO_INLINE")
    private inline fun <T> await(future: CompletableFuture<T>, cancellable: Boolean): T {
        val body = JavaBody.current() ?: throw IllegalStateException(AWAIT_OUTSIDE_TASK)
        check(future !== body.task) {
            "Task '${body.task.name()}' cannot await itself: it would wait forever"
        }
        future.noteAwaited() // before the wait: the awaiter may be cancelled during it
        if (!future.isSettled()) body.await(future, cancellable) else body.inheritFromBlock(future)
        try {
            return future.outcome()
        } catch (e: Throwable) {
            if (e !is CancellationException) AwaitedAt.attach(e, body.task)
            throw e
        }
    }

    /** A task that mirrors [task] but whose cancellation leaves [task] running. */
    public fun <T> shield(task: CompletableFuture<T>): TaskFuture<T> {
        task.noteAwaited() // the shield waits for it, even once its own awaiter is gone
        return starter.start(starter.currentContext(), null, startsInPlace = true) {
            awaitSettled(task)
            task.outcome()
        }
    }

    /** The task whose body is running on this thread, or null. */
    public fun currentTask(): TaskFuture<*>? = JavaBody.current()?.task

    /** Every unfinished task of the current loop. */
    public fun allTasks(): List<TaskFuture<*>> {
        val body = bodyFor("allTasks()")
        val root =
            body.context[TaskEnvironment]?.root ?: body.task.coroutine ?: return listOf(body.task)
        return runningTasks(root)
    }

    /** The current loop's unfinished tasks as a tree; see [TaskDumps]. */
    public fun dumpTasks(): String {
        val body = bodyFor("dumpTasks()")
        return TaskDumps.dump(body.context[TaskEnvironment]?.root ?: body)
    }

    /**
     * The task trees of every loop running in debug mode, from any thread: what a dump asked for
     * from outside the process shows.
     */
    public fun dumpDebugRuns(): String = TaskDumps.dumpDebugRuns()

    /** How many loops run in debug mode now. */
    public fun debugRunCount(): Int = TaskDumps.debugRunCount()

    private fun bodyFor(verb: String): JavaBody<*> =
        JavaBody.current()
            ?: throw IllegalStateException("no running event loop: $verb works inside a task")

    internal companion object {
        private const val AWAIT_OUTSIDE_TASK =
            "await() can only be called inside a task body: wrap the code in Async.run(() -> ...) to start an event " +
                "loop, or block this thread with join() or get() instead; Kotlin suspend code awaits with " +
                "awaitOwned() or awaitShared() from dev.corobridge.kotlin"

        @JvmSynthetic fun create(starter: TaskStarter): Tasks = Tasks(starter)
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
