package dev.corobridge.io;

import dev.corobridge.stream.AsyncStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RequestHandler} answers: a status, headers, and a body that is either complete
 * (text, JSON, bytes) or a stream written chunk by chunk as it is produced. Immutable: {@link
 * #withHeader(String, String)} returns a new response. aiohttp's {@code web.Response} and {@code
 * web.StreamResponse}.
 *
 * <pre>{@code
 * ServerResponse.json("{\"id\": 7}").withHeader("Cache-Control", "no-store");
 * ServerResponse.stream(200, "text/plain; charset=utf-8", ticks.map(n -> (n + "\n").getBytes(UTF_8)));
 * }</pre>
 */
public final class ServerResponse {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private final int status;
    private final Map<String, String> headers;
    private final byte @Nullable [] body;
    private final @Nullable AsyncStream<byte[]> chunks;

    private ServerResponse(
            int status,
            Map<String, String> headers,
            byte @Nullable [] body,
            @Nullable AsyncStream<byte[]> chunks) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("an HTTP status is 100 to 599, was " + status);
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.chunks = chunks;
    }

    /** 200 with {@code text} as UTF-8 plain text. */
    public static ServerResponse text(String text) {
        return text(200, text);
    }

    /** {@code status} with {@code text} as UTF-8 plain text. */
    public static ServerResponse text(int status, String text) {
        Objects.requireNonNull(text, "text");
        return bytes(status, text.getBytes(StandardCharsets.UTF_8), TEXT);
    }

    /** 200 with {@code json}, already serialized, as {@code application/json}. */
    public static ServerResponse json(String json) {
        return json(200, json);
    }

    /** {@code status} with {@code json}, already serialized, as {@code application/json}. */
    public static ServerResponse json(int status, String json) {
        Objects.requireNonNull(json, "json");
        return bytes(status, json.getBytes(StandardCharsets.UTF_8), JSON);
    }

    /** {@code status} with {@code body} of type {@code contentType}. */
    public static ServerResponse bytes(int status, byte[] body, String contentType) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
        return new ServerResponse(status, Map.of("Content-Type", contentType), body.clone(), null);
    }

    /** {@code status} with no body: 204, or a redirect with a {@code Location} header. */
    public static ServerResponse status(int status) {
        return new ServerResponse(status, Map.of(), new byte[0], null);
    }

    /**
     * {@code status} with a body streamed as {@code chunks} produces it (chunked transfer
     * encoding): each chunk is written, and flushed, before the next is asked for, so a slow client
     * slows the producer down. The handler returns at once; the stream is iterated after. A failure
     * of the stream once writing has begun closes the connection (the status was sent).
     */
    public static ServerResponse stream(
            int status, String contentType, AsyncStream<byte[]> chunks) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(chunks, "chunks");
        return new ServerResponse(status, Map.of("Content-Type", contentType), null, chunks);
    }

    /**
     * This response with header {@code name} set to {@code value} (replacing an earlier value).
     *
     * @throws IllegalArgumentException if the name or value is not valid in HTTP
     */
    public ServerResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        HttpRequest.newBuilder().header(name, value); // the JDK's checks of names and values
        var more = new LinkedHashMap<>(headers);
        more.remove(name);
        more.put(name, value);
        return new ServerResponse(status, Map.copyOf(more), body, chunks);
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The headers set on this response. */
    public Map<String, String> headers() {
        return headers;
    }

    byte @Nullable [] body() {
        return body;
    }

    @Nullable AsyncStream<byte[]> chunks() {
        return chunks;
    }
}
