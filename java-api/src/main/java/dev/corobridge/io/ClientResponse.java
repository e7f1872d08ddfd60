package dev.corobridge.io;

import dev.corobridge.AsyncCloseable;
import dev.corobridge.Task;
import dev.corobridge.core.HttpBody;
import dev.corobridge.core.HttpExchanges;
import dev.corobridge.stream.AsyncStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A response of a {@link ClientSession} whose headers have arrived and whose body is read on
 * demand, once: aiohttp's {@code ClientResponse}. Read the body with {@link #text()}, {@link
 * #bytes()} (tasks), or as a stream of {@link #lines()} or {@link #chunks()} with back-pressure (a
 * large body is never held in memory); or close the response to discard it.
 *
 * <p><b>Connections.</b> The first 64 KiB of a body are read ahead as they arrive, before anyone
 * asks: a body that ends within them frees its connection, and its place in the session's limits,
 * as soon as it has arrived, and reading it later takes no waiting. A longer body is read at its
 * reader's pace, and the response holds its connection and its place until the body has been read
 * to the end, has failed, or is discarded by {@link #close()}: use try-with-resources, as {@code
 * async with session.get(url) as resp:} in Python. Discarding an unread body closes its connection
 * rather than return it half-read to the pool.
 *
 * <p><b>Cancellation.</b> Cancelling a {@code text()} or {@code bytes()} task, or stopping a stream
 * early, aborts the rest of the body. The session's total timeout covers {@code text()} and {@code
 * bytes()}; bound a streamed body with {@code Async.timeout} around the loop.
 *
 * <pre>{@code
 * try (var response = session.get("/report").await()) {   // async with session.get(...) as resp:
 *     if (response.status() == 200) {
 *         for (String line : response.lines()) {            // async for line in resp.content:
 *             System.out.println(line);
 *         }
 *     }
 * }
 * }</pre>
 */
public final class ClientResponse implements AsyncCloseable<RuntimeException> {
    private static final int CHUNK_BUFFER = 16;

    private final HttpResponse<HttpBody> response;
    private final long deadlineNanos;
    private final Function<Throwable, Throwable> describe;
    private final Supplier<Throwable> timedOut;

    /** How the body was read, once it was: the error of a second read names the first. */
    private final AtomicReference<@Nullable String> bodyReadBy = new AtomicReference<>();

    ClientResponse(
            HttpResponse<HttpBody> response,
            long deadlineNanos,
            Function<Throwable, Throwable> describe,
            Supplier<Throwable> timedOut) {
        this.response = response;
        this.deadlineNanos = deadlineNanos;
        this.describe = describe;
        this.timedOut = timedOut;
    }

    /** The status code: 200, 404, ... */
    public int status() {
        return response.statusCode();
    }

    /** The response's headers. */
    public HttpHeaders headers() {
        return response.headers();
    }

    /** The URI that answered (the last one, after redirects the session followed). */
    public URI uri() {
        return response.uri();
    }

    /** The HTTP version of the exchange. */
    public HttpClient.Version version() {
        return response.version();
    }

    /** The charset of the body: the one its {@code Content-Type} names, else UTF-8. */
    public Charset charset() {
        return HttpExchanges.charsetOf(headers().firstValue("content-type").orElse(""));
    }

    /**
     * Reads the whole body as text, decoded by {@link #charset()}: aiohttp's {@code await
     * resp.text()}.
     *
     * @throws IllegalStateException if the body was read already
     */
    public Task<String> text() {
        Charset charset = charset();
        return IoTasks.task(
                body("text()")
                        .readAll(
                                bytes -> new String(bytes, charset),
                                deadlineNanos,
                                describe,
                                timedOut));
    }

    /**
     * Reads the whole body as bytes: aiohttp's {@code await resp.read()}.
     *
     * @throws IllegalStateException if the body was read already
     */
    public Task<byte[]> bytes() {
        return IoTasks.task(
                body("bytes()").readAll(bytes -> bytes, deadlineNanos, describe, timedOut));
    }

    /**
     * The body as a stream of byte chunks, as they arrive: aiohttp's {@code
     * resp.content.iter_any()}. The body is asked for a few chunks beyond those consumed, no more.
     * The stream can be iterated once.
     *
     * @throws IllegalStateException if the body was read already
     */
    public AsyncStream<byte[]> chunks() {
        return AsyncStream.fromPublisher(stream("chunks()"), CHUNK_BUFFER)
                .map(ClientResponse::concatenate);
    }

    /**
     * The body as a stream of lines, decoded by {@link #charset()}, without their line ending
     * ({@code \n} or {@code \r\n}): aiohttp's {@code async for line in resp.content}. Lines are
     * split at the byte {@code \n}, which suits UTF-8 and the other ASCII-based charsets. The
     * stream can be iterated once.
     *
     * @throws IllegalStateException if the body was read already
     */
    public AsyncStream<String> lines() {
        AsyncStream<byte[]> chunks =
                AsyncStream.fromPublisher(stream("lines()"), CHUNK_BUFFER)
                        .map(ClientResponse::concatenate);
        Charset charset = charset();
        return AsyncStream.generate(
                out -> {
                    var line = new ByteArrayOutputStream();
                    for (byte[] chunk : chunks) {
                        int start = 0;
                        for (int i = 0; i < chunk.length; i++) {
                            if (chunk[i] == '\n') {
                                line.write(chunk, start, i - start);
                                out.emit(decodeLine(line, charset));
                                start = i + 1;
                            }
                        }
                        line.write(chunk, start, chunk.length - start);
                    }
                    if (line.size() > 0) out.emit(decodeLine(line, charset));
                });
    }

    /**
     * Discards the body if nobody read it, which closes its connection, and gives up the response's
     * place in the session's limits. Does nothing once the body was read.
     */
    @Override
    public CompletionStage<?> closeAsync() {
        discard();
        return CompletableFuture.completedFuture(null);
    }

    /** The session's undo of a response nobody received: the same as closing it. */
    void discard() {
        if (bodyReadBy.compareAndSet(null, "close()")) {
            response.body().discard();
        }
    }

    @Override
    public String toString() {
        return "ClientResponse["
                + response.request().method()
                + " "
                + uri()
                + ": "
                + status()
                + "]";
    }

    private HttpBody body(String readBy) {
        String earlier = bodyReadBy.compareAndExchange(null, readBy);
        if (earlier != null) {
            throw new IllegalStateException(
                    "the body of "
                            + response.request().method()
                            + " "
                            + uri()
                            + " was "
                            + (earlier.equals("close()")
                                    ? "discarded by close()"
                                    : "read already by " + earlier)
                            + ": a body is read once; keep what text(), bytes(), lines() or chunks() gave");
        }
        return response.body();
    }

    private Flow.Publisher<List<ByteBuffer>> stream(String readBy) {
        return oneSubscription(body(readBy).stream());
    }

    /** [publisher] for one subscriber: a stream iterated a second time fails clearly. */
    private Flow.Publisher<List<ByteBuffer>> oneSubscription(
            Flow.Publisher<List<ByteBuffer>> publisher) {
        var subscribed = new java.util.concurrent.atomic.AtomicBoolean();
        return subscriber -> {
            if (subscribed.compareAndSet(false, true)) {
                publisher.subscribe(subscriber);
                return;
            }
            subscriber.onSubscribe(
                    new Flow.Subscription() {
                        @Override
                        public void request(long n) {}

                        @Override
                        public void cancel() {}
                    });
            subscriber.onError(
                    new IllegalStateException(
                            "the body of "
                                    + uri()
                                    + " was iterated already: a body stream can be iterated once"));
        };
    }

    private static byte[] concatenate(List<ByteBuffer> buffers) {
        int size = 0;
        for (ByteBuffer buffer : buffers) size += buffer.remaining();
        byte[] bytes = new byte[size];
        int at = 0;
        for (ByteBuffer buffer : buffers) {
            int length = buffer.remaining();
            buffer.get(bytes, at, length);
            at += length;
        }
        return bytes;
    }

    private static String decodeLine(ByteArrayOutputStream line, Charset charset) {
        byte[] bytes = line.toByteArray();
        line.reset();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') length--;
        return new String(bytes, 0, length, charset);
    }
}
