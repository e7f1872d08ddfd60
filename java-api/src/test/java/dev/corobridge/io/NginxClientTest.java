package dev.corobridge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.testing.Nginx;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client session against nginx on loopback, a server independent of the JDK: what nginx counts
 * (connections open, concurrent requests, how far each response got) is the evidence. Skipped
 * without nginx, except under {@code .ci/run}, which installs it.
 */
@Timeout(60)
class NginxClientTest {
    private static final int LARGE = 4 << 20;
    private static final int SLOW = 64 << 10;

    private Nginx nginx;

    @BeforeEach
    void startNginx() throws Exception {
        nginx =
                Nginx.startOrSkip(
                        """
                        location = /hello { return 200 "hello from nginx\\n"; }
                        location = /missing { return 404 "no such page\\n"; }
                        location /files/ { root data; }
                        location /slow/ { root data; limit_rate 128k; limit_rate_after 0; }
                        location /capped/ {
                            root data; limit_rate 256k; limit_rate_after 0;
                            limit_conn perclient 4; limit_conn_status 503;
                        }
                        """,
                        false,
                        "limit_conn_zone $binary_remote_addr zone=perclient:1m;");
        Path data = Files.createDirectories(nginx.getDir().resolve("data"));
        for (String dir : List.of("files", "slow", "capped")) {
            Files.createDirectories(data.resolve(dir));
        }
        byte[] large = new byte[LARGE];
        new Random(1).nextBytes(large);
        Files.write(data.resolve("files/large.bin"), large);
        Files.write(data.resolve("slow/large.bin"), large);
        Files.write(data.resolve("capped/small.bin"), new byte[SLOW]);
    }

    @AfterEach
    void stopNginx() {
        if (nginx != null) nginx.close();
    }

    @Test
    void textAndStatusFailuresComeFromNginx() throws Exception {
        HttpStatusException rejected =
                Async.run(
                        () -> {
                            try (var session = ClientSession.builder().successOnly(true).build()) {
                                assertEquals(
                                        "hello from nginx\n",
                                        session.get(uri("/hello")).await().text().await());
                                return assertThrows(
                                        HttpStatusException.class,
                                        () -> session.get(uri("/missing")).await());
                            }
                        });
        assertEquals(404, rejected.status());
        assertEquals("no such page\n", rejected.bodyExcerpt());
    }

    @Test
    void aLargeBodyStreamsInChunksToTheEnd() throws Exception {
        int[] chunksAndBytes =
                Async.run(
                        () -> {
                            try (var session = ClientSession.create();
                                    var response = session.get(uri("/files/large.bin")).await()) {
                                int chunks = 0;
                                int bytes = 0;
                                for (byte[] chunk : response.chunks()) {
                                    chunks++;
                                    bytes += chunk.length;
                                }
                                return new int[] {chunks, bytes};
                            }
                        });
        assertEquals(LARGE, chunksAndBytes[1]);
        assertTrue(chunksAndBytes[0] > 1, "one chunk of " + LARGE + " bytes: held whole");
        assertEquals(List.of("GET /files/large.bin 200 OK"), requestsLogged());
    }

    @Test
    void theSessionLimitHoldsAsNginxCountsIt() throws Exception {
        // nginx answers 503 to a fifth request from this client while four are being served.
        assertEquals(0, cappedFetches(4), "503s from nginx: more than 4 requests at once");
        // The same fetches with room for eight: nginx does refuse some (the check can fail).
        assertNotEquals(0, cappedFetches(8), "nginx never saw more than 4 at once");
    }

    /** 24 slow GETs under a session limit of {@code limit}; returns how many nginx refused. */
    private int cappedFetches(int limit) throws Exception {
        return Async.run(
                () -> {
                    try (var session = ClientSession.builder().limit(limit).build()) {
                        List<Task<Integer>> fetches = new ArrayList<>();
                        for (int i = 0; i < 24; i++) {
                            fetches.add(
                                    Async.launch(
                                            () -> {
                                                try (var response =
                                                        session.get(uri("/capped/small.bin"))
                                                                .await()) {
                                                    response.bytes().await();
                                                    return response.status();
                                                }
                                            }));
                        }
                        int refused = 0;
                        for (int status : Async.gather(fetches).await()) {
                            if (status == 503) refused++;
                            else assertEquals(200, status);
                        }
                        return refused;
                    }
                });
    }

    @Test
    void cancellingMidBodyDropsTheConnectionAsNginxSeesIt() throws Exception {
        Async.run(
                () -> {
                    try (var session = ClientSession.create()) {
                        var response = session.get(uri("/slow/large.bin")).await();
                        Task<byte[]> body = response.bytes();
                        Async.sleep(Duration.ofMillis(300)).await();
                        body.cancel(true);
                        assertInstanceOf(
                                CancellationException.class,
                                assertThrows(Exception.class, body::await));
                        return null;
                    }
                });
        // nginx logs a response when it ends: cut short, it is not marked complete.
        eventually(() -> !requestsLogged().isEmpty(), "nginx never logged the request");
        String[] fields = nginx.accessLog().get(0).split(" ", -1);
        assertEquals("/slow/large.bin", fields[1]);
        assertTrue(Long.parseLong(fields[3]) < LARGE, "nginx sent it all: " + fields[3]);
        assertEquals("", fields[4], "nginx saw the response to its end: " + List.of(fields));
        eventually(() -> nginx.activeConnections() == 0, "a connection stayed open");
    }

    @Test
    void cancellingBeforeTheHeadersDropsTheRequestAsNginxSeesIt() throws Exception {
        // nginx passes the request to a server that never answers; the client gives up waiting.
        try (var silent = new LocalServers.Raw("");
                var proxy =
                        Nginx.startOrSkip(
                                "location /stalled { proxy_pass "
                                        + silent.base()
                                        + "; proxy_read_timeout 60s; }",
                                false,
                                "")) {
            Async.run(
                    () -> {
                        try (var session = ClientSession.create()) {
                            Task<ClientResponse> response =
                                    session.get(proxy.uri("/stalled").toString());
                            Async.toThread(() -> silent.requestSeen.await(10, TimeUnit.SECONDS))
                                    .await();
                            response.cancel(true);
                            assertThrows(CancellationException.class, response::await);
                            return null;
                        }
                    });
            // 499: nginx's "client closed request"; it then drops the upstream request too.
            eventually(() -> !proxy.accessLog().isEmpty(), "nginx never logged the request");
            String[] fields = proxy.accessLog().get(0).split(" ", -1);
            assertEquals(List.of("GET", "/stalled", "499"), List.of(fields).subList(0, 3));
            assertTrue(
                    silent.clientClosed.await(10, TimeUnit.SECONDS),
                    "nginx kept the upstream request open");
            eventually(() -> proxy.activeConnections() == 0, "a connection stayed open");
        }
    }

    @Test
    void anUnreadResponseClosedEarlyLeavesNoConnectionHalfRead() throws Exception {
        String after =
                Async.run(
                        () -> {
                            try (var session = ClientSession.builder().limit(1).build()) {
                                session.get(uri("/slow/large.bin")).await().close();
                                // With one connection allowed, the next request must not queue
                                // behind the abandoned body.
                                return session.get(uri("/hello")).await().text().await();
                            }
                        });
        assertEquals("hello from nginx\n", after);
        eventually(() -> requestsLogged().size() == 2, "nginx logged " + requestsLogged());
        assertTrue(requestsLogged().contains("GET /slow/large.bin 200 "), "" + requestsLogged());
    }

    @Test
    void closingTheSessionLeavesNoConnectionAndNoThreadBehind() throws Exception {
        Async.run(
                () -> {
                    try (var session = ClientSession.create()) {
                        List<Task<String>> pages = new ArrayList<>();
                        for (int i = 0; i < 16; i++) {
                            pages.add(
                                    Async.launch(
                                            () ->
                                                    session.get(uri("/hello"))
                                                            .await()
                                                            .text()
                                                            .await()));
                        }
                        Async.gather(pages).await();
                        assertTrue(nginx.activeConnections() > 0, "no connection was kept alive");
                        return null;
                    }
                });
        // JDK 21+ shuts the client down at close; JDK 17's client stops once it is collected.
        eventually(
                () -> {
                    System.gc();
                    return nginx.activeConnections() == 0;
                },
                "connections stayed open after the session closed");
        eventually(() -> httpThreads().isEmpty(), "threads left: " + httpThreads());
    }

    @Test
    void http2StreamLimitIsNeverAFailure() throws Exception {
        try (var tls =
                Nginx.startOrSkip(
                        """
                        http2_max_concurrent_streams 4;
                        location /slow/ { root data; limit_rate 256k; limit_rate_after 0; }
                        """,
                        true,
                        "")) {
            Path slow = Files.createDirectories(tls.getDir().resolve("data/slow"));
            Files.write(slow.resolve("small.bin"), new byte[SLOW]);
            String page = tls.uri("/slow/small.bin").toString();
            List<Integer> lengths =
                    Async.run(
                            () -> {
                                try (var session =
                                        ClientSession.builder()
                                                .version(HttpClient.Version.HTTP_2)
                                                .sslContext(tls.sslContext())
                                                .build()) {
                                    List<Task<Integer>> pages = new ArrayList<>();
                                    for (int i = 0; i < 24; i++) {
                                        pages.add(
                                                Async.launch(
                                                        () -> {
                                                            var response =
                                                                    session.get(page).await();
                                                            assertEquals(
                                                                    HttpClient.Version.HTTP_2,
                                                                    response.version());
                                                            return response.bytes().await().length;
                                                        }));
                                    }
                                    return Async.gather(pages).await();
                                }
                            });
            assertEquals(Collections.nCopies(24, SLOW), lengths);
        }
    }

    private String uri(String path) {
        return nginx.uri(path).toString();
    }

    /** The access log as "method uri status completion" lines. */
    private List<String> requestsLogged() {
        List<String> requests = new ArrayList<>();
        for (String line : nginx.accessLog()) {
            String[] fields = line.split(" ", -1);
            requests.add(fields[0] + " " + fields[1] + " " + fields[2] + " " + fields[4]);
        }
        return requests;
    }

    private static List<String> httpThreads() {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("corobridge-http") || name.startsWith("HttpClient-")) {
                names.add(name);
            }
        }
        return names;
    }

    private static void eventually(BooleanSupplier condition, String failure) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(failure);
            Thread.sleep(50);
        }
    }
}
