package dev.corobridge.core

import java.net.http.HttpResponse
import java.nio.ByteBuffer
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.concurrent.Executor
import java.util.concurrent.Flow
import java.util.function.Function
import java.util.function.Supplier
import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * A response body as the JDK's client delivers it, read ahead up to [readAhead] bytes before anyone
 * asks. Most bodies end within that: their connection goes back to the pool, and the exchange's
 * [permits] with it, as soon as the last byte arrives, and reading them later is done at once, with
 * no hop between threads. A longer body is read at its reader's pace (back-pressure: never held
 * whole in memory unless read whole), and its permits are held until its end, a failure, or
 * [discard], which aborts the rest (the connection closes rather than going back to the pool
 * half-read).
 *
 * One reader, chosen by the caller (`ClientResponse` checks it): [readAll], [stream] or [excerpt],
 * possibly followed by [discard]. Chunks arrive on the JDK's threads, readers come from a loop; the
 * monitor of [chunks] guards the state, and no callback runs inside it. A request for more made by
 * a reader goes through [executor]: the JDK parses what it has buffered in the thread that asks,
 * which must not be a loop's.
 */
@InternalCorobridgeApi
public class HttpBody
internal constructor(
    private val permits: HttpPermits,
    private val readAhead: Int,
    private val executor: Executor,
) : HttpResponse.BodySubscriber<HttpBody> {
    private val chunks = ArrayDeque<ByteBuffer>()
    private var buffered = 0L
    private var upstream: Flow.Subscription? = null
    private var requested = false // a request upstream is outstanding
    private var readingAll = false // readAll lifts the read-ahead limit
    private var ended = false
    private var failure: Throwable? = null
    private var aborted = false
    private var onChange: (() -> Unit)? = null // one-shot: taken by whoever calls it
    private var downstream: Downstream? = null

    /** The body is this object; the response is complete with its headers. */
    override fun getBody(): CompletionStage<HttpBody> = CompletableFuture.completedFuture(this)

    override fun onSubscribe(subscription: Flow.Subscription) {
        val cancelNow =
            synchronized(chunks) {
                upstream = subscription
                if (!aborted) requested = true
                aborted
            }
        if (cancelNow) subscription.cancel() else subscription.request(1)
    }

    override fun onNext(item: List<ByteBuffer>) {
        val more: Boolean
        val changed: (() -> Unit)?
        synchronized(chunks) {
            requested = false
            if (aborted) return
            for (buffer in item) {
                if (buffer.hasRemaining()) {
                    chunks.addLast(buffer)
                    buffered += buffer.remaining()
                }
            }
            more = wantsMore()
            if (more) requested = true
            changed = takeOnChange()
        }
        // In the JDK's thread: asking here costs no hop.
        if (more) upstream?.request(1)
        changed?.invoke()
        downstream?.drain()
    }

    override fun onError(throwable: Throwable): Unit = end(throwable)

    override fun onComplete(): Unit = end(null)

    private fun end(failure: Throwable?) {
        val changed =
            synchronized(chunks) {
                ended = true
                this.failure = failure
                takeOnChange()
            }
        permits.release()
        changed?.invoke()
        downstream?.drain()
    }

    /**
     * A started task completing with [decode] of the whole body. Done at once if the body has
     * ended; otherwise it waits, [deadlineNanos] passing fails it with [timedOut], and a
     * cancellation or a timeout aborts the rest of the body. A failure of the body fails it with
     * [describe] of that failure.
     */
    public fun <T> readAll(
        decode: Function<ByteArray, T>,
        deadlineNanos: Long,
        describe: Function<Throwable, Throwable>,
        timedOut: Supplier<Throwable>,
    ): TaskFuture<T> {
        val askNow =
            synchronized(chunks) {
                if (ended) null
                else {
                    readingAll = true
                    val ask = upstream != null && !requested && !aborted
                    if (ask) requested = true
                    ask
                }
            }
        if (askNow == null) {
            return outcomeOfAll(decode, describe).fold({ Coordination.done(it) }) {
                Coordination.failed(it)
            }
        }
        if (askNow) askForMore()
        return Coordination.waiting {
            try {
                HttpExchanges.beforeDeadline(deadlineNanos, timedOut) { awaitUntil { ended } }
            } catch (e: Throwable) {
                discard()
                throw e
            }
            outcomeOfAll(decode, describe).getOrThrow()
        }
    }

    private fun <T> outcomeOfAll(
        decode: Function<ByteArray, T>,
        describe: Function<Throwable, Throwable>,
    ): Result<T> {
        val whole =
            synchronized(chunks) {
                failure?.let {
                    return Result.failure(describe.apply(it))
                }
                val bytes = ByteArray(buffered.toInt())
                var at = 0
                for (buffer in chunks) {
                    val length = buffer.remaining()
                    buffer.get(bytes, at, length)
                    at += length
                }
                chunks.clear()
                buffered = 0
                bytes
            }
        return runCatching { decode.apply(whole) }
    }

    /**
     * The first [limit] bytes of the body (fewer if it is shorter or fails), once they arrived; the
     * rest is left unread.
     */
    @JvmSynthetic
    internal suspend fun excerpt(limit: Int): ByteArray {
        awaitUntil { ended || buffered >= limit }
        synchronized(chunks) {
            val excerpt = java.io.ByteArrayOutputStream()
            for (buffer in chunks) {
                if (excerpt.size() >= limit) break
                val slice = buffer.duplicate()
                val take = minOf(slice.remaining(), limit - excerpt.size())
                val bytes = ByteArray(take)
                slice.get(bytes)
                excerpt.write(bytes)
            }
            return excerpt.toByteArray()
        }
    }

    /**
     * The body as a publisher for one subscriber, buffered chunks first: it asks for more as its
     * subscriber asks, and its subscriber's cancel aborts the rest of the body.
     */
    public fun stream(): Flow.Publisher<List<ByteBuffer>> =
        Flow.Publisher { subscriber ->
            val stream = Downstream(subscriber)
            synchronized(chunks) {
                check(downstream == null) { "a body is streamed once" }
                downstream = stream
            }
            subscriber.onSubscribe(stream)
            stream.drain()
        }

    /**
     * Aborts what has not arrived (nothing, if the body has ended), drops what has, and releases
     * the permits. Idempotent.
     */
    public fun discard() {
        val cancel =
            synchronized(chunks) {
                val cancel = !aborted && !ended
                aborted = true
                chunks.clear()
                buffered = 0
                if (cancel) upstream else null
            }
        cancel?.cancel()
        permits.release()
    }

    private fun wantsMore(): Boolean =
        !ended &&
            !aborted &&
            (readingAll || buffered < readAhead || downstream?.wantsMore() == true)

    private fun takeOnChange(): (() -> Unit)? = onChange.also { onChange = null }

    private fun askForMore() {
        executor.execute { upstream?.request(1) }
    }

    /** Suspends until [ready], evaluated under the monitor, holds. */
    private suspend fun awaitUntil(ready: () -> Boolean) {
        while (!synchronized(chunks) { ready() }) {
            suspendCancellableCoroutine { waiter ->
                val now =
                    synchronized(chunks) {
                        ready().also { if (!it) onChange = { waiter.resume(Unit) } }
                    }
                if (now) waiter.resume(Unit)
                waiter.invokeOnCancellation { synchronized(chunks) { onChange = null } }
            }
        }
    }

    /** The one stream subscriber's subscription; [drain] delivers in one thread at a time. */
    private inner class Downstream(private val subscriber: Flow.Subscriber<in List<ByteBuffer>>) :
        Flow.Subscription {
        private var demand = 0L
        private var draining = false
        private var again = false
        private var finished = false

        fun wantsMore(): Boolean = demand > 0 && chunks.isEmpty()

        override fun request(n: Long) {
            if (n <= 0) {
                synchronized(chunks) { finished = true }
                discard()
                subscriber.onError(
                    IllegalArgumentException("a subscriber must request a positive number, was $n")
                )
                return
            }
            synchronized(chunks) { demand = if (demand + n < 0) Long.MAX_VALUE else demand + n }
            drain()
        }

        override fun cancel() {
            synchronized(chunks) { finished = true }
            discard()
        }

        fun drain() {
            synchronized(chunks) {
                if (draining) {
                    again = true
                    return
                }
                draining = true
            }
            while (true) {
                var batch: List<ByteBuffer>? = null
                var terminal = false
                var error: Throwable? = null
                var ask = false
                var stop = false
                synchronized(chunks) {
                    if (finished) {
                        draining = false
                        return
                    }
                    if (demand > 0 && chunks.isNotEmpty()) {
                        batch = chunks.toList()
                        chunks.clear()
                        buffered = 0
                        demand--
                    } else if (chunks.isEmpty() && ended) {
                        terminal = true
                        error = failure
                        finished = true
                    } else {
                        ask = upstream != null && !requested && wantsMore()
                        if (ask) requested = true
                        stop = !again
                        if (stop) draining = false
                        again = false
                    }
                }
                when {
                    batch != null -> subscriber.onNext(batch)
                    terminal -> {
                        val failed = error
                        if (failed != null) subscriber.onError(failed) else subscriber.onComplete()
                        return
                    }
                    else -> {
                        if (ask) askForMore()
                        if (stop) return
                    }
                }
            }
        }
    }
}
