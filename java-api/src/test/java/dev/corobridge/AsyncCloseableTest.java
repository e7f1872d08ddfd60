package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class AsyncCloseableTest {

    /** A resource that logs, takes 20 ms to close, and can be told to fail while closing. */
    static final class Connection implements AsyncCloseable {
        private final Trail trail;
        private final Exception closeFailure;

        Connection(Trail trail, Exception closeFailure) {
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
                    try (var connection = new Connection(trail, null)) {
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
                                        try (var connection = new Connection(trail, null)) {
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
                    AsyncCloseable slowClose =
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
                                            try (var connection =
                                                    new Connection(trail, closeFailure)) {
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
                                            try (var connection =
                                                    new Connection(new Trail(), closeFailure)) {
                                                // nothing to do
                                            }
                                        }));
        assertSame(closeFailure, thrown);
    }

    @Test
    void outsideATaskCloseBlocksUntilClosed() throws Exception {
        var trail = new Trail();
        try (var connection = new Connection(trail, null)) {
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
}
