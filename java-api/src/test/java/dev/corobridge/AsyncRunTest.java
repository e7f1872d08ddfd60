package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AsyncRunTest {
    @Test
    void runReturnsTheBodysValue() throws Exception {
        assertEquals("Hello", Async.run(() -> "Hello"));
    }

    @Test
    void runRethrowsTheBodysOwnCheckedException() {
        var failure = new IOException("disk full");
        var thrown =
                assertThrows(
                        IOException.class,
                        () ->
                                Async.run(
                                        () -> {
                                            throw failure;
                                        }));
        assertSame(failure, thrown);
    }

    @Test
    void runCancelsTasksLeftRunningAndAwaitsTheirCleanup() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    Async.launch(
                            () -> {
                                try {
                                    trail.add("leftover started");
                                    Async.sleep(Duration.ofSeconds(30)).await();
                                    trail.add("leftover finished sleeping");
                                } catch (CancellationException e) {
                                    trail.add("leftover cancelled");
                                    Async.sleep(Duration.ofMillis(20))
                                            .await(); // cleanup may itself await
                                    trail.add("leftover cleaned up");
                                    throw e;
                                }
                            });
                    Async.yieldNow().await();
                    trail.add("main returns");
                });
        trail.add("run returned");
        assertEquals(
                List.of(
                        "leftover started",
                        "main returns",
                        "leftover cancelled",
                        "leftover cleaned up",
                        "run returned"),
                trail.events());
    }

    @Test
    void runBlockingWaitsForTheTasksTheBodyStarted() throws Exception {
        var trail = new Trail();
        Async.runBlocking(
                () -> {
                    Async.launch(
                            () -> {
                                Async.sleep(Duration.ofMillis(50)).await();
                                trail.add("child done");
                            });
                    trail.add("main returns");
                });
        trail.add("runBlocking returned");
        assertEquals(List.of("main returns", "child done", "runBlocking returned"), trail.events());
    }

    @Test
    void runInsideARunningLoopThrows() throws Exception {
        var error =
                Async.run(
                        () -> assertThrows(IllegalStateException.class, () -> Async.run(() -> 1)));
        assertTrue(error.getMessage().contains("running event loop"), error.getMessage());
    }

    @Test
    void runFromAWorkerThreadOfALoopIsAllowed() throws Exception {
        // asyncio allows asyncio.run in a to_thread worker: that thread has no running loop.
        int inner = Async.run(() -> Async.toThread(() -> Async.run(() -> 7)).await());
        assertEquals(7, inner);
    }

    @Test
    void noBodyThreadIsLeftRunningAfterRunReturns() throws Exception {
        List<Thread> bodyThreads = new ArrayList<>();
        Async.run(
                () -> {
                    for (int i = 0; i < 5; i++) {
                        Async.launch(
                                () -> {
                                    synchronized (bodyThreads) {
                                        bodyThreads.add(Thread.currentThread());
                                    }
                                    Async.sleep(Duration.ofSeconds(30)).await();
                                });
                    }
                    Async.sleep(Duration.ofMillis(20)).await();
                });
        assertEquals(5, bodyThreads.size());
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (Thread thread : bodyThreads) {
            // A virtual body thread ends with its body; a pooled platform thread goes back to
            // waiting in its pool.
            while (thread.isAlive() && !idleInPool(thread) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(
                    !thread.isAlive() || idleInPool(thread),
                    "body thread still running: " + thread);
        }
    }

    private static boolean idleInPool(Thread thread) {
        return List.of(thread.getStackTrace()).stream()
                .anyMatch(frame -> frame.getMethodName().equals("getTask"));
    }

    @Test
    void noTaskIsLeftRunningAfterRunReturns() throws Exception {
        var leftovers = new AtomicReference<List<Task<?>>>();
        Async.run(
                () -> {
                    List<Task<?>> tasks = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        tasks.add(Async.launch(() -> Async.sleep(Duration.ofSeconds(30)).await()));
                    }
                    leftovers.set(tasks);
                });
        for (Task<?> task : leftovers.get()) {
            assertTrue(task.isCancelled(), task.toString());
        }
    }

    @Test
    void tasksOfOneLoopNeverRunInParallel() throws Exception {
        for (BodyThreads kind : Loops.kinds().toList()) {
            var running = new java.util.concurrent.atomic.AtomicInteger();
            var maxRunning = new java.util.concurrent.atomic.AtomicInteger();
            Loops.run(
                    kind,
                    () -> {
                        List<Task<Void>> tasks = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            tasks.add(
                                    Async.launch(
                                            () -> {
                                                for (int step = 0; step < 5; step++) {
                                                    int now = running.incrementAndGet();
                                                    maxRunning.accumulateAndGet(now, Math::max);
                                                    Thread.onSpinWait();
                                                    Thread.yield();
                                                    running.decrementAndGet();
                                                    Async.yieldNow().await();
                                                }
                                            }));
                        }
                        Async.gather(tasks).await();
                    });
            assertEquals(1, maxRunning.get(), "bodies overlapped with " + kind);
        }
    }

    @Test
    void aParallelDispatcherLoopRunsBodiesAtTheSameTime() throws Exception {
        var bothStarted = new java.util.concurrent.CountDownLatch(2);
        boolean met =
                Async.run(
                        Dispatcher.defaultDispatcher(),
                        () -> {
                            // On a single-threaded loop the first body would block the second
                            // forever; here they meet.
                            Task<Boolean> a =
                                    Async.launch(
                                            () -> {
                                                bothStarted.countDown();
                                                return bothStarted.await(
                                                        5, java.util.concurrent.TimeUnit.SECONDS);
                                            });
                            Task<Boolean> b =
                                    Async.launch(
                                            () -> {
                                                bothStarted.countDown();
                                                return bothStarted.await(
                                                        5, java.util.concurrent.TimeUnit.SECONDS);
                                            });
                            return a.await() && b.await();
                        });
        assertTrue(met);
    }

    @Test
    void unretrievedFailureIsReportedWhenTheLoopEnds() throws Exception {
        var reported = new ArrayList<String>();
        var failure = new IllegalStateException("lost");
        try (EventLoop loop = EventLoop.create()) {
            loop.setExceptionHandler(
                    (name, exception) -> reported.add(name + ": " + exception.getMessage()));
            loop.runBlocking(
                    () -> {
                        Async.launch(
                                "forgotten",
                                () -> {
                                    throw failure;
                                });
                        Async.launch(
                                        "awaited",
                                        () -> {
                                            throw new IllegalStateException("seen");
                                        })
                                .exceptionally(e -> null);
                    });
        }
        assertEquals(List.of("forgotten: lost"), reported);
    }

    @Test
    void runningAClosedLoopThrows() throws Exception {
        EventLoop loop = EventLoop.create();
        loop.close();
        var error = assertThrows(IllegalStateException.class, () -> loop.runBlocking(() -> 1));
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
        assertTrue(loop.isClosed());
    }

    @Test
    void anEventLoopCanRunSeveralTimesUntilClosed() throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            assertEquals(1, loop.runBlocking(() -> 1));
            assertEquals(2, loop.runBlocking(() -> 2));
            assertFalse(loop.isRunning());
        }
    }
}
