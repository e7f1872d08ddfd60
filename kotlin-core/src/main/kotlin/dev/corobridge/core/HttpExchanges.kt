package dev.corobridge.core

import java.net.http.HttpResponse
import java.nio.charset.Charset
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executor
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
 * request is sent and held until its body has arrived to the end ([HttpBody] reads ahead), has been
 * discarded, or has failed (aiohttp's `limit_per_host` and `limit`, which count connections in
 * use). The host's comes first, so that requests queued for a busy host hold none of the session's.
 */
@InternalCorobridgeApi
public object HttpExchanges {
    /** What an unread body of a rejected response contributes to its error: its first bytes. */
    private const val EXCERPT_BYTES = 512

    /** How much of a body arrives before anyone reads it: aiohttp's read buffer's high mark. */
    private const val READ_AHEAD_BYTES = 64 * 1024

    /**
     * A started task for one exchange: takes [limits]' permits for [host], calls [send] (the JDK
     * client's `sendAsync`) with a handler whose bodies are [HttpBody]s reading ahead on
     * [executor]'s threads, and completes with [opened] of the response (headers received, body
     * arriving) once it arrives. [deadlineNanos] (`System.nanoTime` based; `Long.MAX_VALUE` for
     * none) bounds it all: past it, the exchange is aborted and the task fails with [timedOut]. A
     * failure of the JDK's future fails the task with [describe] of it. With [successOnly], a
     * status outside 200-299 fails the task with [rejected] of the response and the start of its
     * body, which is then discarded.
     */
    @JvmStatic
    public fun <R> exchange(
        limits: HttpLimits,
        host: String,
        deadlineNanos: Long,
        executor: Executor,
        send:
            Function<HttpResponse.BodyHandler<HttpBody>, CompletableFuture<HttpResponse<HttpBody>>>,
        successOnly: Boolean,
        opened: Function<HttpResponse<HttpBody>, R>,
        discard: java.util.function.Consumer<R>,
        describe: Function<Throwable, Throwable>,
        rejected: BiFunction<HttpResponse<*>, String, Throwable>,
        timedOut: Supplier<Throwable>,
    ): TaskFuture<R> =
        Coordination.waiting(giveBack = { response -> discard.accept(response) }) {
            val permits = limits.acquire(host)
            var sent: CompletableFuture<HttpResponse<HttpBody>>? = null
            try {
                val future =
                    send.apply { HttpBody(permits, READ_AHEAD_BYTES, executor) }.also { sent = it }
                val response =
                    beforeDeadline(deadlineNanos, timedOut) { awaitOwned(future, describe) }
                if (successOnly && response.statusCode() !in 200..299) {
                    val excerpt =
                        beforeDeadline(deadlineNanos, timedOut) {
                            response.body().excerpt(EXCERPT_BYTES)
                        }
                    val charset =
                        charsetOf(response.headers().firstValue("content-type").orElse(""))
                    throw rejected.apply(response, String(excerpt, charset))
                }
                opened.apply(response)
            } catch (e: Throwable) {
                // A response that came as the task failed or was cancelled: nobody reads it.
                sent
                    ?.takeIf { it.isDone && !it.isCompletedExceptionally }
                    ?.getNow(null)
                    ?.body()
                    ?.discard()
                permits.release()
                throw e
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

    @JvmSynthetic
    internal suspend fun <T> beforeDeadline(
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
