package dev.corobridge.core

import kotlin.coroutines.Continuation
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlinx.coroutines.CoroutineScope

/** The engine's room for Kotlin code called from Java: `suspend` functions and blocks. */
@InternalCorobridgeApi
public class KotlinCalls private constructor(private val starter: TaskStarter) {
    /**
     * Calls a Kotlin `suspend` function from Java as a task: [call] receives the continuation to
     * pass as the function's last argument and returns what the function returns, its value or
     * `COROUTINE_SUSPENDED`; both paths end in the task's value. The continuation resumes the task
     * once; see [ResumeOnce].
     */
    public fun <T> suspending(call: SuspendCall<T>): TaskFuture<T> =
        starter.start(starter.currentContext(), null) {
            suspendCoroutineUninterceptedOrReturn { continuation ->
                val once = ResumeOnce(continuation)
                once.settle(runCatching { call.call(once) })
            }
        }

    /** Starts a Kotlin suspending block as a task: a plain coroutine on the current loop. */
    public fun <T> launchSuspending(
        name: String?,
        block: suspend CoroutineScope.() -> T,
    ): TaskFuture<T> = starter.start(starter.currentContext(), name) { block() }

    internal companion object {
        @JvmSynthetic fun create(starter: TaskStarter): KotlinCalls = KotlinCalls(starter)
    }
}

/**
 * A call of a Kotlin `suspend` function from Java: passes [continuation] as the function's last
 * argument and returns the function's result, which is its value or `COROUTINE_SUSPENDED`. The
 * facade's `SuspendCall` is this interface, named for Java users.
 */
@InternalCorobridgeApi
public fun interface SuspendCall<T> {
    @Throws(Exception::class) public fun call(continuation: Continuation<T>): Any?
}
