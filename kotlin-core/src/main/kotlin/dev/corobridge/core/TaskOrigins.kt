package dev.corobridge.core

import java.util.concurrent.ConcurrentHashMap

/**
 * Debug mode's record of where a loop's tasks were created, for the report of a task nobody awaited
 * (asyncio: "coroutine ... was never awaited", with its source traceback), and for the ages in task
 * dumps. One per debug run; a loop out of debug mode has none and its tasks pay nothing.
 *
 * A task is reported once: when it is garbage-collected unawaited while the loop runs, or when the
 * run ends with it unawaited. Only a task that has ended unawaited is watched for collection: most
 * tasks are awaited while they run and cost no more than their record. A task whose failure is
 * reported as never retrieved is not reported again here: that report names where it was created.
 */
internal class TaskOrigins {
    private val unawaited: MutableSet<TaskOrigin> = ConcurrentHashMap.newKeySet()

    /** Records where [task] is being created, unless corobridge creates it for its own work. */
    fun track(task: TaskFuture<*>) {
        // Its outcome has a reader already: the engine's own task for a verb (a stream's producer).
        if (task.retrieved) return
        val site = CallerFrames.entry() ?: return
        val origin = TaskOrigin(this, site, System.nanoTime())
        task.origin = origin
        unawaited.add(origin)
    }

    /**
     * [task] has ended with nobody awaiting it so far: from now on it is reported if it is
     * collected before anyone awaits it. Watching only such tasks keeps the cost off the many that
     * are awaited while they run.
     */
    fun endedUnawaited(task: TaskFuture<*>, origin: TaskOrigin) {
        origin.taskName = task.name()
        // The action must not reach the task, or the task would never become unreachable.
        FailureReports.CLEANER.register(task) { if (forget(origin)) report(origin) }
    }

    /** True if [origin] was still waiting to be awaited; it is not any more. */
    fun forget(origin: TaskOrigin): Boolean = unawaited.remove(origin)

    /** Reports every task still unawaited at the end of the run. */
    fun flush() {
        for (origin in unawaited.toList()) if (forget(origin)) report(origin)
    }

    private fun report(origin: TaskOrigin) {
        LOGGER.log(
            System.Logger.Level.WARNING,
            "task '${origin.taskName}' from ${origin.site} was never awaited: a task runs from its creation on, " +
                "and nothing waited for it to end or read its outcome; await it, or cancel() it if it is not needed",
            origin.createdHere(),
        )
    }

    private companion object {
        private val LOGGER = System.getLogger("dev.corobridge")
    }
}

/** Where and when one task was created, in debug mode; see [TaskOrigins]. */
internal class TaskOrigin(
    private val origins: TaskOrigins,
    val site: CallSite,
    val createdNanos: Long,
) {
    /** Known once the task has ended unawaited: only such a task is ever reported. */
    @Volatile var taskName: String = "?"

    /** Someone awaits the task, or its failure is reported instead: it will not be reported. */
    fun awaited() {
        if (awaited) return
        awaited = true
        origins.forget(this)
    }

    @Volatile private var awaited = false

    /** The task ended: if nobody awaits it yet, it is watched from now on. */
    fun ended(task: TaskFuture<*>) {
        if (!awaited) origins.endedUnawaited(task, this)
    }

    /** A throwable whose stack trace is the creation site, for a log record. */
    fun createdHere(): Throwable =
        TaskCreatedHere(taskName).apply { stackTrace = site.frames.toTypedArray() }
}

/** Carries the stack of the user's code where a task was created. */
private class TaskCreatedHere(taskName: String) :
    Throwable("task '$taskName' was created here", null, false, true)
