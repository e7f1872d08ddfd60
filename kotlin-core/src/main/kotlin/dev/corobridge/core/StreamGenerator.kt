package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CompletableFuture
import java.util.function.Function
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.withContext

/**
 * An async generator whose body is a Java task body: Python's `async def gen(): yield x`, as a cold
 * [Flow].
 *
 * Each collection starts the body as a new task, a child of the collecting coroutine. The body's
 * [StreamEmitter.emit] posts the element to the collector and awaits its return: `emit` returns
 * when the downstream `emit` has returned, so the generator never runs ahead of its collector (a
 * `buffer` downstream is what lets it). If the collector stops (cancellation, `take`, a failure
 * downstream) the body is cancelled at its `emit` and its cleanup awaited before the collector's
 * exception continues. The body's own exception is read from its task (ADR 0003).
 */
internal class GeneratorFlow<T>(private val body: Function<StreamEmitter<T>, Callable<*>>) :
    Flow<T> {
    override suspend fun collect(collector: FlowCollector<T>) {
        val context = currentCoroutineContext()
        val future = newTaskUnder<Any?>(context)
        future.setName("AsyncStream generator")
        val offers = Channel<Any?>(Channel.UNLIMITED)
        // The body's failure is this collect's to rethrow, after the elements it emitted; as a
        // plain child it would also cancel a collector that is not a task (the producer of a
        // `buffer`), which then drops what it buffered and sees a cancellation instead.
        val supervisor = SupervisorJob(context[Job])
        val coroutine = JavaBody<Any?>(withEnvironment(context) + supervisor, future)
        coroutine.invokeOnCompletion { offers.trySend(DONE) }
        val emitter = StreamEmitter<T>(offers, future)
        val callable = body.apply(emitter)
        @Suppress("UNCHECKED_CAST") coroutine.launch(callable as Callable<Any?>)
        try {
            while (true) {
                val offer = offers.receive()
                if (offer === DONE) break
                @Suppress("UNCHECKED_CAST")
                offer as StreamEmitter.Offer<T>
                collector.emit(offer.value)
                offer.resume.complete(null)
            }
        } catch (e: Throwable) {
            // Cancel first: an emit that sees the stop can then count on the pending cancellation.
            future.cancel(false)
            emitter.stop()
            withContext(NonCancellable) { coroutine.join() }
            throw e
        } finally {
            supervisor.complete()
        }
        future.outcome() // the body's own exception, if it failed
    }

    private companion object {
        private val DONE = Any()
    }
}

/**
 * What a generator body emits through. [emit] may be called only by that body (it awaits, so it
 * needs the body's thread).
 */
@InternalCorobridgeApi
public class StreamEmitter<T>
internal constructor(private val offers: Channel<Any?>, private val task: TaskFuture<*>) {
    internal class Offer<T>(val value: T, val resume: CompletableFuture<Any?>)

    @Volatile private var stopped = false

    /**
     * Hands [value] to the collector and awaits its return. Cancellable: the generator's
     * cancellation arrives here as `CancellationException`.
     */
    public fun emit(value: T) {
        val body = JavaBody.current()
        check(body != null && body.task === task) {
            "emit() can only be called by the generator's own body (the lambda given to AsyncStream.generate), " +
                "not from another task or thread"
        }
        if (stopped) stoppedEmit(body)
        val resume = CompletableFuture<Any?>()
        offers.trySend(Offer(value, resume))
        if (stopped)
            resume.complete(STOPPED) // the collector stopped between the check and the send
        body.await(resume)
        if (resume.getNow(null) === STOPPED) stoppedEmit(body)
    }

    /**
     * An emit after the collector stopped. The collector cancelled this task before stopping, so a
     * body that has not yet received that cancellation (on a parallel dispatcher it may run between
     * the two) receives it here, at an await like any other; one that swallowed it is told so.
     */
    private fun stoppedEmit(body: JavaBody<*>): Nothing {
        if (!body.cancellationReceived) body.await(CompletableFuture<Any?>()) // throws it
        throw IllegalStateException(EMITTED_AFTER_STOP)
    }

    /**
     * The collector has stopped: later emits fail at once instead of waiting forever for a
     * collector that is gone (a body that swallowed its CancellationException and went on).
     */
    @JvmSynthetic
    internal fun stop() {
        stopped = true
        while (true) {
            val offer = offers.tryReceive().getOrNull() as? Offer<*> ?: break
            offer.resume.complete(STOPPED)
        }
    }

    private companion object {
        private val STOPPED = Any()
        private const val EMITTED_AFTER_STOP =
            "emit() after the stream was stopped: the generator went on after its CancellationException " +
                "(Python: 'async generator ignored GeneratorExit'); let the exception end the body"
    }
}

/** A Java body needs a [TaskEnvironment]; a plain Kotlin coroutine collecting a stream has none. */
private fun withEnvironment(context: CoroutineContext): CoroutineContext =
    if (context[TaskEnvironment] != null) context else context + DefaultTasks.environment
