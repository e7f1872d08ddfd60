package dev.corobridge.core

import java.util.concurrent.CopyOnWriteArrayList
import java.util.function.Consumer
import java.util.function.Supplier
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.ThreadContextElement

/**
 * Thread-local context (a logging MDC, a tenant, a trace id) that follows tasks across threads:
 * each registered carrier captures its value where a task is started and restores it on every
 * thread that runs the task: the Java body's thread, the loop or dispatcher thread on every resume
 * of a coroutine, the worker of `toThread`.
 *
 * With no carrier registered, starting a task costs one emptiness check.
 */
@InternalCorobridgeApi
public object ContextCarriers {
    private val carriers = CopyOnWriteArrayList<Carrier<*>>()

    /** Registers a carrier; running the returned action unregisters it. */
    @JvmStatic
    public fun <T> register(capture: Supplier<T>, restore: Consumer<T>): Runnable {
        val carrier = Carrier(capture, restore)
        carriers.add(carrier)
        return Runnable { carriers.remove(carrier) }
    }

    /** The current thread's values of every carrier, or null when none is registered. */
    @JvmSynthetic
    internal fun capture(): CarriedContext? {
        if (carriers.isEmpty()) return null
        val snapshot = carriers.toTypedArray()
        return CarriedContext(snapshot, Array(snapshot.size) { snapshot[it].capture.get() })
    }
}

internal class Carrier<T>(val capture: Supplier<T>, private val restore: Consumer<T>) {
    @Suppress("UNCHECKED_CAST") fun restore(value: Any?) = restore.accept(value as T)
}

/**
 * Captured values, installed on a thread for as long as a task runs there.
 *
 * A carrier's exception must neither escape into the thread that runs the task (a body thread would
 * keep the loop's run permit forever; a coroutine dispatcher would report it as its own internal
 * error and never resume the coroutine) nor stop the other carriers: every carrier has its turn,
 * and the first exception, later ones suppressed, goes to a callback that fails the task.
 */
internal class CarriedContext(
    private val carriers: Array<Carrier<*>>,
    private val values: Array<Any?>,
) : ThreadContextElement<Array<Any?>> {
    override val key: CoroutineContext.Key<*>
        get() = Key

    /**
     * Installs the captured values on the current thread and returns what they replaced; a carrier
     * whose current value could not be read is left alone, here and in [restore]. The last slot of
     * the returned state keeps the exception passed to [failed], if any.
     */
    fun install(failed: (Throwable) -> Unit): Array<Any?> {
        var failure: Throwable? = null
        val previous = arrayOfNulls<Any?>(carriers.size + 1)
        for (i in carriers.indices) {
            previous[i] = NOT_READ
            try {
                previous[i] = carriers[i].capture.get()
                carriers[i].restore(values[i])
            } catch (e: Throwable) {
                failure = failure.with(e)
            }
        }
        if (failure != null) {
            previous[carriers.size] = failure
            failed(failure)
        }
        return previous
    }

    /**
     * Puts back what [install] replaced. A carrier's exception joins the one of the same [install]
     * as suppressed, if there was one (that one has failed the task already); else it goes to
     * [failed].
     */
    fun restore(state: Array<Any?>, failed: (Throwable) -> Unit) {
        var failure = state[carriers.size] as Throwable?
        val installFailure = failure
        for (i in carriers.indices) {
            if (state[i] === NOT_READ) continue
            try {
                carriers[i].restore(state[i])
            } catch (e: Throwable) {
                failure = failure.with(e)
            }
        }
        if (installFailure == null) failure?.let(failed)
    }

    // A coroutine's step: a carrier's exception fails its task, and the step then resumes with a
    // cancellation instead of running its code (kotlinx checks the job after installing context).
    override fun updateThreadContext(context: CoroutineContext): Array<Any?> = install {
        failCoroutine(context, it)
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Array<Any?>) =
        restore(oldState) { failCoroutine(context, it) }

    companion object Key : CoroutineContext.Key<CarriedContext> {
        private val NOT_READ = Any()

        private fun Throwable?.with(e: Throwable): Throwable {
            if (this == null) return e
            if (e !== this) addSuppressed(e)
            return this
        }

        /**
         * Fails the task whose coroutine (or a coroutine inside it: a `withContext`, a flow's
         * producer) runs in [context] with [failure]; once the task has completed (the carrier
         * threw while putting the thread back after its last step) nothing is left to fail, and the
         * thread's uncaught-exception handler reports it.
         */
        @OptIn(ExperimentalCoroutinesApi::class)
        private fun failCoroutine(context: CoroutineContext, failure: Throwable) {
            var job = context[Job]
            while (job != null && job !is TaskCoroutine<*>) job = job.parent
            if (job is TaskCoroutine<*> && job.fail(failure)) return
            val thread = Thread.currentThread()
            thread.uncaughtExceptionHandler.uncaughtException(thread, failure)
        }
    }
}
