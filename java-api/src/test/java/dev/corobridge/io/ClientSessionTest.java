package dev.corobridge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP client session against real servers on loopback. */
@Timeout(30)
class ClientSessionTest {

    @Test
    void getReadsTheBodyAsText() throws Exception {
        try (var server =
                new LocalServers.Jdk().route("/hello", e -> LocalServers.reply(e, 200, "héllo"))) {
            String text =
                    Async.run(
                            () -> {
                                try (var session = ClientSession.create();
                                        var response =
                                                session.get(server.base() + "/hello").await()) {
                                    assertEquals(200, response.status());
                                    return response.text().await();
                                }
                            });
            assertEquals("héllo", text);
        }
    }

    @Test
    void relativeUrisResolveAgainstTheBaseAndDefaultHeadersAreSent() throws Exception {
        try (var server =
                new LocalServers.Jdk()
                        .route(
                                "/api/echo",
                                e ->
                                        LocalServers.reply(
                                                e,
                                                200,
                                                e.getRequestMethod()
                                                        + " "
                                                        + e.getRequestHeaders().getFirst("X-Client")
                                                        + " "
                                                        + LocalServers.readBody(e)))) {
            List<String> replies =
                    Async.run(
                            () -> {
                                try (var session =
                                        ClientSession.builder()
                                                .baseUri(server.base() + "/api/")
                                                .header("X-Client", "corobridge")
                                                .build()) {
                                    List<String> texts = new ArrayList<>();
                                    for (Task<ClientResponse> request :
                                            List.of(
                                                    session.get("echo"),
                                                    session.post("echo", "posted"),
                                                    session.put(
                                                            "echo", BodyPublishers.ofString("put")),
                                                    session.delete("echo"))) {
                                        texts.add(request.await().text().await());
                                    }
                                    return texts;
                                }
                            });
            assertEquals(
                    List.of(
                            "GET corobridge ",
                            "POST corobridge posted",
                            "PUT corobridge put",
                            "DELETE corobridge "),
                    replies);
        }
    }

    @Test
    void linesAndChunksStreamTheBody() throws Exception {
        try (var server =
                new LocalServers.Jdk()
                        .route("/lines", e -> LocalServers.reply(e, 200, "one\r\ntwo\nthree"))) {
            List<String> lines =
                    Async.run(
                            () -> {
                                try (var session = ClientSession.create()) {
                                    List<String> seen = new ArrayList<>();
                                    try (var response =
                                            session.get(server.base() + "/lines").await()) {
                                        for (String line : response.lines()) seen.add(line);
                                    }
                                    try (var response =
                                            session.get(server.base() + "/lines").await()) {
                                        var bytes = new StringBuilder();
                                        for (byte[] chunk : response.chunks())
                                            bytes.append(new String(chunk, response.charset()));
                                        seen.add(bytes.toString());
                                    }
                                    return seen;
                                }
                            });
            assertEquals(List.of("one", "two", "three", "one\r\ntwo\nthree"), lines);
        }
    }

    @Test
    void aBodyIsReadOnce() throws Exception {
        try (var server =
                new LocalServers.Jdk().route("/", e -> LocalServers.reply(e, 200, "once"))) {
            Async.run(
                    () -> {
                        try (var session = ClientSession.create();
                                var response = session.get(server.base() + "/").await()) {
                            assertEquals("once", response.text().await());
                            var again = assertThrows(IllegalStateException.class, response::bytes);
                            assertTrue(
                                    again.getMessage().contains("read already by text()"),
                                    again.getMessage());
                        }
                    });
        }
    }

    @Test
    void successOnlyFailsAnErrorStatusWithTheStartOfItsBody() throws Exception {
        try (var server =
                new LocalServers.Jdk()
                        .route("/missing", e -> LocalServers.reply(e, 404, "no such page"))) {
            var failure =
                    assertThrows(
                            HttpStatusException.class,
                            () ->
                                    Async.run(
                                            () -> {
                                                try (var session =
                                                        ClientSession.builder()
                                                                .successOnly(true)
                                                                .build()) {
                                                    return session.get(server.base() + "/missing")
                                                            .await();
                                                }
                                            }));
            assertEquals(404, failure.status());
            assertEquals("no such page", failure.bodyExcerpt());
            assertEquals("GET", failure.method());
            assertTrue(failure.getMessage().contains("/missing: status 404"), failure.getMessage());
        }
    }

    @Test
    void badUrisThrowAtTheCall() {
        var session = ClientSession.create();
        var invalid =
                assertThrows(IllegalArgumentException.class, () -> session.get("http://bad host/"));
        assertTrue(invalid.getMessage().contains("not a valid URI"), invalid.getMessage());
        var relative = assertThrows(IllegalArgumentException.class, () -> session.get("/no/base"));
        assertTrue(relative.getMessage().contains("baseUri"), relative.getMessage());
        var scheme =
                assertThrows(
                        IllegalArgumentException.class, () -> session.get("ftp://127.0.0.1/x"));
        assertTrue(scheme.getMessage().contains("http and https"), scheme.getMessage());
        assertThrows(NullPointerException.class, () -> session.get(null));
        assertThrows(IllegalArgumentException.class, () -> ClientSession.builder().limit(-1));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClientSession.builder().requestTimeout(Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClientSession.builder().baseUri("relative/path"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ClientSession.builder().header("bad name", "x"));
        session.close();
        var closed =
                assertThrows(IllegalStateException.class, () -> session.get("http://127.0.0.1/"));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void aRefusedConnectionNamesTheRequest() throws Exception {
        int port;
        try (var unused = new ServerSocket(0)) {
            port = unused.getLocalPort(); // free once closed: nothing listens there
        }
        String uri = "http://127.0.0.1:" + port + "/";
        var failure =
                assertThrows(
                        ConnectException.class,
                        () ->
                                Async.run(
                                        () -> {
                                            try (var session = ClientSession.create()) {
                                                return session.get(uri).await();
                                            }
                                        }));
        assertTrue(
                failure.getMessage().contains("GET " + uri + ": connection refused"),
                failure.getMessage());
    }

    @Test
    void anUnknownHostNamesTheRequest() {
        String uri = "http://no-such-host.invalid/page"; // .invalid never resolves (RFC 2606)
        var failure =
                assertThrows(
                        UnknownHostException.class,
                        () ->
                                Async.run(
                                        () -> {
                                            try (var session = ClientSession.create()) {
                                                return session.get(uri).await();
                                            }
                                        }));
        assertTrue(
                failure.getMessage()
                        .contains("GET " + uri + ": unknown host 'no-such-host.invalid'"),
                failure.getMessage());
    }

    @Test
    void theRequestTimeoutBoundsTheWaitForHeaders() throws Exception {
        try (var server = new LocalServers.Raw("")) {
            var failure =
                    assertThrows(
                            HttpTimeoutException.class,
                            () ->
                                    Async.run(
                                            () -> {
                                                try (var session =
                                                        ClientSession.builder()
                                                                .requestTimeout(
                                                                        Duration.ofMillis(200))
                                                                .build()) {
                                                    try {
                                                        return session.get(server.base() + "/slow")
                                                                .await();
                                                    } finally {
                                                        assertTrue(
                                                                closedByClient(server).await(),
                                                                "the server saw the connection go");
                                                    }
                                                }
                                            }));
            assertTrue(
                    failure.getMessage().contains("(the request timeout)"), failure.getMessage());
        }
    }

    @Test
    void theTotalTimeoutBoundsReadingTheBody() throws Exception {
        String headersOnly = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nstart";
        try (var server = new LocalServers.Raw(headersOnly)) {
            var failure =
                    assertThrows(
                            HttpTimeoutException.class,
                            () ->
                                    Async.run(
                                            () -> {
                                                try (var session =
                                                        ClientSession.builder()
                                                                .totalTimeout(
                                                                        Duration.ofMillis(300))
                                                                .build()) {
                                                    var response =
                                                            session.get(server.base() + "/")
                                                                    .await();
                                                    try {
                                                        return response.text().await();
                                                    } finally {
                                                        assertTrue(
                                                                closedByClient(server).await(),
                                                                "the server saw the connection go");
                                                    }
                                                }
                                            }));
            assertTrue(failure.getMessage().contains("total timeout"), failure.getMessage());
        }
    }

    @Test
    void cancellingARequestAbortsTheExchange() throws Exception {
        try (var server = new LocalServers.Raw("")) {
            Async.run(
                    () -> {
                        try (var session = ClientSession.create()) {
                            var request = session.get(server.base() + "/never");
                            Async.toThread(() -> server.requestSeen.await(10, TimeUnit.SECONDS))
                                    .await();
                            request.cancel(true);
                            assertThrows(CancellationException.class, request::await);
                            // Before the session closes, which closes every connection.
                            assertTrue(
                                    closedByClient(server).await(),
                                    "the server saw the connection go");
                        }
                    });
        }
    }

    @Test
    void stoppingABodyStreamEarlyAbortsTheRest() throws Exception {
        String partial =
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                        + "6\r\nfirst\n\r\n";
        try (var server = new LocalServers.Raw(partial)) {
            String first =
                    Async.run(
                            () -> {
                                try (var session = ClientSession.create();
                                        var response =
                                                session.get(server.base() + "/stream").await()) {
                                    String line = "none";
                                    try (var lines = response.lines().iterator()) {
                                        if (lines.hasNext()) line = lines.next();
                                    } // stops the stream: the rest never comes
                                    assertTrue(
                                            closedByClient(server).await(),
                                            "the server saw the connection go");
                                    return line;
                                }
                            });
            assertEquals("first", first);
        }
    }

    @Test
    void theLimitPerHostIsNeverExceeded() throws Exception {
        var inFlight = new AtomicInteger();
        var most = new AtomicInteger();
        try (var server =
                new LocalServers.Jdk()
                        .route(
                                "/work",
                                e -> {
                                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                                    try {
                                        Thread.sleep(30);
                                    } catch (InterruptedException interrupted) {
                                        Thread.currentThread().interrupt();
                                    }
                                    inFlight.decrementAndGet();
                                    LocalServers.reply(e, 200, "done");
                                })) {
            List<String> texts =
                    Async.run(
                            () -> {
                                try (var session =
                                        ClientSession.builder().limitPerHost(3).build()) {
                                    List<Task<String>> fetches = new ArrayList<>();
                                    for (int i = 0; i < 20; i++) {
                                        fetches.add(
                                                Async.launch(
                                                        () -> {
                                                            try (var response =
                                                                    session.get(
                                                                                    server.base()
                                                                                            + "/work")
                                                                            .await()) {
                                                                return response.text().await();
                                                            }
                                                        }));
                                    }
                                    return Async.gather(fetches).await();
                                }
                            });
            assertEquals(20, texts.size());
            assertTrue(most.get() <= 3, "at most 3 in flight, saw " + most.get());
            assertTrue(most.get() >= 2, "requests ran concurrently, saw " + most.get());
        }
    }

    @Test
    void everyWayAnExchangeEndsGivesBackItsPlace() throws Exception {
        try (var server =
                        new LocalServers.Jdk()
                                .route("/ok", e -> LocalServers.reply(e, 200, "ok"))
                                .route("/missing", e -> LocalServers.reply(e, 404, "gone"));
                var silent = new LocalServers.Raw("")) {
            String last =
                    Async.run(
                            () -> {
                                try (var session =
                                        ClientSession.builder()
                                                .limit(1)
                                                .successOnly(true)
                                                .build()) {
                                    assertThrows(
                                            HttpStatusException.class,
                                            () -> session.get(server.base() + "/missing").await());
                                    var cancelled = session.get(silent.base() + "/");
                                    Async.toThread(
                                                    () ->
                                                            silent.requestSeen.await(
                                                                    10, TimeUnit.SECONDS))
                                            .await();
                                    cancelled.cancel(true);
                                    session.get(server.base() + "/ok")
                                            .await()
                                            .close(); // discarded unread
                                    assertEquals(
                                            "ok",
                                            session.get(server.base() + "/ok")
                                                    .await()
                                                    .text()
                                                    .await());
                                    return session.send(
                                                    HttpRequest.newBuilder(
                                                                    URI.create(
                                                                            server.base() + "/ok"))
                                                            .build())
                                            .await()
                                            .text()
                                            .await();
                                }
                            });
            assertEquals("ok", last);
        }
    }

    @Test
    void aSmallBodyGivesBackItsPlaceOnArrivalALargeOneOnlyOnceRead() throws Exception {
        String large = "x".repeat(1 << 20); // past the 64 KiB read ahead
        try (var server =
                new LocalServers.Jdk()
                        .route("/small", e -> LocalServers.reply(e, 200, "ok"))
                        .route("/large", e -> LocalServers.reply(e, 200, large))) {
            Async.run(
                    () -> {
                        try (var session = ClientSession.builder().limit(1).build()) {
                            var unread = session.get(server.base() + "/small").await();
                            // The only place is free again although nobody read the body.
                            var next =
                                    Async.timeout(
                                                    Duration.ofSeconds(10),
                                                    () ->
                                                            session.get(server.base() + "/small")
                                                                    .await())
                                            .await();
                            assertEquals("ok", next.text().await());
                            assertEquals("ok", unread.text().await());

                            var held = session.get(server.base() + "/large").await();
                            Task<ClientResponse> waiting = session.get(server.base() + "/small");
                            Async.sleep(Duration.ofMillis(300)).await();
                            assertTrue(!waiting.isDone(), "the large body still holds the place");
                            assertEquals(large.length(), held.bytes().await().length);
                            assertEquals("ok", waiting.await().text().await());
                            return null;
                        }
                    });
        }
    }

    /** Whether the raw server sees the client close the connection within 10 s, as a task. */
    private static Task<Boolean> closedByClient(LocalServers.Raw server) {
        return Async.toThread(() -> server.clientClosed.await(10, TimeUnit.SECONDS));
    }
}
