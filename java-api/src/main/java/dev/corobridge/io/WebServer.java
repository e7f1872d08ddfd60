package dev.corobridge.io;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.corobridge.Async;
import dev.corobridge.AsyncCloseable;
import dev.corobridge.Task;
import dev.corobridge.core.InFlight;
import dev.corobridge.core.OffLoopThreads;
import dev.corobridge.core.TaskLauncher;
import dev.corobridge.stream.AsyncStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP server whose handlers are tasks, over the JDK's built-in server ({@code
 * com.sun.net.httpserver}): each request is handled by a task of the task that started the server,
 * on its event loop, so a handler awaits like any body without holding a thread. aiohttp's {@code
 * web.Application} with its runner, or a FastAPI app.
 *
 * <p><b>Routes</b> match the method and the path; a segment {@code {name}} matches any one segment
 * and is the request's {@link ServerRequest#pathParameter(String) path parameter}. No route for the
 * path: 404; a route for the path but not the method: 405 with an {@code Allow} header.
 *
 * <p><b>Threads and cores.</b> Handlers run on one event loop, that of the task that started the
 * server, taking turns at their awaits; parsing requests (on JDK 21+, a virtual thread each),
 * reading request bodies and writing responses run on I/O threads, off the loop. CPU-heavy handler
 * work belongs in {@code Async.compute}. For more loops, start one server per loop on different
 * ports, or behind a balancer: one loop keeps handlers free of data races, as in aiohttp (see
 * {@code docs/adr/0015}).
 *
 * <p><b>Failures and limits.</b> A handler's exception is logged and answered with 500; the server
 * goes on. A handler that outlasts the {@link Builder#requestTimeout(Duration) request timeout} is
 * cancelled (its {@code finally} blocks run) and answered with 503.
 *
 * <p><b>Lifecycle.</b> {@link Builder#start(int)} binds and serves at once ({@code 0} picks a free
 * port: see {@link #port()}). {@link #shutdown(Duration)} stops taking requests (one that arrives
 * meanwhile is answered 503 and its connection closed), lets the requests in flight finish until
 * the grace period ends, cancels the rest and waits for their cleanup, then closes the listener;
 * closing the server (try-with-resources) shuts it down with the builder's grace period. Shut the
 * server down before the task that started it ends: its requests are that task's children, and one
 * arriving after it ended is answered with 503.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     try (var server = WebServer.builder()
 *             .get("/users/{id}", request -> {
 *                 var user = Async.launch(() -> users.find(request.pathParameter("id")));
 *                 var orders = Async.launch(() -> orderService.get("/orders?user=" + request.pathParameter("id")));
 *                 return ServerResponse.json(render(user.await(), orders.await()));
 *             })
 *             .requestTimeout(Duration.ofSeconds(5))
 *             .start(8080)) {
 *         stopSignal.whenSet().await();
 *     }   // graceful shutdown
 * });
 * }</pre>
 */
public final class WebServer implements AsyncCloseable<RuntimeException> {
    private static final System.Logger LOG = System.getLogger(WebServer.class.getName());

    static {
        // Without TCP_NODELAY, JDK 17's server answers each keep-alive request about 40 ms late
        // (Nagle's algorithm against the client's delayed ACK; measured under wrk: 1.4k requests/s,
        // 14.7k with it). The JDK reads the property once, as its first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final List<Route> routes;
    private final @Nullable Duration requestTimeout;
    private final Duration grace;
    private final TaskLauncher launcher = TaskLauncher.ofCurrentTask();

    /**
     * The threads off the loop: responses are written in them (and the exchanges no handler
     * answered); with virtual threads, the JDK server also parses each request in one.
     */
    private final OffLoopThreads offLoop = OffLoopThreads.named("corobridge-web");

    private final InFlight inFlight = new InFlight();
    private volatile boolean shuttingDown;
    private @Nullable Task<@Nullable Void> shutdown;

    private WebServer(Builder builder, HttpServer server) {
        this.server = server;
        this.routes = List.copyOf(builder.routes);
        this.requestTimeout = builder.requestTimeout;
        this.grace = builder.grace;
        server.createContext("/", this::accept);
        // With virtual threads, each request is parsed in one of its own. A platform thread per
        // request cost more than it gave (measured under wrk): the server's one dispatcher thread
        // parses them then.
        server.setExecutor(offLoop.isVirtual() ? offLoop : null);
    }

    /** A builder of a server. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on: the one it was started with, or the one 0 picked. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/} of the server. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + address.getPort() + "/");
    }

    /**
     * Shuts the server down gracefully: stops taking requests (answering 503), waits for the
     * requests in flight until {@code grace} has passed, cancels those still running and waits for
     * their cleanup, then closes the listener. Called again, returns the same task.
     *
     * <pre>{@code
     * server.shutdown(Duration.ofSeconds(10)).await();
     * }</pre>
     */
    public synchronized Task<@Nullable Void> shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative())
            throw new IllegalArgumentException("grace must be >= 0, was " + grace);
        Task<@Nullable Void> started = shutdown;
        if (started != null) return started;
        shuttingDown = true;
        started =
                Async.launch(
                        () -> {
                            IoTasks.task(inFlight.drain(grace.toNanos())).await();
                            // Every exchange has ended: stop(0) closes the listener and the idle
                            // connections at once (JDK 17's stop(n) would wait all n seconds).
                            Async.toThread(() -> server.stop(0)).await();
                            offLoop.shutdown();
                        });
        shutdown = started;
        return started;
    }

    /** {@link #shutdown(Duration)} with the builder's grace period. */
    @Override
    public CompletionStage<?> closeAsync() {
        return shutdown(grace);
    }

    // --- serving

    private void accept(HttpExchange exchange) {
        if (shuttingDown) {
            exchange.getResponseHeaders().set("Connection", "close");
            answerOffLoop(exchange, 503, "the server is shutting down");
            return;
        }
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        Route.Match match = null;
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            Map<String, String> parameters = route.match(path);
            if (parameters == null) continue;
            if (route.method().equals(method)) {
                match = new Route.Match(route, parameters);
                break;
            }
            allowed.add(route.method());
        }
        if (match == null) {
            if (allowed.isEmpty()) {
                answerOffLoop(exchange, 404, "no route for " + path);
            } else {
                exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
                answerOffLoop(exchange, 405, method + " is not allowed on " + path);
            }
            return;
        }
        var reply = new Reply(exchange);
        Route.Match routed = match;
        Task<@Nullable Void> task =
                IoTasks.task(
                        launcher.launch(
                                method + " " + path,
                                () -> {
                                    serve(
                                            routed,
                                            new ServerRequest(exchange, routed.parameters()),
                                            reply);
                                    return null;
                                }));
        inFlight.track(task);
        task.whenComplete(
                (done, failure) -> {
                    if (!reply.started.get()) {
                        // The task never ran its body: its owner had ended, or it was cancelled.
                        offLoop.execute(() -> reply.error(503, "the request was cancelled"));
                    }
                });
    }

    /** The handler's task body: handle, then write the response. */
    private void serve(Route.Match match, ServerRequest request, Reply reply) throws Exception {
        reply.started.set(true);
        ServerResponse response;
        try {
            Duration limit = requestTimeout;
            response =
                    limit == null
                            ? match.route().handler().handle(request)
                            : Async.timeout(limit, () -> match.route().handler().handle(request))
                                    .await();
        } catch (TimeoutException e) {
            response = ServerResponse.text(503, "the request took longer than " + requestTimeout);
        } catch (CancellationException e) {
            Async.toThread(() -> reply.error(503, "the request was cancelled")).join();
            throw e;
        } catch (Exception e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    request.method() + " " + request.path() + " failed",
                    e);
            response = ServerResponse.text(500, "Internal Server Error");
        }
        reply.send(response);
    }

    private void answerOffLoop(HttpExchange exchange, int status, String text) {
        var reply = new Reply(exchange);
        reply.started.set(true);
        offLoop.execute(() -> reply.error(status, text));
    }

    /** One exchange's response, sent once: by its handler's task, or as an error. */
    private final class Reply {
        private final HttpExchange exchange;
        final AtomicBoolean started = new AtomicBoolean();
        private final AtomicBoolean headersSent = new AtomicBoolean();

        Reply(HttpExchange exchange) {
            this.exchange = exchange;
        }

        /** Sends [response]: its headers and body on an I/O thread, a stream chunk by chunk. */
        void send(ServerResponse response) throws Exception {
            response.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = response.body();
            AsyncStream<byte[]> chunks = response.chunks();
            if (body != null) {
                // Written off the loop, and not awaited: the handler's task is done, and the write
                // counts as in flight until it has ended.
                inFlight.track(
                        CompletableFuture.runAsync(
                                () -> {
                                    try {
                                        writeWhole(response.status(), body);
                                    } catch (IOException e) {
                                        LOG.log(
                                                System.Logger.Level.DEBUG,
                                                "the client of "
                                                        + exchange.getRequestMethod()
                                                        + " "
                                                        + exchange.getRequestURI()
                                                        + " went away before its response",
                                                e);
                                    }
                                },
                                offLoop));
                return;
            }
            Objects.requireNonNull(chunks, "a response has a body or a stream");
            Async.toThread(() -> sendHeaders(response.status(), 0)).await();
            try {
                for (byte[] chunk : chunks) {
                    Async.toThread(
                                    () -> {
                                        OutputStream out = exchange.getResponseBody();
                                        out.write(chunk);
                                        out.flush();
                                    })
                            .await();
                }
            } finally {
                Async.toThread(exchange::close).join();
            }
        }

        /** An error answer, if nothing was sent yet; the exchange is closed either way. */
        void error(int status, String text) {
            try {
                if (!headersSent.get()) {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                    writeWhole(status, text.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The client went away: nobody to tell.
            } finally {
                exchange.close();
            }
        }

        private void writeWhole(int status, byte[] body) throws IOException {
            try {
                sendHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) exchange.getResponseBody().write(body);
            } finally {
                exchange.close();
            }
        }

        private void sendHeaders(int status, long length) throws IOException {
            if (!headersSent.compareAndSet(false, true)) {
                throw new IllegalStateException("the response was sent already");
            }
            exchange.sendResponseHeaders(status, length);
        }
    }

    /** A method and a path pattern, whose {@code {name}} segments match any one segment. */
    private record Route(String method, List<String> segments, RequestHandler handler) {
        record Match(Route route, Map<String, String> parameters) {}

        static Route of(String method, String pattern, RequestHandler handler) {
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException(
                        "a route's path starts with '/', was '" + pattern + "'");
            }
            return new Route(method, split(pattern), handler);
        }

        /** The path parameters if [path] matches, else null. */
        @Nullable Map<String, String> match(String path) {
            List<String> parts = split(path);
            if (parts.size() != segments.size()) return null;
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            for (int i = 0; i < parts.size(); i++) {
                String segment = segments.get(i);
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    parameters.put(segment.substring(1, segment.length() - 1), parts.get(i));
                } else if (!segment.equals(parts.get(i))) {
                    return null;
                }
            }
            return parameters;
        }

        private static List<String> split(String path) {
            List<String> parts = new ArrayList<>();
            for (String part : path.split("/")) if (!part.isEmpty()) parts.add(part);
            return parts;
        }
    }

    /**
     * Builds a {@link WebServer}: its routes, limits and address.
     *
     * <pre>{@code
     * var server = WebServer.builder()
     *         .get("/health", request -> ServerResponse.text("ok"))
     *         .post("/items", request -> ServerResponse.json(201, save(request.text().await())))
     *         .start(0);
     * }</pre>
     */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private @Nullable Duration requestTimeout;
        private Duration grace = Duration.ofSeconds(5);
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int backlog = 128;

        private Builder() {}

        /**
         * Routes {@code method} requests whose path matches {@code path} to {@code handler}; the
         * first matching route wins.
         *
         * @throws IllegalArgumentException if {@code path} does not start with {@code /}
         */
        public Builder route(String method, String path, RequestHandler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(handler, "handler");
            if (method.isBlank() || !method.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new IllegalArgumentException("not an HTTP method: '" + method + "'");
            }
            routes.add(Route.of(method.toUpperCase(Locale.ROOT), path, handler));
            return this;
        }

        /** {@link #route} for GET. */
        public Builder get(String path, RequestHandler handler) {
            return route("GET", path, handler);
        }

        /** {@link #route} for POST. */
        public Builder post(String path, RequestHandler handler) {
            return route("POST", path, handler);
        }

        /** {@link #route} for PUT. */
        public Builder put(String path, RequestHandler handler) {
            return route("PUT", path, handler);
        }

        /** {@link #route} for DELETE. */
        public Builder delete(String path, RequestHandler handler) {
            return route("DELETE", path, handler);
        }

        /** How long a handler may take before it is cancelled and the request answered 503. */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(
                        "requestTimeout must be positive, was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** How long {@link WebServer#close()} lets requests in flight finish: 5 s by default. */
        public Builder shutdownGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative())
                throw new IllegalArgumentException("grace must be >= 0, was " + grace);
            this.grace = grace;
            return this;
        }

        /** The address to listen on: loopback by default; {@code 0.0.0.0} for every interface. */
        public Builder address(String address) throws IOException {
            Objects.requireNonNull(address, "address");
            this.address = InetAddress.getByName(address);
            return this;
        }

        /** The listener's backlog of connections not yet accepted: 128 by default. */
        public Builder backlog(int backlog) {
            if (backlog < 1)
                throw new IllegalArgumentException("backlog must be >= 1, was " + backlog);
            this.backlog = backlog;
            return this;
        }

        /**
         * Binds {@code port} ({@code 0}: a free one) and starts serving; requests are handled by
         * tasks of the calling task (outside any task: on the background dispatcher).
         *
         * @throws IOException if the port cannot be bound (in use, not permitted)
         * @throws IllegalStateException if no route was given
         */
        public WebServer start(int port) throws IOException {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("a port is 0 to 65535, was " + port);
            }
            if (routes.isEmpty()) {
                throw new IllegalStateException(
                        "a server needs at least one route: add one with get(path, handler)");
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(address, port), backlog);
            } catch (java.net.BindException e) {
                var named =
                        new java.net.BindException(
                                "cannot listen on "
                                        + address.getHostAddress()
                                        + ":"
                                        + port
                                        + ": "
                                        + e.getMessage()
                                        + " (is another server using it? 0 picks a free port)");
                named.initCause(e);
                throw named;
            }
            var web = new WebServer(this, server);
            server.start();
            return web;
        }
    }
}
