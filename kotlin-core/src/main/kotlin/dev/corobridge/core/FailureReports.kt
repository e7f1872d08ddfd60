package dev.corobridge.core

import java.lang.ref.Cleaner
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.function.BiConsumer

/**
 * Failures of tasks that nobody awaited, like asyncio's "Task exception was never retrieved". A
 * loop reports its own when it ends; a task outside any loop is reported when it is
 * garbage-collected.
 */
@InternalCorobridgeApi
public class FailureReports internal constructor() {
    private val records = ConcurrentLinkedQueue<FailureRecord>()

    /** Debug mode's record of where this run's tasks were created; null out of debug mode. */
    @get:JvmSynthetic @set:JvmSynthetic @Volatile internal var origins: TaskOrigins? = null

    /**
     * Hands every failure that is still unretrieved to [handler] and forgets them all; then, in
     * debug mode, reports the tasks nobody awaited ([TaskOrigins]) and ends debug mode's records. A
     * handler that throws still gets every later failure; its own exception is logged, and the
     * failure it was given goes to [LOG] as well (asyncio: "Unhandled error in exception handler").
     */
    @JvmSynthetic
    internal fun flush(handler: BiConsumer<String, Throwable>) {
        while (true) {
            val record = records.poll() ?: break
            if (!record.retrieved) report(handler, record)
            record.retrieved = true
        }
        origins?.flush()
        origins = null
    }

    private fun report(handler: BiConsumer<String, Throwable>, record: FailureRecord) {
        val taskName = record.taskName
        val e = record.exception
        try {
            // The log names where the task was created, when debug mode knows it.
            if (handler === LOG) log(taskName, e, record.origin) else handler.accept(taskName, e)
        } catch (handlerFailure: Throwable) {
            // Never thrown on: it would replace the result of the run that is reporting.
            LOGGER.log(
                System.Logger.Level.ERROR,
                "the exception handler failed on task '$taskName'",
                handlerFailure,
            )
            if (handler !== LOG) LOG.accept(taskName, e)
        }
    }

    internal companion object {
        private val LOGGER = System.getLogger("dev.corobridge")
        /** The one Cleaner thread of the engine's reports: collected tasks, and debug mode's. */
        @get:JvmSynthetic internal val CLEANER: Cleaner by lazy { Cleaner.create() }

        /** Logs through `System.Logger` ("dev.corobridge"), the default handler. */
        @get:JvmSynthetic
        internal val LOG: BiConsumer<String, Throwable> = BiConsumer { taskName, exception ->
            log(taskName, exception, origin = null)
        }

        private fun log(taskName: String, exception: Throwable, origin: TaskOrigin?) {
            val from = if (origin == null) "" else " (from ${origin.site})"
            LOGGER.log(
                System.Logger.Level.WARNING,
                "Task exception was never retrieved: task '$taskName'$from",
                exception,
            )
        }

        /**
         * Keeps [failure], the failure of the cleanup of cancelled [task], for its awaiters. It is
         * recorded already unless a task group took it over (the group reports it).
         */
        @JvmSynthetic
        internal fun keepCleanupFailure(task: TaskFuture<*>, failure: Throwable) {
            val record = task.failureRecord
            if (record != null && record.exception === failure) {
                // Recorded as an ordinary failure an instant before cancel() completed the future
                // (the work failed and the task was cancelled at the same time): it is the
                // cleanup's.
                record.isCleanup = true
                record.retrieved = task.cleanupRetrieved
                return
            }
            task.failureRecord =
                FailureRecord(task.name(), failure, isCleanup = true).apply { retrieved = true }
        }

        /**
         * Records [exception], the failure of [task], for reporting unless retrieved. With
         * [isCleanup], the task's future had been cancelled before its work failed: only a reader
         * of the settled task (await, gather) retrieves that failure.
         */
        @JvmSynthetic
        internal fun record(
            reports: FailureReports?,
            task: TaskFuture<*>,
            exception: Throwable,
            isCleanup: Boolean,
        ) {
            val record = FailureRecord(task.name(), exception, isCleanup, task.origin)
            // This report, if it comes, says where the task was created: not reported again as
            // never awaited.
            task.origin?.awaited()
            record.retrieved = if (isCleanup) task.cleanupRetrieved else task.retrieved
            task.failureRecord = record
            if (reports != null) {
                reports.records.add(record)
            } else {
                CLEANER.register(task) {
                    if (!record.retrieved) LOG.accept(record.taskName, record.exception)
                }
            }
        }
    }
}

internal class FailureRecord(
    val taskName: String,
    val exception: Throwable,
    @Volatile var isCleanup: Boolean,
    /** Where the task was created, in debug mode. */
    val origin: TaskOrigin? = null,
) {
    @Volatile var retrieved = false
}
