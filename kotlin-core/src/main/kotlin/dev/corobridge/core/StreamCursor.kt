package dev.corobridge.core

import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.isActive

/**
 * Iterates a [Flow] from a Java task body, one await per element: the engine side of the Java
 * `AsyncIterator`.
 *
 * Design notes. The flow is collected by a producer task, a child of the iterating task (so
 * cancelling that task stops the producer), started by the first [hasNext] (streams are cold). The
 * consumer asks for each element by posting a reply future to [requests] and awaiting it; the
 * producer completes it with the element, [END] or [Failed]. After handing an element over, the
 * producer's `emit` returns only when the consumer asks for the next one: an async generator is
 * paused at its `yield` while the consumer works, exactly as in Python. Failures travel as values
 * (ADR 0003), so the consumer rethrows the producer's own exception object.
 *
 * A [BatchedFlow] (rows, lines) is handed over a batch per request instead, and the next batch is
 * asked for as one arrives: the producer, collecting on the IO threads, reads it while the consumer
 * goes through the one it has. The flow's map and filter steps run in [hasNext].
 *
 * Stopping: [close] cancels the producer and awaits its cleanup (the generator's `finally`), and so
 * does a cancellation of the iterating task while it waits for an element. A cursor abandoned by a
 * `break` is closed when the iterating body returns ([JavaBody.onExit]): otherwise the producer, a
 * child waiting for a request that never comes, would keep the task from completing.
 *
 * Not thread-safe: one task body uses a cursor (as with any `Iterator`).
 */
@InternalCorobridgeApi
public class StreamCursor<T> internal constructor(private val flow: Flow<T>) : AutoCloseable {
    private val requests = Channel<CompletableFuture<Any?>>(Channel.UNLIMITED)
    private val stopOnExit = Runnable { producer?.cancel(stopped()) }
    private var owner: JavaBody<*>? = null
    private var producer: TaskCoroutine<Unit>? = null
    private var next: Any? = NONE
    private var finished = false

    /** The batch of a [BatchedFlow] being handed out, without an await per element. */
    private var batch: List<Any?>? = null
    private var batchIndex = 0

    /**
     * The requests for the [BATCHES_AHEAD] batches after [batch], made as it arrived, oldest first:
     * the producer reads on while this body goes through [batch] and while it wakes up for the
     * next.
     */
    private val ahead = ArrayDeque<CompletableFuture<Any?>>(BATCHES_AHEAD)

    /**
     * The stream's failure when no request was waiting for it (it came between two elements): every
     * later request gets it instead of "the stream was stopped".
     */
    @Volatile private var failure: Throwable? = null

    /**
     * Awaits the next element inside a task body; false at the end of the stream. Rethrows the
     * stream's own exception (checked ones too, undeclared), and `CancellationException` if the
     * iterating task is cancelled meanwhile.
     */
    public fun hasNext(): Boolean {
        if (next !== NONE) return true
        batch?.let { elements ->
            val source = flow as BatchedFlow<*>
            while (batchIndex < elements.size) {
                val value =
                    try {
                        source.handOut(elements[batchIndex++])
                    } catch (e: Throwable) {
                        close() // a map or filter step failed: the stream ends with its failure
                        throw e
                    }
                if (value !== BatchedFlow.SKIP) {
                    next = value
                    return true
                }
            }
            batch = null
        }
        if (finished) return false
        val body = JavaBody.current() ?: throw IllegalStateException(Streams.ITERATE_OUTSIDE_TASK)
        if (producer == null) start(body)
        val reply = ahead.removeFirstOrNull() ?: request()
        try {
            body.await(reply)
        } catch (e: CancellationException) {
            finish()
            producer?.let { running ->
                running.cancel(e)
                // Its cleanup (a generator's finally, a statement's cancel) ends before this task.
                if (!running.future.isSettled()) body.await(running.future, cancellable = false)
            }
            throw e
        }
        return when (val signal = reply.getNow(null)) {
            END -> {
                finish()
                false
            }
            is Failed -> {
                finish()
                if (signal.exception !is CancellationException)
                    AwaitedAt.attach(signal.exception, body.task)
                throw signal.exception
            }
            is Batch -> {
                batch = signal.elements
                batchIndex = 0
                while (ahead.size < BATCHES_AHEAD) ahead.addLast(request())
                hasNext() // the next element of the batch, or (all filtered out) of the next
            }
            else -> {
                next = signal
                true
            }
        }
    }

    private fun request(): CompletableFuture<Any?> {
        val reply = CompletableFuture<Any?>()
        if (requests.trySend(reply).isFailure) reply.complete(Failed(failure ?: stopped()))
        return reply
    }

    /** The next element; see [hasNext]. */
    public fun next(): T {
        if (!hasNext()) throw NoSuchElementException("the stream has no more elements")
        @Suppress("UNCHECKED_CAST") val value = next as T
        next = NONE
        return value
    }

    /**
     * Stops the stream: cancels the producer and, inside a task body, awaits its cleanup. Does
     * nothing once the stream has ended; idempotent.
     */
    override fun close() {
        next = NONE
        batch = null
        if (finished) return
        finish()
        val running = producer ?: return
        running.cancel(stopped())
        val body = JavaBody.current() ?: return
        body.await(running.future)
    }

    private fun start(body: JavaBody<*>) {
        owner = body
        val future = newTaskUnder<Unit>(body.context)
        future.setName("AsyncStream producer")
        future.markRetrieved() // it only ever fails by cancellation, which is the consumer's doing
        // A batched source's producer runs none of the user's code (its map and filter steps run
        // here, in hasNext), so it collects off the loop: it reads the next batch while this body
        // holds the loop's run permit, instead of waiting for the body's next await to run.
        val context =
            if (flow is BatchedFlow<*>) body.launchContext + Dispatchers.IO else body.launchContext
        val coroutine = TaskCoroutine(context, future)
        producer = coroutine
        body.onExit(stopOnExit)
        coroutine.start(CoroutineStart.DEFAULT, coroutine) { produce() }
    }

    private fun finish() {
        finished = true
        owner?.removeOnExit(stopOnExit)
    }

    private suspend fun produce() {
        var pending: CompletableFuture<Any?>? = null
        try {
            pending = requests.receive()
            val source = flow
            if (source is BatchedFlow<*>) {
                source.batches.collect { elements ->
                    if (elements.isEmpty()) return@collect
                    pending!!.complete(Batch(elements))
                    pending = null
                    pending = requests.receive()
                }
            } else {
                flow.collect { value ->
                    pending!!.complete(value)
                    pending = null
                    // Paused here, like a generator at `yield`, until the consumer asks again.
                    pending = requests.receive()
                }
            }
            pending!!.complete(END)
        } catch (e: Throwable) {
            // Our own cancellation ends the producer; anything else (a CancellationException
            // thrown by the stream's code included) is the stream's failure, for the consumer.
            if (e is CancellationException && !currentCoroutineContext().isActive) throw e
            if (pending == null) failure = e else pending?.complete(Failed(e))
        } finally {
            // Nobody may wait for a reply that will never come.
            requests.close()
            val cancelled = Failed(failure ?: stopped())
            pending?.complete(cancelled)
            while (true) requests.tryReceive().getOrNull()?.complete(cancelled) ?: break
        }
    }

    private fun stopped() = CancellationException("the stream was stopped")

    private class Failed(val exception: Throwable)

    private class Batch(val elements: List<Any?>)

    private companion object {
        private val NONE = Any()
        private val END = Any()

        /**
         * Two: with one, the producer stopped after each batch until the body, woken by it, asked
         * for the next, and the file was read a wake-up's time slower per batch.
         */
        private const val BATCHES_AHEAD = 2
    }
}
