package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.Flow.Publisher
import java.util.function.Function
import java.util.function.Predicate
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.emptyFlow
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take

/**
 * The engine side of `AsyncStream`: a stream is a cold Kotlin [Flow]; these build, transform and
 * consume one. The consuming operations ([iterate], [toList], [first], [forEach]) run inside a Java
 * task body and await there.
 */
@InternalCorobridgeApi
public object Streams {
    /** An async generator whose body is a Java task body; see [GeneratorFlow]. */
    @JvmStatic
    public fun <T> generate(body: Function<StreamEmitter<T>, Callable<*>>): Flow<T> =
        GeneratorFlow(body)

    @JvmStatic public fun <T> fromIterable(values: Iterable<T>): Flow<T> = values.asFlow()

    /**
     * A JDK publisher as a cold flow that keeps at most [bufferSize] elements requested ahead of
     * its consumer; see [PublisherFlow].
     */
    @JvmStatic
    public fun <T> fromPublisher(publisher: Publisher<out T>, bufferSize: Int): Flow<T> {
        require(bufferSize > 0) { "bufferSize must be > 0, was $bufferSize" }
        return PublisherFlow(publisher, bufferSize)
    }

    /**
     * [flow] as a JDK publisher whose subscriptions each collect it on [Dispatchers.Default]; see
     * [FlowPublisher].
     */
    @JvmStatic
    public fun <T> asPublisher(flow: Flow<T>): Publisher<T> =
        FlowPublisher(flow, Dispatchers.Default + DefaultTasks.environment)

    @JvmStatic
    public fun <T, R> map(flow: Flow<T>, transform: Function<in T, out R>): Flow<R> =
        if (flow is BatchedFlow<T>) flow.map { transform.apply(it) }
        else flow.map { transform.apply(it) }

    @JvmStatic
    public fun <T> filter(flow: Flow<T>, predicate: Predicate<in T>): Flow<T> =
        if (flow is BatchedFlow<T>) flow.filter { predicate.test(it) }
        else flow.filter { predicate.test(it) }

    @JvmStatic
    public fun <T> take(flow: Flow<T>, count: Long): Flow<T> {
        require(count >= 0) { "count must be >= 0, was $count" }
        return when {
            count == 0L -> emptyFlow()
            count >= Int.MAX_VALUE -> flow // more elements than anyone will wait for
            else -> flow.take(count.toInt())
        }
    }

    /**
     * Lets the producer run up to [capacity] elements ahead of the consumer. Failures cross the
     * buffer's channel as values: a channel would rethrow a copy of the exception (ADR 0003).
     */
    @JvmStatic
    public fun <T> buffer(flow: Flow<T>, capacity: Int): Flow<T> {
        require(capacity > 0) {
            "capacity must be > 0, was $capacity (an unbuffered stream is already a rendezvous)"
        }
        val signals: Flow<Any?> = flow {
            try {
                flow.collect { emit(Element(it)) }
            } catch (e: kotlinx.coroutines.CancellationException) {
                throw e
            } catch (e: Throwable) {
                emit(Failure(e))
            }
        }
        val buffered = signals.buffer(capacity)
        return flow {
            // Thrown after the buffer's scope has ended, not inside it: a scope rethrows its
            // failure through a resumption, which would replace it with a copy.
            var failure: Throwable? = null
            buffered.collect { signal ->
                when (signal) {
                    is Failure -> failure = signal.exception // always the last signal
                    else -> {
                        @Suppress("UNCHECKED_CAST") emit((signal as Element<T>).value)
                    }
                }
            }
            failure?.let { throw it }
        }
    }

    /**
     * Starts iterating [flow] from the calling task body; the producer starts at the first
     * `hasNext`.
     *
     * @throws IllegalStateException outside a task body
     */
    @JvmStatic
    public fun <T> iterate(flow: Flow<T>): StreamCursor<T> {
        checkNotNull(JavaBody.current()) { ITERATE_OUTSIDE_TASK }
        return StreamCursor(flow)
    }

    /** Collects every element, in a task body. */
    @JvmStatic
    public fun <T> toList(flow: Flow<T>): List<T> {
        val cursor = iterate(flow)
        val list = ArrayList<T>()
        try {
            while (cursor.hasNext()) list.add(cursor.next())
        } finally {
            cursor.close()
        }
        return list
    }

    /**
     * The first element, in a task body; the rest of the stream is stopped.
     *
     * @throws NoSuchElementException if the stream is empty
     */
    @JvmStatic
    public fun <T> first(flow: Flow<T>): T {
        val cursor = iterate(flow)
        try {
            if (!cursor.hasNext()) throw NoSuchElementException("the stream is empty")
            return cursor.next()
        } finally {
            cursor.close()
        }
    }

    /** Runs [action] on each element in turn, in a task body; [action] may await. */
    @JvmStatic
    public fun <T> forEach(flow: Flow<T>, action: StreamAction<T>) {
        val cursor = iterate(flow)
        try {
            while (cursor.hasNext()) action.accept(cursor.next())
        } finally {
            cursor.close()
        }
    }

    internal const val ITERATE_OUTSIDE_TASK: String =
        "an AsyncStream can only be iterated inside a task body: put the loop in Async.run(() -> ...) or " +
            "Async.launch(() -> ...), or use toList()/collect(...), which return a Task"

    private class Element<T>(val value: T)

    private class Failure(val exception: Throwable)
}

/** What [Streams.forEach] runs on each element; may throw anything and await. */
@InternalCorobridgeApi
public fun interface StreamAction<T> {
    @Throws(Exception::class) public fun accept(value: T)
}
