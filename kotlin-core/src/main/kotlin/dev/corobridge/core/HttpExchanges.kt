package dev.corobridge.core

import java.net.http.HttpResponse
import java.nio.ByteBuffer
import java.nio.charset.Charset
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executor
import java.util.concurrent.Flow
import java.util.concurrent.atomic.AtomicBoolean
import java.util.function.BiFunction
import java.util.function.Function
import java.util.function.Supplier
import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withTimeoutOrNull

/**
 * The engine side of `dev.corobridge.io`'s HTTP client; the JDK's `HttpClient` does the I/O.
 *
 * An exchange is a task that owns the JDK's future: cancelling the task cancels that future with an
 * interrupt, which makes the JDK abort the exchange and close its connection (the server sees it
 * go). It is a waiting operation of the task that awaits it, like a queue's `get`: a response that
 * arrives after the task was cancelled is discarded, never left holding a connection.
 *
 * Limits are semaphores: a permit of the response's host, then one of the session, taken before the
 * request is sent and held until its body has been read to the end, discarded, or has failed
 * (aiohttp's `limit_per_host` and `limit`, which count connections in use). The host's comes first,
 * so that requests queued for a busy host hold none of the session's.
 */
@InternalCorobridgeApi
public object HttpExchanges {
    private val starter = TaskStarter { DefaultTasks.newTask<Any?>() }

    /** What an unread body of a rejected response contributes to its error: its first bytes. */
    private const val EXCERPT_BYTES = 512

    /**
     * A started task for one exchange: takes [limits]' permits for [host], calls [send] (the JDK
     * client's `sendAsync` with a publisher body handler), and completes with [opened] of the
     * response (headers received, body unread) once it arrives. [deadlineNanos] (`System.nanoTime`
     * based; `Long.MAX_VALUE` for none) bounds it all: past it, the exchange is aborted and the
     * task fails with [timedOut]. A failure of the JDK's future fails the task with [describe] of
     * it. With [successOnly], a status outside 200-299 fails the task with [rejected] of the
     * response and the start of its body, which is then discarded.
     */
    @JvmStatic
    public fun <R> exchange(
        limits: HttpLimits,
        host: String,
        deadlineNanos: Long,
        send: Supplier<CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>>>,
        successOnly: Boolean,
        opened: BiFunction<HttpResponse<Flow.Publisher<List<ByteBuffer>>>, HttpPermits, R>,
        discard: java.util.function.Consumer<R>,
        describe: Function<Throwable, Throwable>,
        rejected: BiFunction<HttpResponse<*>, String, Throwable>,
        timedOut: Supplier<Throwable>,
    ): TaskFuture<R> =
        Coordination.waiting(giveBack = { response -> discard.accept(response) }) {
            val permits = limits.acquire(host)
            try {
                val response =
                    beforeDeadline(deadlineNanos, timedOut) { awaitOwned(send.get(), describe) }
                if (successOnly && response.statusCode() !in 200..299) {
                    val excerpt = beforeDeadline(deadlineNanos, timedOut) { excerptOf(response) }
                    throw rejected.apply(response, excerpt)
                }
                opened.apply(response, permits)
            } catch (e: Throwable) {
                permits.release()
                throw e
            }
        }

    /**
     * A started task that reads the body [publisher] through [subscriber] (one of the JDK's
     * `BodySubscribers`) and completes with its body; [permits] are released when it ends, however
     * it ends. Cancelling the task, or [deadlineNanos] passing ([timedOut]), cancels the
     * subscription, which aborts the rest of the body. The subscription is made on [executor]: the
     * JDK parses what it has buffered in the thread that subscribes, which must not be the loop's.
     */
    @JvmStatic
    public fun <T> readBody(
        publisher: Flow.Publisher<List<ByteBuffer>>,
        subscriber: HttpResponse.BodySubscriber<T>,
        permits: HttpPermits,
        deadlineNanos: Long,
        executor: Executor,
        describe: Function<Throwable, Throwable>,
        timedOut: Supplier<Throwable>,
    ): TaskFuture<T> =
        starter.start(starter.currentContext(), null, startsInPlace = true) {
            try {
                val cancellable = CancellableSubscriber(subscriber)
                executor.execute { publisher.subscribe(cancellable) }
                try {
                    beforeDeadline(deadlineNanos, timedOut) {
                        awaitOwned(subscriber.body.toCompletableFuture(), describe)
                    }
                } catch (e: Throwable) {
                    cancellable.cancel()
                    throw e
                }
            } finally {
                permits.release()
            }
        }

    /**
     * [publisher] releasing [permits] once its one subscriber has seen it end, or has cancelled:
     * for bodies read as a stream.
     */
    @JvmStatic
    public fun releasingAtEnd(
        publisher: Flow.Publisher<List<ByteBuffer>>,
        permits: HttpPermits,
    ): Flow.Publisher<List<ByteBuffer>> =
        Flow.Publisher { downstream ->
            publisher.subscribe(
                object : Flow.Subscriber<List<ByteBuffer>> {
                    override fun onSubscribe(subscription: Flow.Subscription) {
                        downstream.onSubscribe(
                            object : Flow.Subscription {
                                override fun request(n: Long) = subscription.request(n)

                                override fun cancel() {
                                    subscription.cancel()
                                    permits.release()
                                }
                            }
                        )
                    }

                    override fun onNext(item: List<ByteBuffer>) = downstream.onNext(item)

                    override fun onError(throwable: Throwable) {
                        permits.release()
                        downstream.onError(throwable)
                    }

                    override fun onComplete() {
                        permits.release()
                        downstream.onComplete()
                    }
                }
            )
        }

    /** Aborts an unread body: its connection closes instead of going back to the pool half-read. */
    @JvmStatic
    public fun discard(publisher: Flow.Publisher<List<ByteBuffer>>, permits: HttpPermits) {
        try {
            publisher.subscribe(
                object : Flow.Subscriber<List<ByteBuffer>> {
                    override fun onSubscribe(subscription: Flow.Subscription) =
                        subscription.cancel()

                    override fun onNext(item: List<ByteBuffer>) {}

                    override fun onError(throwable: Throwable) {}

                    override fun onComplete() {}
                }
            )
        } finally {
            permits.release()
        }
    }

    /**
     * Awaits [future], which this task owns: a cancellation cancels it with an interrupt. Owned, it
     * always completes, so a dependent of its own is no leak (no shared callback hub needed).
     */
    private suspend fun <T> awaitOwned(
        future: CompletableFuture<T>,
        describe: Function<Throwable, Throwable>,
    ): T {
        if (!future.isDone) {
            suspendCancellableCoroutine { waiter ->
                future.whenComplete { _, _ -> waiter.resume(Unit) }
                // true: the JDK's client aborts the exchange only then
                waiter.invokeOnCancellation { future.cancel(true) }
            }
        }
        return try {
            future.outcome()
        } catch (e: CancellationException) {
            throw e
        } catch (e: Throwable) {
            throw describe.apply(e)
        }
    }

    private suspend fun <T> beforeDeadline(
        deadlineNanos: Long,
        timedOut: Supplier<Throwable>,
        block: suspend () -> T,
    ): T {
        if (deadlineNanos == Long.MAX_VALUE) return block()
        val leftMillis = (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000
        if (leftMillis <= 0) throw timedOut.get()
        // A box: a null body (none) must not read as the timeout.
        return (withTimeoutOrNull(leftMillis) { Result.success(block()) } ?: throw timedOut.get())
            .getOrThrow()
    }

    /** The first bytes of [response]'s body, decoded by its charset; the rest is not read. */
    private suspend fun excerptOf(
        response: HttpResponse<Flow.Publisher<List<ByteBuffer>>>
    ): String {
        val excerpt = Excerpt(EXCERPT_BYTES)
        response.body().subscribe(excerpt)
        try {
            awaitSettledOrCancellation(excerpt.bytes)
        } catch (e: CancellationException) {
            excerpt.cancel()
            throw e
        }
        val charset = charsetOf(response.headers().firstValue("content-type").orElse(""))
        return String(excerpt.bytes.outcome(), charset)
    }

    /** The charset a `Content-Type` names, UTF-8 if none or unknown. */
    @JvmStatic
    public fun charsetOf(contentType: String): Charset {
        val name =
            contentType
                .split(';')
                .drop(1)
                .map { it.trim() }
                .firstOrNull { it.startsWith("charset=", ignoreCase = true) }
                ?.substring("charset=".length)
                ?.trim('"', ' ')
        return runCatching { if (name != null) Charset.forName(name) else null }.getOrNull()
            ?: Charsets.UTF_8
    }
}

/** The permits one exchange holds ([HttpLimits]); released once, by whoever ends it first. */
@InternalCorobridgeApi
public class HttpPermits
internal constructor(private val host: SemaphoreCore?, private val session: SemaphoreCore?) {
    private val released = AtomicBoolean()

    public fun release() {
        if (!released.compareAndSet(false, true)) return
        host?.release()
        session?.release()
    }
}

/** A session's limits: at most [total] exchanges at once, at most [perHost] per host; 0 is none. */
@InternalCorobridgeApi
public class HttpLimits(total: Int, private val perHost: Int) {
    private val session = if (total > 0) SemaphoreCore(total) else null
    private val hosts = ConcurrentHashMap<String, SemaphoreCore>()

    @JvmSynthetic
    internal suspend fun acquire(host: String): HttpPermits {
        val hostLimit =
            if (perHost > 0) hosts.computeIfAbsent(host) { SemaphoreCore(perHost) } else null
        hostLimit?.acquire()
        try {
            session?.acquire()
        } catch (e: Throwable) {
            hostLimit?.release()
            throw e
        }
        return HttpPermits(hostLimit, session)
    }
}

/** [delegate], with a subscription that can be cancelled from outside once it has one. */
private class CancellableSubscriber<T>(private val delegate: Flow.Subscriber<T>) :
    Flow.Subscriber<T> {
    @Volatile private var subscription: Flow.Subscription? = null
    @Volatile private var cancelled = false

    override fun onSubscribe(subscription: Flow.Subscription) {
        this.subscription = subscription
        delegate.onSubscribe(subscription)
        if (cancelled) subscription.cancel()
    }

    override fun onNext(item: T) = delegate.onNext(item)

    override fun onError(throwable: Throwable) = delegate.onError(throwable)

    override fun onComplete() = delegate.onComplete()

    fun cancel() {
        cancelled = true
        subscription?.cancel()
    }
}

/** Collects the first [limit] bytes of a body, then cancels the rest. */
private class Excerpt(private val limit: Int) : Flow.Subscriber<List<ByteBuffer>> {
    val bytes = CompletableFuture<ByteArray>()
    private val collected = java.io.ByteArrayOutputStream()
    @Volatile private var subscription: Flow.Subscription? = null

    override fun onSubscribe(subscription: Flow.Subscription) {
        this.subscription = subscription
        subscription.request(1)
    }

    override fun onNext(item: List<ByteBuffer>) {
        for (buffer in item) {
            val take = minOf(buffer.remaining(), limit - collected.size())
            val chunk = ByteArray(take)
            buffer.get(chunk)
            collected.write(chunk)
        }
        if (collected.size() >= limit) {
            subscription?.cancel()
            bytes.complete(collected.toByteArray())
        } else subscription?.request(1)
    }

    override fun onError(throwable: Throwable) {
        bytes.complete(collected.toByteArray()) // what came is excerpt enough
    }

    override fun onComplete() {
        bytes.complete(collected.toByteArray())
    }

    fun cancel() {
        subscription?.cancel()
    }
}
