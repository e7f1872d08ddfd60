package dev.corobridge.io;

import dev.corobridge.AsyncCloseable;
import dev.corobridge.Task;
import dev.corobridge.core.HttpExchanges;
import dev.corobridge.core.HttpLimits;
import dev.corobridge.core.InFlight;
import dev.corobridge.core.OffLoopThreads;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP client session: aiohttp's {@code ClientSession}, over one JDK {@link HttpClient} whose
 * connections its requests share. Every request is a {@link Task} of a {@link ClientResponse},
 * started at once, that completes when the response's headers have arrived.
 *
 * <p><b>Limits.</b> At most {@link Builder#limit(int) limit} exchanges at once, and at most {@link
 * Builder#limitPerHost(int) limitPerHost} to one host (aiohttp's {@code limit}, 100 by default, and
 * {@code limit_per_host}, none by default); a request over a limit waits, first come first served,
 * without holding a thread. An exchange counts from before its request is sent until its body is
 * read to the end or discarded (see {@link ClientResponse}).
 *
 * <p><b>Cancellation.</b> Cancelling a request's task, directly, by {@code Async.timeout} or by a
 * task group, aborts the exchange: its connection is closed, so the server sees it go. A response
 * that arrives for a cancelled task is discarded. <b>Timeouts:</b> a connect timeout, a request
 * timeout (until the response's headers, the JDK's {@code HttpRequest.timeout}) and a total timeout
 * (from the call until the body has been read by {@code text()} or {@code bytes()}), each failing
 * the task with an {@link HttpTimeoutException} that names it.
 *
 * <p><b>Failures.</b> A bad URI throws {@code IllegalArgumentException} at the call. An unknown
 * host fails the task with {@link UnknownHostException}, a refused connection with {@link
 * ConnectException}, both naming the request; other I/O failures keep the JDK's exception. With
 * {@link Builder#successOnly(boolean) successOnly}, a status outside 200-299 fails the task with
 * {@link HttpStatusException}. The session speaks HTTP/1.1 unless built with another version.
 *
 * <pre>{@code
 * // async with aiohttp.ClientSession(base_url=..., connector=TCPConnector(limit_per_host=8)) as s:
 * try (var session = ClientSession.builder()
 *         .baseUri("http://127.0.0.1:8080")
 *         .limitPerHost(8)
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .build()) {
 *     List<Task<String>> pages = new ArrayList<>();
 *     for (String path : paths) {
 *         pages.add(Async.launch(() -> {
 *             try (var response = session.get(path).await()) {
 *                 return response.text().await();
 *             }
 *         }));
 *     }
 *     return Async.gather(pages).await();
 * }
 * }</pre>
 */
public final class ClientSession implements AsyncCloseable<RuntimeException> {
    private final HttpClient client;

    /**
     * The client's threads (virtual ones where the JDK has them); a body's reader asks for more of
     * it there too, never on a loop.
     */
    private final OffLoopThreads exchanges = OffLoopThreads.named("corobridge-http");

    private final @Nullable URI baseUri;
    private final Map<String, String> headers;
    private final HttpLimits limits;
    private final @Nullable Duration connectTimeout;
    private final @Nullable Duration requestTimeout;
    private final @Nullable Duration totalTimeout;
    private final boolean successOnly;
    private final InFlight inFlight = new InFlight();
    private volatile boolean closed;

    private ClientSession(Builder builder) {
        HttpClient.Builder client =
                HttpClient.newBuilder()
                        .version(builder.version)
                        .executor(exchanges)
                        .followRedirects(HttpClient.Redirect.NORMAL);
        if (builder.connectTimeout != null) client.connectTimeout(builder.connectTimeout);
        if (builder.sslContext != null) client.sslContext(builder.sslContext);
        this.client = client.build();
        this.baseUri = builder.baseUri;
        this.headers = Map.copyOf(builder.headers);
        this.limits = new HttpLimits(builder.limit, builder.limitPerHost);
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.totalTimeout = builder.totalTimeout;
        this.successOnly = builder.successOnly;
    }

    /** A session with the defaults: no base URI, a limit of 100 exchanges, no timeouts. */
    public static ClientSession create() {
        return builder().build();
    }

    /** A builder of a session. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends a GET to {@code uri} (resolved against the base URI, if any): aiohttp's {@code
     * session.get(url)}.
     *
     * @throws IllegalArgumentException if {@code uri} is not a valid absolute http(s) URI once
     *     resolved
     * @throws IllegalStateException if the session is closed
     */
    public Task<ClientResponse> get(String uri) {
        return send(newRequest(uri).GET().build());
    }

    /**
     * Sends a POST of {@code body} as UTF-8 text to {@code uri}: {@code session.post(url, data=s)}.
     */
    public Task<ClientResponse> post(String uri, String body) {
        Objects.requireNonNull(body, "body");
        return post(uri, BodyPublishers.ofString(body));
    }

    /** Sends a POST of {@code body} to {@code uri}. */
    public Task<ClientResponse> post(String uri, BodyPublisher body) {
        Objects.requireNonNull(body, "body");
        return send(newRequest(uri).POST(body).build());
    }

    /** Sends a PUT of {@code body} as UTF-8 text to {@code uri}. */
    public Task<ClientResponse> put(String uri, String body) {
        Objects.requireNonNull(body, "body");
        return put(uri, BodyPublishers.ofString(body));
    }

    /** Sends a PUT of {@code body} to {@code uri}. */
    public Task<ClientResponse> put(String uri, BodyPublisher body) {
        Objects.requireNonNull(body, "body");
        return send(newRequest(uri).PUT(body).build());
    }

    /** Sends a DELETE to {@code uri}. */
    public Task<ClientResponse> delete(String uri) {
        return send(newRequest(uri).DELETE().build());
    }

    /**
     * Sends {@code request}, with the session's default headers it does not set itself and the
     * session's request timeout if it has none: for any method, header or body.
     *
     * <pre>{@code
     * var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/items"))
     *         .method("PATCH", BodyPublishers.ofString("{}"))
     *         .header("Content-Type", "application/json")
     *         .build();
     * try (var response = session.send(request).await()) { ... }
     * }</pre>
     *
     * @throws IllegalArgumentException if the request's URI is not an absolute http(s) URI
     * @throws IllegalStateException if the session is closed
     */
    public Task<ClientResponse> send(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        checkTarget(request.uri(), request.uri().toString());
        if (closed) {
            throw new IllegalStateException(
                    "the session is closed: "
                            + request.method()
                            + " "
                            + request.uri()
                            + " needs an open ClientSession");
        }
        HttpRequest complete = withDefaults(request);
        long deadline =
                totalTimeout == null ? Long.MAX_VALUE : System.nanoTime() + totalTimeout.toNanos();
        String label = complete.method() + " " + complete.uri();
        Task<ClientResponse> task =
                IoTasks.task(
                        HttpExchanges.exchange(
                                limits,
                                hostKey(complete.uri()),
                                deadline,
                                exchanges,
                                bodies -> client.sendAsync(complete, bodies),
                                successOnly,
                                response ->
                                        new ClientResponse(
                                                response,
                                                deadline,
                                                failure -> describe(failure, complete),
                                                () -> totalTimedOut(label)),
                                ClientResponse::discard,
                                failure -> describe(failure, complete),
                                (response, excerpt) ->
                                        new HttpStatusException(
                                                response.statusCode(),
                                                complete.method(),
                                                response.uri(),
                                                excerpt),
                                () -> totalTimedOut(label)));
        return inFlight.track(task);
    }

    /**
     * Closes the session: requests no longer start, and those still waiting for their response are
     * cancelled. On JDK 21 and later the client is shut down too ({@code
     * HttpClient.shutdownNow()}), which aborts bodies still being read; on JDK 17 its connections
     * close as they idle out.
     */
    @Override
    public CompletionStage<?> closeAsync() {
        closed = true;
        inFlight.cancelAll();
        shutDownClient();
        exchanges.shutdown(); // idle threads end; on JDK 17 the client's selector thread stays
        return CompletableFuture.completedFuture(null);
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private HttpRequest.Builder newRequest(String uri) {
        Objects.requireNonNull(uri, "uri");
        return HttpRequest.newBuilder(resolve(uri));
    }

    private URI resolve(String uri) {
        URI resolved;
        try {
            URI given = new URI(uri);
            resolved = baseUri == null ? given : baseUri.resolve(given);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "not a valid URI: '"
                            + uri
                            + "' ("
                            + e.getReason()
                            + " at index "
                            + e.getIndex()
                            + ")",
                    e);
        }
        checkTarget(resolved, uri);
        return resolved;
    }

    private void checkTarget(URI uri, String given) {
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "'"
                            + given
                            + "' is not an absolute http:// or https:// URI with a host"
                            + (baseUri == null
                                    ? "; or give the session a baseUri to resolve it against"
                                    : ""));
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            throw new IllegalArgumentException(
                    "'"
                            + given
                            + "' has scheme '"
                            + scheme
                            + "': a ClientSession speaks http and https");
        }
    }

    private HttpRequest withDefaults(HttpRequest request) {
        if (headers.isEmpty() && (requestTimeout == null || request.timeout().isPresent())) {
            return request;
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> true);
        headers.forEach(
                (name, value) -> {
                    if (request.headers().firstValue(name).isEmpty()) builder.header(name, value);
                });
        if (requestTimeout != null && request.timeout().isEmpty()) builder.timeout(requestTimeout);
        return builder.build();
    }

    /** Where the per-host limit counts: scheme, host and port, as aiohttp's connection key. */
    private static String hostKey(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private Throwable totalTimedOut(String label) {
        return new HttpTimeoutException(
                label + ": not complete within " + totalTimeout + " (the session's total timeout)");
    }

    /** The JDK's failure of an exchange, named after the request and what went wrong. */
    private Throwable describe(Throwable failure, HttpRequest request) {
        String label = request.method() + " " + request.uri();
        URI uri = request.uri();
        Throwable described;
        if (failure instanceof HttpConnectTimeoutException) {
            described =
                    new HttpConnectTimeoutException(
                            label
                                    + ": could not connect within "
                                    + connectTimeout
                                    + " (the session's connect timeout)");
        } else if (failure instanceof HttpTimeoutException) {
            described =
                    new HttpTimeoutException(
                            label
                                    + ": no response headers within "
                                    + request.timeout()
                                            .map(Duration::toString)
                                            .orElse("its timeout")
                                    + " (the request timeout)");
        } else if (failure instanceof ConnectException
                && causedBy(failure, UnresolvedAddressException.class)) {
            described = new UnknownHostException(label + ": unknown host '" + uri.getHost() + "'");
        } else if (failure instanceof ConnectException) {
            described =
                    new ConnectException(
                            label
                                    + ": connection refused by "
                                    + uri.getHost()
                                    + ":"
                                    + (uri.getPort() == -1 ? "(default port)" : uri.getPort())
                                    + "; is the server running there?");
        } else {
            return failure;
        }
        described.initCause(failure);
        return described;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) return true;
            if (cause.getCause() == cause) break;
        }
        return false;
    }

    /** JDK 21's {@code HttpClient.shutdownNow()}, when this JDK has it. */
    private void shutDownClient() {
        Method shutdownNow;
        try {
            shutdownNow = HttpClient.class.getMethod("shutdownNow");
        } catch (NoSuchMethodException e) {
            return; // JDK 17: no way to stop the client's thread; it ends once the client is
            // collected
        }
        try {
            shutdownNow.invoke(client);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not shut the HTTP client down", e);
        }
    }

    /**
     * Builds a {@link ClientSession}. Every setting is optional.
     *
     * <pre>{@code
     * var session = ClientSession.builder()
     *         .baseUri("https://api.example.com/v1/")
     *         .header("Authorization", "Bearer " + token)
     *         .limit(64).limitPerHost(16)
     *         .connectTimeout(Duration.ofSeconds(2))
     *         .requestTimeout(Duration.ofSeconds(10))
     *         .successOnly(true)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private @Nullable URI baseUri;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int limit = 100;
        private int limitPerHost;
        private @Nullable Duration connectTimeout;
        private @Nullable Duration requestTimeout;
        private @Nullable Duration totalTimeout;
        private boolean successOnly;
        private HttpClient.Version version = HttpClient.Version.HTTP_1_1;
        private @Nullable SSLContext sslContext;

        private Builder() {}

        /**
         * The URI that relative request URIs resolve against ({@code URI.resolve}): aiohttp's
         * {@code base_url}. End it with {@code /} to resolve paths below it.
         *
         * @throws IllegalArgumentException if it is not an absolute http(s) URI
         */
        public Builder baseUri(String baseUri) {
            Objects.requireNonNull(baseUri, "baseUri");
            URI uri;
            try {
                uri = new URI(baseUri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "not a valid base URI: '" + baseUri + "' (" + e.getReason() + ")", e);
            }
            String scheme = uri.getScheme();
            if (scheme == null
                    || uri.getHost() == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException(
                        "the base URI must be an absolute http:// or https:// URI with a host, was '"
                                + baseUri
                                + "'");
            }
            this.baseUri = uri;
            return this;
        }

        /** A header sent with every request that does not set it itself. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            // Checked now, with the JDK's own rules, rather than at the first request.
            HttpRequest.newBuilder().header(name, value);
            headers.put(name, value);
            return this;
        }

        /**
         * At most {@code limit} exchanges at once over the session; 0 for no limit. 100 by default,
         * as aiohttp's.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder limit(int limit) {
            if (limit < 0)
                throw new IllegalArgumentException("limit must be >= 0 (0: none), was " + limit);
            this.limit = limit;
            return this;
        }

        /**
         * At most {@code limit} exchanges at once with one host (scheme, host and port); 0 for no
         * limit, the default.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder limitPerHost(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException(
                        "limitPerHost must be >= 0 (0: none), was " + limit);
            }
            this.limitPerHost = limit;
            return this;
        }

        /** How long to wait for a connection to be made. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** How long a request waits for its response's headers, once sent. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * How long a request may take in all: waiting for the limits, the exchange, and reading the
         * body with {@code text()} or {@code bytes()}: aiohttp's {@code ClientTimeout(total=)}.
         */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = positive(timeout, "totalTimeout");
            return this;
        }

        /**
         * With {@code true}, a response whose status is not 200-299 fails its task with {@link
         * HttpStatusException}: aiohttp's {@code raise_for_status=True}.
         */
        public Builder successOnly(boolean successOnly) {
            this.successOnly = successOnly;
            return this;
        }

        /**
         * The HTTP version to ask for: HTTP/1.1 by default, like aiohttp. {@code HTTP_2}
         * multiplexes requests to a host over one connection; keep {@link #limitPerHost(int)} at or
         * below the server's stream limit (often 100).
         */
        public Builder version(HttpClient.Version version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * The TLS context of {@code https} requests, for servers that the JVM's default trust store
         * does not vouch for (an internal certificate authority, a test server's self-signed
         * certificate): aiohttp's {@code ssl=} argument.
         *
         * <pre>{@code
         * var trusted = SSLContext.getInstance("TLS");
         * trusted.init(null, trustManagerFactory.getTrustManagers(), null);
         * var session = ClientSession.builder().sslContext(trusted).build();
         * }</pre>
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /** The session. */
        public ClientSession build() {
            return new ClientSession(this);
        }

        private static Duration positive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + timeout);
            }
            return timeout;
        }
    }
}
