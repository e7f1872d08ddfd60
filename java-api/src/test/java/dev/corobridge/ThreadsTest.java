package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ThreadsTest {
    @Test
    void toThreadRunsBlockingWorkWhileTheLoopRunsOthers() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    var blocking =
                            Async.toThread(
                                    () -> {
                                        Thread.sleep(100);
                                        trail.add("blocking done");
                                        return Thread.currentThread().getName();
                                    });
                    var ticker =
                            Async.launch(
                                    () -> {
                                        trail.add("loop still running");
                                    });
                    ticker.await();
                    assertTrue(blocking.await().startsWith("DefaultDispatcher-worker"));
                });
        assertEquals(List.of("loop still running", "blocking done"), trail.events());
    }

    @Test
    void cancellingToThreadInterruptsTheWorkerAndWaitsForIt() throws Exception {
        var started = new CountDownLatch(1);
        var trail = new Trail();
        Async.run(
                () -> {
                    var blocking =
                            Async.toThread(
                                    () -> {
                                        started.countDown();
                                        try {
                                            Thread.sleep(30_000);
                                        } catch (InterruptedException e) {
                                            trail.add("worker interrupted");
                                            throw e;
                                        }
                                    });
                    assertTrue(Async.toThread(() -> started.await(5, TimeUnit.SECONDS)).await());
                    blocking.cancel();
                    assertThrows(CancellationException.class, blocking::await);
                    trail.add("await returned");
                });
        assertEquals(List.of("worker interrupted", "await returned"), trail.events());
    }

    @Test
    void toThreadRethrowsTheWorksOwnException() throws Exception {
        var failure = new IOException("read failed");
        var thrown =
                Async.run(
                        () ->
                                assertThrows(
                                        IOException.class,
                                        () ->
                                                Async.toThread(
                                                                () -> {
                                                                    throw failure;
                                                                })
                                                        .await()));
        assertSame(failure, thrown);
    }

    @Test
    void computeRunsOnTheDefaultDispatcher() throws Exception {
        String thread =
                Async.run(() -> Async.compute(() -> Thread.currentThread().getName()).await());
        assertTrue(thread.startsWith("DefaultDispatcher-worker"), thread);
    }

    @Test
    void dispatchersDescribeThemselves() {
        assertEquals(
                "Dispatcher.io.limitedParallelism(2)",
                Dispatcher.io().limitedParallelism(2).toString());
        assertThrows(IllegalArgumentException.class, () -> Dispatcher.io().limitedParallelism(0));
    }

    @Test
    void aLoopOnAnExecutorRunsThere() throws Exception {
        var executor =
                java.util.concurrent.Executors.newSingleThreadExecutor(
                        r -> new Thread(r, "my-executor"));
        try {
            int value =
                    Async.run(
                            Dispatcher.fromExecutor(executor),
                            () -> {
                                Async.sleep(Duration.ofMillis(5)).await();
                                return Async.launch(() -> 2).await() + 1;
                            });
            assertEquals(3, value);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aLoopOnTheUnconfinedDispatcherWorks() throws Exception {
        int value =
                Async.run(
                        Dispatcher.unconfined(),
                        () -> {
                            Task<Integer> a =
                                    Async.launch(
                                            () -> {
                                                Async.sleep(Duration.ofMillis(5)).await();
                                                return 20;
                                            });
                            Async.yieldNow().await();
                            return a.await() + Async.launch(() -> 1).await();
                        });
        assertEquals(21, value);
    }

    @Test
    void interruptingTheThreadInRunCancelsTheMainTask() throws Exception {
        for (BodyThreads kind : Loops.kinds().toList()) {
            var trail = new Trail();
            var started = new CountDownLatch(1);
            var outcome = new java.util.concurrent.atomic.AtomicReference<String>();
            Thread caller =
                    new Thread(
                            () -> {
                                try {
                                    Loops.run(
                                            kind,
                                            () -> {
                                                try {
                                                    started.countDown();
                                                    Async.sleep(Duration.ofSeconds(30)).await();
                                                } finally {
                                                    trail.add("main cleaned up");
                                                }
                                            });
                                    outcome.set("returned");
                                } catch (CancellationException e) {
                                    outcome.set(
                                            "cancelled, interrupt flag="
                                                    + Thread.currentThread().isInterrupted());
                                } catch (Exception e) {
                                    outcome.set("failed: " + e);
                                }
                            });
            caller.start();
            assertTrue(started.await(5, TimeUnit.SECONDS));
            caller.interrupt();
            caller.join(5000);
            assertFalse(caller.isAlive(), "Async.run did not return after an interrupt on " + kind);
            assertEquals("cancelled, interrupt flag=true", outcome.get());
            assertEquals(List.of("main cleaned up"), trail.events());
        }
    }
}
