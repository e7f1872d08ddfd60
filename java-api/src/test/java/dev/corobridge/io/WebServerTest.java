package dev.corobridge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.stream.AsyncStream;
import dev.corobridge.testing.Report;
import dev.corobridge.testing.Reports;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server whose handlers are tasks, exercised by the client session over loopback. */
@Timeout(30)
class WebServerTest {

    @Test
    void routesMatchMethodAndPathAndPassTheirParameters() throws Exception {
        List<String> answers =
                Async.run(
                        () -> {
                            try (var server =
                                            WebServer.builder()
                                                    .get(
                                                            "/items/{id}",
                                                            request ->
                                                                    ServerResponse.text(
                                                                            "item "
                                                                                    + request
                                                                                            .pathParameter(
                                                                                                    "id")
                                                                                    + " "
                                                                                    + request
                                                                                            .queryParameter(
                                                                                                    "verbose")))
                                                    .post(
                                                            "/items",
                                                            request ->
                                                                    ServerResponse.json(
                                                                            201,
                                                                            "{\"saved\": \""
                                                                                    + request.text()
                                                                                            .await()
                                                                                    + "\"}"))
                                                    .start(0);
                                    var session =
                                            ClientSession.builder()
                                                    .baseUri(server.uri().toString())
                                                    .build()) {
                                List<String> seen = new ArrayList<>();
                                for (Task<ClientResponse> call :
                                        List.of(
                                                session.get("/items/42?verbose=y%20es"),
                                                session.post("/items", "pen"),
                                                session.get("/nothing/here"),
                                                session.delete("/items/42"))) {
                                    try (var response = call.await()) {
                                        seen.add(
                                                response.status()
                                                        + " "
                                                        + response.headers()
                                                                .firstValue("Allow")
                                                                .orElse("-")
                                                        + " "
                                                        + response.text().await());
                                    }
                                }
                                return seen;
                            }
                        });
        assertEquals(
                List.of(
                        "200 - item 42 y es",
                        "201 - {\"saved\": \"pen\"}",
                        "404 - no route for /nothing/here",
                        "405 GET DELETE is not allowed on /items/42"),
                answers);
    }

    @Test
    void handlersAwaitWithoutHoldingTheLoop() throws Exception {
        long started = System.nanoTime();
        List<String> answers =
                Async.run(
                        () -> {
                            try (var server =
                                            WebServer.builder()
                                                    .get(
                                                            "/slow",
                                                            request -> {
                                                                Async.sleep(Duration.ofMillis(500))
                                                                        .await();
                                                                return ServerResponse.text("slept");
                                                            })
                                                    .start(0);
                                    var session = ClientSession.create()) {
                                List<Task<String>> calls = new ArrayList<>();
                                for (int i = 0; i < 10; i++) {
                                    calls.add(
                                            Async.launch(
                                                    () ->
                                                            session.get(server.uri() + "slow")
                                                                    .await()
                                                                    .text()
                                                                    .await()));
                                }
                                return Async.gather(calls).await();
                            }
                        });
        assertEquals(10, answers.size());
        // Ten handlers sleeping 0.5 s each, concurrently on one loop: far less than 5 s.
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 4_000);
    }

    @Test
    void aFailingHandlerIsAnswered500AndTheServerGoesOn(Reports reports) throws Exception {
        List<String> answers =
                Async.run(
                        () -> {
                            try (var server =
                                            WebServer.builder()
                                                    .get(
                                                            "/broken",
                                                            request -> {
                                                                throw new IllegalStateException(
                                                                        "bug in the handler");
                                                            })
                                                    .get(
                                                            "/fine",
                                                            request -> ServerResponse.text("fine"))
                                                    .start(0);
                                    var session = ClientSession.create()) {
                                List<String> seen = new ArrayList<>();
                                for (String path : List.of("broken", "fine", "broken", "fine")) {
                                    var response = session.get(server.uri() + path).await();
                                    seen.add(response.status() + " " + response.text().await());
                                }
                                return seen;
                            }
                        });
        assertEquals(
                List.of(
                        "500 Internal Server Error",
                        "200 fine",
                        "500 Internal Server Error",
                        "200 fine"),
                answers);
        List<Report> logged = reports.take();
        assertEquals(2, logged.size(), logged.toString());
        for (Report report : logged) {
            assertEquals("GET /broken failed", report.message());
            assertEquals("bug in the handler", report.exception().getMessage());
        }
    }

    @Test
    void theRequestTimeoutCancelsTheHandlerAndRunsItsCleanup() throws Exception {
        var cleanedUp = new AtomicBoolean();
        String answer =
                Async.run(
                        () -> {
                            try (var server =
                                            WebServer.builder()
                                                    .get(
                                                            "/stuck",
                                                            request -> {
                                                                try {
                                                                    Async.sleep(
                                                                                    Duration
                                                                                            .ofSeconds(
                                                                                                    20))
                                                                            .await();
                                                                    return ServerResponse.text(
                                                                            "never");
                                                                } finally {
                                                                    cleanedUp.set(true);
                                                                }
                                                            })
                                                    .requestTimeout(Duration.ofMillis(200))
                                                    .start(0);
                                    var session = ClientSession.create()) {
                                var response = session.get(server.uri() + "stuck").await();
                                return response.status() + " " + response.text().await();
                            }
                        });
        assertEquals("503 the request took longer than PT0.2S", answer);
        assertTrue(cleanedUp.get());
    }

    @Test
    void aStreamedResponseIsWrittenChunkByChunk() throws Exception {
        List<String> lines =
                Async.run(
                        () -> {
                            AsyncStream<byte[]> ticks =
                                    AsyncStream.generate(
                                            out -> {
                                                for (int i = 1; i <= 3; i++) {
                                                    Async.sleep(Duration.ofMillis(20)).await();
                                                    out.emit(
                                                            ("tick " + i + "\n")
                                                                    .getBytes(
                                                                            StandardCharsets
                                                                                    .UTF_8));
                                                }
                                            });
                            try (var server =
                                            WebServer.builder()
                                                    .get(
                                                            "/ticks",
                                                            request ->
                                                                    ServerResponse.stream(
                                                                            200,
                                                                            "text/plain; charset=utf-8",
                                                                            ticks))
                                                    .start(0);
                                    var session = ClientSession.create();
                                    var response = session.get(server.uri() + "ticks").await()) {
                                List<String> seen = new ArrayList<>();
                                for (String line : response.lines()) seen.add(line);
                                return seen;
                            }
                        });
        assertEquals(List.of("tick 1", "tick 2", "tick 3"), lines);
    }

    @Test
    void shutdownLetsRequestsFinishWithinTheGraceAndCancelsTheRest() throws Exception {
        var stuckCleanedUp = new AtomicBoolean();
        List<String> answers =
                Async.run(
                        () -> {
                            var server =
                                    WebServer.builder()
                                            .get(
                                                    "/quick",
                                                    request -> {
                                                        Async.sleep(Duration.ofMillis(100)).await();
                                                        return ServerResponse.text("finished");
                                                    })
                                            .get(
                                                    "/stuck",
                                                    request -> {
                                                        try {
                                                            Async.sleep(Duration.ofSeconds(20))
                                                                    .await();
                                                            return ServerResponse.text("never");
                                                        } finally {
                                                            stuckCleanedUp.set(true);
                                                        }
                                                    })
                                            .start(0);
                            try (var session = ClientSession.create()) {
                                var quick = session.get(server.uri() + "quick");
                                var stuck = session.get(server.uri() + "stuck");
                                Async.sleep(Duration.ofMillis(50))
                                        .await(); // both handlers are running
                                server.shutdown(Duration.ofMillis(500)).await();
                                List<String> seen = new ArrayList<>();
                                seen.add(quick.await().text().await());
                                var cancelled = stuck.await();
                                seen.add(cancelled.status() + " " + cancelled.text().await());
                                var refused =
                                        assertThrows(
                                                ConnectException.class,
                                                () -> session.get(server.uri() + "quick").await());
                                seen.add(refused.getClass().getSimpleName());
                                return seen;
                            }
                        });
        assertEquals(
                List.of("finished", "503 the request was cancelled", "ConnectException"), answers);
        assertTrue(stuckCleanedUp.get());
    }

    @Test
    void badInputFailsAtTheCall() throws Exception {
        var noSlash =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                WebServer.builder()
                                        .get("items", request -> ServerResponse.text("x")));
        assertTrue(noSlash.getMessage().contains("starts with '/'"), noSlash.getMessage());
        assertThrows(IllegalStateException.class, () -> WebServer.builder().start(0));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        WebServer.builder()
                                .get("/", request -> ServerResponse.text("x"))
                                .start(70_000));
        assertThrows(IllegalArgumentException.class, () -> ServerResponse.status(700));
        assertThrows(
                IllegalArgumentException.class,
                () -> ServerResponse.text("x").withHeader("bad name", "v"));
        assertThrows(NullPointerException.class, () -> ServerResponse.text(null));
        try (var taken =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var inUse =
                    assertThrows(
                            java.net.BindException.class,
                            () ->
                                    WebServer.builder()
                                            .get("/", request -> ServerResponse.text("x"))
                                            .start(taken.getLocalPort()));
            assertTrue(inUse.getMessage().contains("0 picks a free port"), inUse.getMessage());
        }
    }
}
