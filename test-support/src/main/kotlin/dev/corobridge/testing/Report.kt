package dev.corobridge.testing

/**
 * Something the engine reported behind a test's back: a task failure nobody retrieved (logged by
 * `FailureReports.LOG` through `System.Logger` "dev.corobridge", at the loop's end or, for a task
 * outside any loop, once it is collected), a task debug mode found never awaited, another warning
 * on that logger, or an exception that reached a thread's uncaught exception handler
 * (`LoopDispatcher.runSafely` hands bugs there).
 */
@JvmRecord
data class Report(
    val kind: Kind,
    /**
     * The task's name for [Kind.TASK_FAILURE] and [Kind.NEVER_AWAITED], the thread's for
     * [Kind.UNCAUGHT_EXCEPTION].
     */
    val source: String,
    val exception: Throwable?,
    val message: String,
) {
    enum class Kind {
        /** "Task exception was never retrieved". */
        TASK_FAILURE,
        /**
         * Debug mode's "task ... was never awaited"; its exception's stack is where it was created.
         */
        NEVER_AWAITED,
        /** Another warning logged by the engine. */
        LOGGED,
        /** An exception no code caught, on any thread. */
        UNCAUGHT_EXCEPTION,
    }

    override fun toString(): String =
        "$kind '$source': $message" + (exception?.let { " ($it)" } ?: "")
}
