package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class GatherTest {
    private static Task<String> after(long millis, String value) {
        return Async.launch(
                () -> {
                    Async.sleep(Duration.ofMillis(millis)).await();
                    return value;
                });
    }

    @Test
    void resultsComeInArgumentOrderNotCompletionOrder() throws Exception {
        List<String> results =
                Async.run(
                        () ->
                                Async.gather(after(60, "slow"), after(10, "fast"), after(30, "mid"))
                                        .await());
        assertEquals(List.of("slow", "fast", "mid"), results);
    }

    @Test
    void gatheredSleepsOverlap() throws Exception {
        long start = System.nanoTime();
        Async.run(() -> Async.gather(after(300, "a"), after(300, "b"), after(300, "c")).await());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 800, "three 300 ms sleeps gathered took " + millis + " ms");
    }

    @Test
    void gatherOfNothingIsAnEmptyList() throws Exception {
        assertEquals(List.of(), Async.run(() -> Async.gather(List.<Task<String>>of()).await()));
    }

    @Test
    void firstFailureFailsTheGatherAtOnceWithTheOriginalException() throws Exception {
        var failure = new IOException("boom");
        var trail = new Trail();
        Async.run(
                () -> {
                    Task<String> slow = after(200, "slow");
                    Task<String> failing =
                            Async.launch(
                                    () -> {
                                        Async.sleep(Duration.ofMillis(10)).await();
                                        throw failure;
                                    });
                    try {
                        Async.gather(slow, failing).await();
                    } catch (IOException e) {
                        assertSame(failure, e);
                        trail.add("gather failed, slow done=" + slow.isDone());
                    }
                    trail.add(
                            "slow: " + slow.await()); // as in asyncio, the other tasks keep running
                });
        assertEquals(List.of("gather failed, slow done=false", "slow: slow"), trail.events());
    }

    @Test
    void settledVariantReturnsEveryOutcome() throws Exception {
        var failure = new IOException("boom");
        List<Outcome<String>> outcomes =
                Async.run(
                        () -> {
                            Task<String> ok = after(10, "ok");
                            Task<String> failing =
                                    Async.launch(
                                            () -> {
                                                throw failure;
                                            });
                            Task<String> cancelled = after(10_000, "never");
                            cancelled.cancel();
                            return Async.gatherSettled(ok, failing, cancelled).await();
                        });
        assertEquals(new Outcome.Success<>("ok"), outcomes.get(0));
        assertSame(failure, ((Outcome.Failure<String>) outcomes.get(1)).exception());
        assertInstanceOf(Outcome.Cancelled.class, outcomes.get(2));
    }

    @Test
    void cancellingTheGatherCancelsItsTasks() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    Task<Void> a =
                            Async.launch(
                                    () -> {
                                        try {
                                            Async.sleep(Duration.ofSeconds(30)).await();
                                        } finally {
                                            trail.add("a stopped");
                                        }
                                    });
                    Task<List<Void>> gather = Async.gather(List.of(a));
                    Async.yieldNow().await();
                    gather.cancel();
                    assertThrows(CancellationException.class, gather::await);
                    assertTrue(a.isCancelled());
                });
        assertEquals(List.of("a stopped"), trail.events());
    }

    @Test
    void gatherAcceptsPlainFutures() throws Exception {
        var plain = CompletableFuture.completedFuture("plain");
        assertEquals(
                List.of("plain", "task"),
                Async.run(() -> Async.gather(plain, after(1, "task")).await()));
    }

    @Test
    void gatheredFailureCountsAsRetrieved() throws Exception {
        var reported = new java.util.ArrayList<String>();
        try (EventLoop loop = EventLoop.create()) {
            loop.setExceptionHandler((name, e) -> reported.add(name));
            loop.runBlocking(
                    () -> {
                        Task<Object> failing =
                                Async.launch(
                                        () -> {
                                            throw new IOException("x");
                                        });
                        assertThrows(
                                IOException.class, () -> Async.gather(List.of(failing)).await());
                    });
        }
        assertEquals(List.of(), reported);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void failuresOfSiblingsAfterAGathersFirstFailureCountAsRetrieved(BodyThreads kind)
            throws Exception {
        var first = new IOException("first");
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            Task<Object> failsFirst =
                                    Async.launch(
                                            () -> {
                                                throw first;
                                            });
                            Task<Object> failsLater =
                                    Async.launch(
                                            () -> {
                                                Async.sleep(Duration.ofMillis(20)).await();
                                                throw new IOException("later");
                                            });
                            var caught =
                                    assertThrows(
                                            IOException.class,
                                            () -> Async.gather(failsFirst, failsLater).await());
                            Async.sleep(Duration.ofMillis(60)).await();
                            assertTrue(failsLater.isDone());
                            return caught;
                        });
        assertSame(first, run.value());
        assertEquals(List.of(), run.failures());
    }
}
