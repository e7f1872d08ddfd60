package dev.corobridge.core

import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlin.coroutines.intrinsics.intercepted

/**
 * The continuation that [Engine.suspending] hands to Java: it resumes its task once, and a second
 * resume throws `IllegalStateException` at the caller instead of reaching the coroutine (where
 * kotlinx would report an internal error). Like the stdlib's `suspendCoroutine`, it resumes through
 * the task's dispatcher, so a Java callback or a tail-calling suspend function resuming it on a
 * foreign thread continues the task on its own loop.
 */
internal class ResumeOnce<T>(continuation: Continuation<T>) : Continuation<T> {
    private val delegate = continuation.intercepted()
    private val resumed = AtomicBoolean()

    override val context: CoroutineContext
        get() = delegate.context

    override fun resumeWith(result: Result<T>) {
        check(resumed.compareAndSet(false, true)) { ALREADY_RESUMED }
        delegate.resumeWith(result)
    }

    /**
     * What the call returned or threw ([outcome]), for `suspendCoroutineUninterceptedOrReturn`: the
     * task's outcome unless the call had already resumed this continuation, in which case that
     * first outcome stands and this one is reported.
     */
    fun settle(outcome: Result<Any?>): Any? {
        if (outcome.getOrNull() === COROUTINE_SUSPENDED) return COROUTINE_SUSPENDED
        if (resumed.compareAndSet(false, true)) return outcome.getOrThrow()
        val misuse = IllegalStateException("$ALREADY_RESUMED (the call also returned or threw)")
        outcome.exceptionOrNull()?.let(misuse::addSuppressed)
        val thread = Thread.currentThread()
        thread.uncaughtExceptionHandler.uncaughtException(thread, misuse)
        return COROUTINE_SUSPENDED
    }

    private companion object {
        private const val ALREADY_RESUMED =
            "the continuation was already resumed: a Continuation from Async.suspending resumes its " +
                "task once, and the task keeps its first outcome"
    }
}
