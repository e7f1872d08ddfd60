package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class TimeoutTest {

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void timeoutCancelsTheWorkSoItStopsMoving(BodyThreads kind) throws Exception {
        var counter = new AtomicInteger();
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    try {
                        Async.timeout(
                                        Duration.ofMillis(100),
                                        () -> {
                                            try {
                                                while (true) {
                                                    counter.incrementAndGet();
                                                    Async.sleep(Duration.ofMillis(5)).await();
                                                }
                                            } finally {
                                                trail.add("work cleaned up");
                                            }
                                        })
                                .await();
                    } catch (TimeoutException e) {
                        trail.add("timed out: " + e.getMessage());
                    }
                    int atTimeout = counter.get();
                    Async.sleep(Duration.ofMillis(100)).await();
                    trail.add(
                            counter.get() == atTimeout
                                    ? "counter stopped"
                                    : "counter still moving");
                });
        var events = trail.events();
        assertEquals("work cleaned up", events.get(0));
        assertEquals(
                "timed out: the body of Async.timeout did not finish within 0.1s", events.get(1));
        assertEquals("counter stopped", events.get(2));
        assertTrue(counter.get() > 3, "the work ran before the timeout: " + counter.get());
    }

    @Test
    void timeoutReturnsTheValueWhenInTime() throws Exception {
        assertEquals(
                "fast",
                Async.run(() -> Async.timeout(Duration.ofSeconds(5), () -> "fast").await()));
    }

    @Test
    void timeoutKeepsTheBodysOwnFailure() throws Exception {
        var failure = new IOException("own");
        var thrown =
                Async.run(
                        () ->
                                assertThrows(
                                        IOException.class,
                                        () ->
                                                Async.timeout(
                                                                Duration.ofSeconds(5),
                                                                () -> {
                                                                    throw failure;
                                                                })
                                                        .await()));
        assertSame(failure, thrown);
    }

    @Test
    void timeoutAlsoStopsTasksTheBodyStarted() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    assertThrows(
                            TimeoutException.class,
                            () ->
                                    Async.timeout(
                                                    Duration.ofMillis(50),
                                                    () -> {
                                                        Async.launch(
                                                                () -> {
                                                                    try {
                                                                        Async.sleep(
                                                                                        Duration
                                                                                                .ofSeconds(
                                                                                                        30))
                                                                                .await();
                                                                    } finally {
                                                                        trail.add(
                                                                                "inner task stopped");
                                                                    }
                                                                });
                                                        Async.sleep(Duration.ofSeconds(30)).await();
                                                    })
                                            .await());
                });
        assertEquals(List.of("inner task stopped"), trail.events());
    }

    @Test
    void timeoutWorksOutsideALoop() {
        Task<Void> task =
                Async.timeout(
                        Duration.ofMillis(50), () -> Async.sleep(Duration.ofSeconds(30)).await());
        var thrown = assertThrows(java.util.concurrent.CompletionException.class, task::join);
        assertInstanceOf(TimeoutException.class, thrown.getCause());
    }

    @Test
    void waitForCancelsTheTaskAndAwaitsItsCleanupBeforeTimingOut() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    Task<String> slow =
                            Async.launch(
                                    () -> {
                                        try {
                                            Async.sleep(Duration.ofSeconds(30)).await();
                                            return "done";
                                        } finally {
                                            Async.sleep(Duration.ofMillis(20)).await();
                                            trail.add("slow cleaned up");
                                        }
                                    });
                    try {
                        Async.waitFor(slow, Duration.ofMillis(50)).await();
                    } catch (TimeoutException e) {
                        trail.add("timeout, slow cancelled=" + slow.isCancelled());
                    }
                });
        assertEquals(List.of("slow cleaned up", "timeout, slow cancelled=true"), trail.events());
    }

    @Test
    void waitForNamesTheTaskThatRanOutOfTime() throws Exception {
        var error =
                Async.run(
                        () ->
                                assertThrows(
                                        TimeoutException.class,
                                        () ->
                                                Async.waitFor(
                                                                Async.launch(
                                                                        "slow query",
                                                                        () ->
                                                                                Async.sleep(
                                                                                                Duration
                                                                                                        .ofSeconds(
                                                                                                                30))
                                                                                        .await()),
                                                                Duration.ofMillis(20))
                                                        .await()));
        assertEquals("Task 'slow query' did not finish within 0.02s", error.getMessage());
    }

    @Test
    void waitForReturnsTheValueWhenInTime() throws Exception {
        assertEquals(
                3,
                Async.run(
                        () -> Async.waitFor(Async.launch(() -> 3), Duration.ofSeconds(5)).await()));
    }

    @Test
    void shieldKeepsTheInnerTaskRunningWhenTheAwaiterIsCancelled() throws Exception {
        var trail = new Trail();
        Async.runBlocking(
                () -> {
                    Task<String> save =
                            Async.launch(
                                    () -> {
                                        Async.sleep(Duration.ofMillis(50)).await();
                                        trail.add("saved");
                                        return "ok";
                                    });
                    Task<String> waiter = Async.launch(() -> Async.shield(save).await());
                    Async.yieldNow().await();
                    waiter.cancel();
                    assertThrows(CancellationException.class, waiter::await);
                    trail.add("waiter cancelled");
                    assertEquals("ok", save.await());
                });
        assertEquals(List.of("waiter cancelled", "saved"), trail.events());
    }

    @Test
    void sleepSuspendsOnlyTheCaller() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    var sleeper =
                            Async.launch(
                                    () -> {
                                        trail.add("sleeping");
                                        Async.sleep(Duration.ofMillis(50)).await();
                                        trail.add("woke");
                                    });
                    var ticker =
                            Async.launch(
                                    () -> {
                                        for (int i = 0; i < 3; i++) {
                                            trail.add("tick " + i);
                                            Async.sleep(Duration.ofMillis(5)).await();
                                        }
                                    });
                    Async.gather(sleeper, ticker).await();
                });
        assertEquals(List.of("sleeping", "tick 0", "tick 1", "tick 2", "woke"), trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void timeoutBodyRunsAtOnceUpToItsFirstAwait(BodyThreads kind) throws Exception {
        // asyncio's `async with asyncio.timeout(...)` is a block of the calling task.
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    var limited =
                            Async.timeout(
                                    Duration.ofSeconds(5),
                                    () -> {
                                        trail.add("body starts");
                                        Async.yieldNow().await();
                                        trail.add("body ends");
                                    });
                    trail.add("timeout returned");
                    limited.await();
                    trail.add("timeout awaited");
                });
        assertEquals(
                List.of("body starts", "timeout returned", "body ends", "timeout awaited"),
                trail.events());
    }
}
