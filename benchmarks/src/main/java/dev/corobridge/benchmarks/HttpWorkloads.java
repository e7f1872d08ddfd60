package dev.corobridge.benchmarks;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.ClientSession;
import dev.corobridge.io.ServerResponse;
import dev.corobridge.io.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP rows of the side-by-side harness ({@link HttpSideBySide}): {@code requests} GETs of
 * {@code url}, at most {@code inFlight} at once, each returning the sum of the body lengths (so no
 * body goes unread); and the servers that {@code wrk} loads.
 */
public final class HttpWorkloads {
    private HttpWorkloads() {}

    /** Who makes the GETs. */
    public enum Client {
        COROBRIDGE("corobridge (Java bodies)"),
        COROBRIDGE_FUTURES("corobridge (future style)"),
        SEND_ASYNC("raw HttpClient.sendAsync + Semaphore"),
        SEND_ASYNC_VIRTUAL("raw sendAsync + Semaphore, virtual-thread executor"),
        VIRTUAL_THREADS("HttpClient.send on virtual threads"),
        AIOHTTP("aiohttp");

        final String label;

        Client(String label) {
            this.label = label;
        }
    }

    /** Who serves {@code GET /hello} for {@code wrk}. */
    public enum Server {
        COROBRIDGE("corobridge WebServer"),
        JDK_VIRTUAL_THREADS("JDK HttpServer, virtual-thread executor"),
        AIOHTTP("aiohttp web");

        final String label;

        Server(String label) {
            this.label = label;
        }
    }

    static long run(Client client, URI url, int requests, int inFlight) throws Exception {
        return switch (client) {
            case COROBRIDGE -> corobridgeBodies(url, requests, inFlight);
            case COROBRIDGE_FUTURES -> corobridgeFutures(url, requests, inFlight);
            case SEND_ASYNC -> sendAsync(rawClient(false), url, requests, inFlight);
            case SEND_ASYNC_VIRTUAL -> sendAsync(rawClient(true), url, requests, inFlight);
            case VIRTUAL_THREADS -> virtualThreads(url, requests, inFlight);
            case AIOHTTP -> throw new IllegalArgumentException("aiohttp runs in python3");
        };
    }

    /** A body per GET: {@code session.get(url).await()}, then {@code bytes().await()}. */
    static long corobridgeBodies(URI url, int requests, int inFlight) throws Exception {
        return Async.run(
                () -> {
                    try (var session = session(inFlight)) {
                        List<Task<Integer>> gets = new ArrayList<>(requests);
                        for (int i = 0; i < requests; i++) {
                            gets.add(
                                    Async.launch(
                                            () ->
                                                    session.get(url.toString())
                                                            .await()
                                                            .bytes()
                                                            .await()
                                                            .length));
                        }
                        long sum = 0;
                        for (int length : Async.gather(gets).await()) sum += length;
                        return sum;
                    }
                });
    }

    /** No bodies: each GET's task composed with its {@code bytes()} task. */
    static long corobridgeFutures(URI url, int requests, int inFlight) throws Exception {
        return Async.run(
                () -> {
                    try (var session = session(inFlight)) {
                        List<CompletableFuture<Integer>> gets = new ArrayList<>(requests);
                        for (int i = 0; i < requests; i++) {
                            gets.add(
                                    session.get(url.toString())
                                            .thenCompose(response -> response.bytes())
                                            .thenApply(bytes -> bytes.length));
                        }
                        long sum = 0;
                        for (int length : Async.gather(gets).await()) sum += length;
                        return sum;
                    }
                });
    }

    private static ClientSession session(int inFlight) {
        return ClientSession.builder().limit(inFlight).build();
    }

    /**
     * The JDK's client as it comes (its own pool of platform threads), or on a virtual thread per
     * task of its executor: what corobridge's session runs it on where the JDK has them.
     */
    private static HttpClient rawClient(boolean virtualThreads) {
        var builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (virtualThreads) {
            var threads = VirtualThreads.require();
            builder.executor(work -> threads.newThread(work).start());
        }
        return builder.build();
    }

    /** The JDK client alone: a semaphore's permit per GET, released when its body is read. */
    static long sendAsync(HttpClient client, URI url, int requests, int inFlight) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url).build();
        var permits = new Semaphore(inFlight);
        var sum = new AtomicLong();
        List<CompletableFuture<?>> gets = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            permits.acquire();
            gets.add(
                    client.sendAsync(request, BodyHandlers.ofByteArray())
                            .whenComplete(
                                    (response, failure) -> {
                                        permits.release();
                                        if (response != null) sum.addAndGet(response.body().length);
                                    }));
        }
        CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).join();
        return sum.get();
    }

    /** A virtual thread per GET, blocking in {@code send}, at most {@code inFlight} at once. */
    static long virtualThreads(URI url, int requests, int inFlight) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(url).build();
        return VirtualThreads.sumBounded(
                requests,
                inFlight,
                i -> client.send(request, BodyHandlers.ofByteArray()).body().length);
    }

    /** The corobridge server of the {@code wrk} row, started by the calling task. */
    static WebServer corobridgeServer(int port) throws Exception {
        return WebServer.builder()
                .get("/hello", request -> ServerResponse.text("hello from corobridge\n"))
                .start(port);
    }
}
