package dev.corobridge.core

import java.util.concurrent.CopyOnWriteArrayList
import java.util.function.Consumer
import java.util.function.Supplier
import kotlin.coroutines.CoroutineContext
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

    /** Registers a carrier; closing the returned handle unregisters it. */
    @JvmStatic
    public fun <T> register(capture: Supplier<T>, restore: Consumer<T>): AutoCloseable {
        val carrier = Carrier(capture, restore)
        carriers.add(carrier)
        return AutoCloseable { carriers.remove(carrier) }
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

/** Captured values, installed on a thread for as long as a task runs there. */
internal class CarriedContext(
    private val carriers: Array<Carrier<*>>,
    private val values: Array<Any?>,
) : ThreadContextElement<Array<Any?>> {
    override val key: CoroutineContext.Key<*>
        get() = Key

    /** Installs the captured values on the current thread and returns what they replaced. */
    fun install(): Array<Any?> {
        val previous = Array(carriers.size) { carriers[it].capture.get() }
        restore(values)
        return previous
    }

    fun restore(state: Array<Any?>) {
        for (i in carriers.indices) carriers[i].restore(state[i])
    }

    override fun updateThreadContext(context: CoroutineContext): Array<Any?> = install()

    override fun restoreThreadContext(context: CoroutineContext, oldState: Array<Any?>) =
        restore(oldState)

    companion object Key : CoroutineContext.Key<CarriedContext>
}
