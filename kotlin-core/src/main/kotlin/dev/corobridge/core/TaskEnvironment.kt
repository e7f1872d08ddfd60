package dev.corobridge.core

import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Job

/**
 * What every task of one loop shares, carried in the coroutine context.
 *
 * [exclusive] is the loop's run permit: when true, a Java body runs only while the loop thread
 * waits for it, so bodies and loop work never overlap. A loop on a parallel dispatcher has no
 * permit.
 */
internal class TaskEnvironment(
    val exclusive: Boolean,
    val threads: BodyThreads,
    val reports: FailureReports?,
) : AbstractCoroutineContextElement(TaskEnvironment) {
    /** The loop's main task, the root of [runningTasks]; null for background tasks. */
    @Volatile var root: Job? = null

    companion object Key : CoroutineContext.Key<TaskEnvironment>
}
