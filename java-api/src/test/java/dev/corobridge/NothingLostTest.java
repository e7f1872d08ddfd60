package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No failure is ever lost: a cancelled task's cleanup failure reaches whoever awaits it (asyncio's
 * {@code await t} raises it) or is reported, a failure that only a dependent stage received is
 * reported, and a cancelled await leaves nothing registered on the future it waited for.
 */
@Timeout(30)
// The reproducers fail in finally blocks, and open a resource only to have its closing fail.
@SuppressWarnings({"finally", "try"})
class NothingLostTest {

    /** A task that, once cancelled while sleeping, fails in its {@code finally} block. */
    private static Task<Void> failingCleanup(IOException failure) {
        return Async.launch(
                () -> {
                    try {
                        Async.sleep(Duration.ofSeconds(5)).await();
                    } finally {
                        throw failure;
                    }
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void awaitOfACancelledTaskRethrowsItsCleanupFailure(BodyThreads kind) throws Exception {
        var flushFailed = new IOException("flush failed");
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            var task = failingCleanup(flushFailed);
                            Async.yieldNow().await();
                            task.cancel();
                            return assertThrows(IOException.class, task::await);
                        });
        assertSame(flushFailed, run.value());
        assertEquals(List.of(), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void joinOfACancelledTaskKeepsTheJdkContractAndTheCleanupFailureIsReported(BodyThreads kind)
            throws Exception {
        var flushFailed = new IOException("flush failed");
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            var task = failingCleanup(flushFailed);
                            Async.yieldNow().await();
                            task.cancel();
                            Async.sleep(Duration.ofMillis(50)).await();
                            return assertThrows(CancellationException.class, task::join);
                        });
        assertNotNull(run.value());
        assertEquals(List.of(flushFailed), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void gatherSettledGivesACancelledTasksCleanupFailure(BodyThreads kind) throws Exception {
        var flushFailed = new IOException("flush failed");
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            var task = failingCleanup(flushFailed);
                            Async.yieldNow().await();
                            task.cancel();
                            return Async.gatherSettled(task).await().get(0);
                        });
        assertEquals(new Outcome.Failure<Void>(flushFailed), run.value());
        assertEquals(List.of(), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void awaitOfACancelledWorkerGivesTheExceptionItTurnedTheInterruptInto(BodyThreads kind)
            throws Exception {
        var started = new CompletableFuture<Void>();
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            var worker =
                                    Async.toThread(
                                            () -> {
                                                started.complete(null);
                                                try {
                                                    Thread.sleep(10_000);
                                                } catch (InterruptedException e) {
                                                    throw new InterruptedIOException("read cut");
                                                }
                                            });
                            Async.await(started);
                            worker.cancel();
                            return assertThrows(InterruptedIOException.class, worker::await);
                        });
        assertEquals("read cut", run.value().getMessage());
        assertEquals(List.of(), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void awaitOfACancelledTaskGivesAFailureOfClosingItsResource(BodyThreads kind) throws Exception {
        var closeFailed = new IOException("close failed");
        AsyncCloseable<IOException> resource =
                () -> CompletableFuture.<Void>failedFuture(closeFailed).minimalCompletionStage();
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            var task =
                                    Async.launch(
                                            () -> {
                                                try (var open = resource) {
                                                    Async.sleep(Duration.ofSeconds(5)).await();
                                                }
                                            });
                            Async.yieldNow().await();
                            task.cancel();
                            return assertThrows(IOException.class, task::await);
                        });
        assertSame(closeFailed, run.value());
        assertEquals(List.of(), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void everyFailureRacingACancellationFromAnotherThreadIsAwaited(BodyThreads kind)
            throws Exception {
        int tasks = 500;
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            List<Task<Void>> racing = new ArrayList<>();
                            List<IOException> failures = new ArrayList<>();
                            var threw = new AtomicBoolean[tasks];
                            for (int i = 0; i < tasks; i++) {
                                var failure = new IOException("task " + i);
                                var thrown = new AtomicBoolean();
                                failures.add(failure);
                                threw[i] = thrown;
                                long nanos = ThreadLocalRandom.current().nextLong(2_000_000);
                                racing.add(
                                        Async.launch(
                                                () -> {
                                                    try {
                                                        Async.sleep(Duration.ofNanos(nanos))
                                                                .await();
                                                    } finally {
                                                        thrown.set(true);
                                                        throw failure;
                                                    }
                                                }));
                            }
                            Async.toThread(
                                    () -> {
                                        for (var task : racing) {
                                            task.cancel();
                                            java.util.concurrent.locks.LockSupport.parkNanos(
                                                    ThreadLocalRandom.current().nextLong(20_000));
                                        }
                                    });
                            int failed = 0;
                            for (int i = 0; i < tasks; i++) {
                                var caught = assertThrows(Exception.class, racing.get(i)::await);
                                if (threw[i].get()) {
                                    assertSame(failures.get(i), caught);
                                    failed++;
                                } else {
                                    assertInstanceOf(CancellationException.class, caught);
                                }
                            }
                            assertTrue(failed > 0, "no body ran before its cancellation");
                            return tasks;
                        });
        assertEquals(List.of(), run.failures());
    }

    // --- dependent stages

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void failureThatOnlyADependentStageReceivedIsReported(BodyThreads kind) throws Exception {
        var failure = new IOException("nobody looked");
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            Async.launch(
                                            () -> {
                                                throw failure;
                                            })
                                    .thenRun(() -> {});
                            return settleDependents();
                        });
        assertEquals(List.of(failure), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void failureOfADependentStageItselfIsReported(BodyThreads kind) throws Exception {
        var failure = new IllegalStateException("mapping failed");
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            Async.launch(() -> 1)
                                    .thenApply(
                                            x -> {
                                                throw failure;
                                            });
                            return settleDependents();
                        });
        assertEquals(List.of(failure), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void failureHandledByADependentStageIsNotReported(BodyThreads kind) throws Exception {
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            Async.launch(
                                            () -> {
                                                throw new IOException("handled");
                                            })
                                    .exceptionally(e -> null);
                            Async.launch(
                                            () -> {
                                                throw new IOException("seen");
                                            })
                                    .whenComplete((value, e) -> {});
                            return settleDependents();
                        });
        assertEquals(List.of(), run.failures());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void awaitedDependentStageFailureIsNotReported(BodyThreads kind) throws Exception {
        var failure = new IOException("awaited");
        var run =
                Loops.runCollectingReports(
                        kind,
                        () -> {
                            CompletionStage<Void> dependent =
                                    Async.launch(
                                                    () -> {
                                                        throw failure;
                                                    })
                                            .thenRun(() -> {});
                            return assertThrows(IOException.class, () -> Async.await(dependent));
                        });
        assertSame(failure, run.value());
        assertEquals(List.of(), run.failures());
    }

    /** Lets the tasks launched so far run their first step and their dependents complete. */
    private static String settleDependents() throws Exception {
        Async.yieldNow().await();
        Async.yieldNow().await();
        return "settled";
    }

    // --- registrations

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void cancelledAwaitsOfAPlainFutureLeaveNothingRegisteredOnIt(BodyThreads kind)
            throws Exception {
        var shutdownSignal = new CompletableFuture<String>();
        Loops.run(
                kind,
                () -> {
                    for (int i = 0; i < 1_000; i++) {
                        var waiting = Async.launch(() -> Async.await(shutdownSignal));
                        Async.yieldNow().await();
                        waiting.cancel();
                        assertThrows(CancellationException.class, waiting::await);
                        var limited =
                                Async.timeout(
                                        Duration.ofMillis(1), () -> Async.await(shutdownSignal));
                        assertThrows(TimeoutException.class, limited::await);
                    }
                });
        assertTrue(
                shutdownSignal.getNumberOfDependents() <= 1,
                shutdownSignal.getNumberOfDependents() + " dependents left");
    }

    @Test
    void cancelledCoroutineWaitsForAPlainFutureLeaveNothingRegisteredOnIt() throws Exception {
        var shutdownSignal = new CompletableFuture<String>();
        Async.run(
                () -> {
                    for (int i = 0; i < 1_000; i++) {
                        var shielded = Async.shield(shutdownSignal);
                        Async.yieldNow().await();
                        shielded.cancel();
                    }
                });
        assertFalse(shutdownSignal.isDone());
        assertTrue(
                shutdownSignal.getNumberOfDependents() <= 1,
                shutdownSignal.getNumberOfDependents() + " dependents left");
    }

    @Test
    void aPlainFutureAwaitedAfterCancelledAwaitsStillResumesItsWaiters() throws Exception {
        var signal = new CompletableFuture<String>();
        var resumed = new AtomicBoolean();
        String value =
                Async.run(
                        () -> {
                            var cancelled = Async.launch(() -> Async.await(signal));
                            Async.yieldNow().await();
                            cancelled.cancel();
                            var waiting =
                                    Async.launch(
                                            () -> {
                                                String v = Async.await(signal);
                                                resumed.set(true);
                                                return v;
                                            });
                            Async.yieldNow().await();
                            signal.complete("go");
                            return waiting.await();
                        });
        assertEquals("go", value);
        assertTrue(resumed.get());
    }
}
