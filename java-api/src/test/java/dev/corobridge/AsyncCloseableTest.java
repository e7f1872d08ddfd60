package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class AsyncCloseableTest {

    /**
     * A resource that logs, takes 20 ms to close, and can be told to fail while closing (with an
     * {@code IOException} or an unchecked exception, as its type promises).
     */
    static final class Connection implements AsyncCloseable<IOException> {
        private final Trail trail;
        private final @Nullable Exception closeFailure;

        Connection(Trail trail, @Nullable Exception closeFailure) {
            this.trail = trail;
            this.closeFailure = closeFailure;
            trail.add("open");
        }

        @Override
        public CompletionStage<?> closeAsync() {
            trail.add("closing");
            return Async.launch(
                    () -> {
                        Async.sleep(Duration.ofMillis(20)).await();
                        trail.add("closed");
                        if (closeFailure != null) {
                            throw closeFailure;
                        }
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void tryWithResourcesAwaitsTheClose(BodyThreads kind) throws Exception {
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    var connection = new Connection(trail, null);
                    try (connection) {
                        trail.add("using");
                    }
                    trail.add("after");
                });
        assertEquals(List.of("open", "using", "closing", "closed", "after"), trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void closingRunsToTheEndWhenTheTaskIsCancelled(BodyThreads kind) throws Exception {
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    Task<Void> user =
                            Async.launch(
                                    () -> {
                                        var connection = new Connection(trail, null);
                                        try (connection) {
                                            Async.sleep(Duration.ofSeconds(30)).await();
                                        } catch (CancellationException e) {
                                            trail.add("cancelled after close");
                                            throw e;
                                        }
                                    });
                    Async.sleep(Duration.ofMillis(10)).await();
                    user.cancel();
                    assertThrows(CancellationException.class, user::await);
                    trail.add("awaited");
                });
        assertEquals(
                List.of("open", "closing", "closed", "cancelled after close", "awaited"),
                trail.events());
    }

    @Test
    void aCloseThatIsCancelledMidwayStillFinishes() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    var closing = new CompletableFuture<Void>();
                    AsyncCloseable<RuntimeException> slowClose =
                            () -> {
                                trail.add("closing");
                                return closing;
                            };
                    Task<Void> user =
                            Async.launch(
                                    () -> {
                                        try (slowClose) {
                                            trail.add("using");
                                        }
                                        trail.add("after close");
                                    });
                    Async.yieldNow().await(); // user is now waiting in close()
                    user.cancel();
                    Async.sleep(Duration.ofMillis(20)).await();
                    trail.add("close completes");
                    closing.complete(null);
                    assertThrows(CancellationException.class, user::await);
                });
        assertEquals(List.of("using", "closing", "close completes", "after close"), trail.events());
    }

    @Test
    void aCloseFailureIsSuppressedOntoTheBodysFailure() throws Exception {
        var trail = new Trail();
        var bodyFailure = new IOException("body");
        var closeFailure = new IllegalStateException("close");
        var thrown =
                Async.run(
                        () ->
                                assertThrows(
                                        IOException.class,
                                        () -> {
                                            var connection = new Connection(trail, closeFailure);
                                            try (connection) {
                                                throw bodyFailure;
                                            }
                                        }));
        assertSame(bodyFailure, thrown);
        assertSame(closeFailure, thrown.getSuppressed()[0]);
    }

    @Test
    void aCloseFailureAloneIsRethrownUnchanged() throws Exception {
        var closeFailure = new IOException("close");
        var thrown =
                Async.run(
                        () ->
                                assertThrows(
                                        IOException.class,
                                        () -> {
                                            var connection =
                                                    new Connection(new Trail(), closeFailure);
                                            try (connection) {
                                                // nothing to do
                                            }
                                        }));
        assertSame(closeFailure, thrown);
    }

    @Test
    void outsideATaskCloseBlocksUntilClosed() throws Exception {
        var trail = new Trail();
        var connection = new Connection(trail, null);
        try (connection) {
            trail.add("using");
        }
        trail.add("after");
        assertEquals(List.of("open", "using", "closing", "closed", "after"), trail.events());
    }

    @Test
    void usingOpensRunsAndClosesAsOneTask() throws Exception {
        var trail = new Trail();
        String reply =
                Async.run(
                        () ->
                                Async.using(
                                                () -> new Connection(trail, null),
                                                connection -> {
                                                    trail.add("using");
                                                    return "reply";
                                                })
                                        .await());
        assertEquals("reply", reply);
        assertEquals(List.of("open", "using", "closing", "closed"), trail.events());
    }

    @Test
    void usingRejectsNulls() {
        assertThrows(NullPointerException.class, () -> Async.using(null, r -> 1));
        assertThrows(
                NullPointerException.class,
                () -> Async.using(() -> new Connection(new Trail(), null), null));
    }

    // --- what a user's javac says (-Xlint:try -Werror)

    private static final String USER_CODE =
            """
            import dev.corobridge.Async;
            import dev.corobridge.AsyncCloseable;
            import java.io.IOException;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CompletionStage;

            class UserCode {
                static final class Connection implements AsyncCloseable<IOException> {
                    @Override
                    public CompletionStage<?> closeAsync() {
                        return CompletableFuture.completedFuture(null);
                    }

                    void send(String message) {}
                }

                static void declares() throws IOException {
                    try (var connection = new Connection()) {
                        connection.send("hi");
                    }
                }

                static String catches() throws Exception {
                    return Async.run(() -> {
                        try (var connection = new Connection()) {
                            connection.send("hi");
                        } catch (IOException e) {
                            return "failed";
                        }
                        return "sent";
                    });
                }

                static void unchecked() {
                    try (AsyncCloseable<RuntimeException> resource =
                            () -> CompletableFuture.completedFuture(null)) {
                        resource.hashCode();
                    }
                }
            }
            """;

    private static List<String> compileAsAUser(String source) {
        return UserCode.compile(List.of("-Xlint:try", "-Werror"), source);
    }

    @Test
    void aUsersTryWithResourcesCompilesCleanWithLintTryAsErrors() throws Exception {
        assertEquals(List.of(), compileAsAUser(USER_CODE));
    }

    @Test
    void anAsyncCloseableOfExceptionDrawsTheInterruptedExceptionWarning() throws Exception {
        // The control: a close() that declares Exception could throw InterruptedException (javac
        // checks resources declared in the try, as a user writes them, not try (variable)).
        List<String> diagnostics =
                compileAsAUser(
                        """
                        import dev.corobridge.AsyncCloseable;
                        import java.util.concurrent.CompletableFuture;

                        class UserCode {
                            static void promisesNothing() throws Exception {
                                try (AsyncCloseable<Exception> resource =
                                        () -> CompletableFuture.completedFuture(null)) {
                                    resource.hashCode();
                                }
                            }
                        }
                        """);
        assertTrue(
                diagnostics.stream().anyMatch(d -> d.contains("InterruptedException")),
                diagnostics.toString());
    }
}
