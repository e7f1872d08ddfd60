package dev.corobridge.io;

import com.sun.net.httpserver.HttpExchange;
import dev.corobridge.Async;
import dev.corobridge.Task;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A request to a {@link WebServer}, as its handler sees it: method, path, the parameters of its
 * route and query, headers, and a body read on demand, once. aiohttp's {@code web.Request}.
 *
 * <pre>{@code
 * // GET /items/42?verbose=true, routed by "/items/{id}"
 * String id = request.pathParameter("id");              // "42"
 * String verbose = request.queryParameter("verbose");   // "true"; null when absent
 * }</pre>
 */
public final class ServerRequest {
    private final HttpExchange exchange;
    private final Map<String, String> pathParameters;
    private final AtomicBoolean bodyRead = new AtomicBoolean();
    private @Nullable Map<String, List<String>> queryParameters;

    ServerRequest(HttpExchange exchange, Map<String, String> pathParameters) {
        this.exchange = exchange;
        this.pathParameters = pathParameters;
    }

    /** The method: GET, POST, ... */
    public String method() {
        return exchange.getRequestMethod();
    }

    /** The path, decoded: {@code /items/42}. */
    public String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The request URI as sent: path and query. */
    public URI uri() {
        return exchange.getRequestURI();
    }

    /** The value of route parameter {@code name} ({@code {name}} in the route), or null. */
    public @Nullable String pathParameter(String name) {
        Objects.requireNonNull(name, "name");
        return pathParameters.get(name);
    }

    /** The first value of query parameter {@code name}, decoded, or null if absent. */
    public @Nullable String queryParameter(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = queryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every query parameter with its values, decoded, in the order they came. */
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> parsed = queryParameters;
        if (parsed == null) {
            parsed = parseQuery(exchange.getRequestURI().getRawQuery());
            queryParameters = parsed;
        }
        return parsed;
    }

    /** The request's headers. */
    public HttpHeaders headers() {
        return HttpHeaders.of(exchange.getRequestHeaders(), (name, value) -> true);
    }

    /** The first value of header {@code name}, or null if absent. */
    public @Nullable String header(String name) {
        Objects.requireNonNull(name, "name");
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The address of the client. */
    public InetSocketAddress remoteAddress() {
        return exchange.getRemoteAddress();
    }

    /**
     * Reads the whole body, on an I/O thread (the loop goes on meanwhile).
     *
     * @throws IllegalStateException if the body was read already
     */
    public Task<byte[]> bytes() {
        claimBody();
        return Async.toThread(this::readBody);
    }

    /**
     * Reads the whole body as text, in the charset its {@code Content-Type} names (UTF-8 if none).
     *
     * @throws IllegalStateException if the body was read already
     */
    public Task<String> text() {
        var charset =
                dev.corobridge.core.HttpExchanges.charsetOf(
                        Objects.requireNonNullElse(header("Content-Type"), ""));
        claimBody();
        return Async.toThread(() -> new String(readBody(), charset)); // decoded off the loop too
    }

    private void claimBody() {
        if (!bodyRead.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "the body of " + method() + " " + path() + " was read already: read it once");
        }
    }

    private byte[] readBody() throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    @Override
    public String toString() {
        return "ServerRequest[" + method() + " " + uri() + "]";
    }

    private static Map<String, List<String>> parseQuery(@Nullable String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return Map.of();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((name, values) -> List.copyOf(values));
        return java.util.Collections.unmodifiableMap(parameters);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
