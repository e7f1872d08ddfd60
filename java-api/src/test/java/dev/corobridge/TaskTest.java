package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import dev.corobridge.testing.Reports;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class TaskTest {

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void launchedTaskStartsAtTheCallersNextAwait(BodyThreads kind) throws Exception {
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    var a =
                            Async.launch(
                                    () -> {
                                        trail.add("a1");
                                        Async.yieldNow().await();
                                        trail.add("a2");
                                    });
                    trail.add("main");
                    a.await();
                });
        assertEquals(List.of("main", "a1", "a2"), trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void tasksInterleaveAtAwaitsInAsyncioOrder(BodyThreads kind) throws Exception {
        // asyncio prints: a0 b0 a1 b1 a2 b2 for two tasks that each yield between steps.
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    var a = Async.launch(() -> step(trail, "a"));
                    var b = Async.launch(() -> step(trail, "b"));
                    Async.gather(a, b).await();
                });
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), trail.events());
    }

    private static void step(Trail trail, String name) throws Exception {
        for (int i = 0; i < 3; i++) {
            trail.add(name + i);
            Async.yieldNow().await();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void awaitReturnsTheValue(BodyThreads kind) throws Exception {
        assertEquals(42, Loops.run(kind, () -> Async.launch(() -> 42).await()));
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void awaitRethrowsOriginalCheckedException(BodyThreads kind) throws Exception {
        var failure = new IOException("connection reset");
        var caught =
                Loops.run(
                        kind,
                        () -> {
                            try {
                                Async.launch(
                                                () -> {
                                                    Async.yieldNow().await();
                                                    throw failure;
                                                })
                                        .await();
                                return null;
                            } catch (IOException e) { // compiles because await() declares throws
                                // Exception
                                return e;
                            }
                        });
        assertSame(failure, caught);
    }

    @Test
    void awaitAttachesTheAwaitingCallSite() throws Exception {
        var failure = new IllegalArgumentException("bad");
        Async.run(
                () -> {
                    try {
                        Async.launch(
                                        () -> {
                                            throw failure;
                                        })
                                .await();
                    } catch (IllegalArgumentException e) {
                        assertSame(failure, e);
                    }
                });
        assertEquals(1, failure.getSuppressed().length);
        String site = failure.getSuppressed()[0].toString();
        assertTrue(site.contains("awaited in task"), site);
        assertTrue(
                List.of(failure.getSuppressed()[0].getStackTrace()).stream()
                        .anyMatch(frame -> frame.getClassName().equals(TaskTest.class.getName())));
    }

    @Test
    void awaitOutsideATaskThrowsAndSaysWhatToDo() {
        var task = Async.launch(() -> 1);
        var error = assertThrows(IllegalStateException.class, task::await);
        assertTrue(error.getMessage().contains("Async.run"), error.getMessage());
        assertTrue(error.getMessage().contains("join()"), error.getMessage());
    }

    @Test
    void aTaskCannotAwaitItself() throws Exception {
        var error =
                Async.run(
                        () ->
                                assertThrows(
                                        IllegalStateException.class,
                                        () -> Async.currentTask().await()));
        assertTrue(error.getMessage().contains("itself"), error.getMessage());
    }

    @Test
    void launchOutsideALoopRunsInTheBackgroundAsAPlainFuture() throws Exception {
        Task<Integer> task =
                Async.launch(
                        () -> {
                            Async.sleep(Duration.ofMillis(10)).await();
                            return 5;
                        });
        assertEquals(5, task.join());
        assertEquals(10, task.thenApply(x -> x * 2).join());
    }

    @Test
    void backgroundFailureSurfacesThroughTheFutureWrapped() {
        var failure = new IOException("nope");
        Task<Object> task =
                Async.launch(
                        () -> {
                            throw failure;
                        });
        var thrown = assertThrows(CompletionException.class, task::join);
        assertSame(failure, thrown.getCause());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void cancelledBodySeesCancellationAtItsAwaitAndItsFinallyMayAwait(BodyThreads kind)
            throws Exception {
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    var worker =
                            Async.launch(
                                    () -> {
                                        try {
                                            trail.add("working");
                                            Async.sleep(Duration.ofSeconds(30)).await();
                                        } catch (CancellationException e) {
                                            trail.add("cancelled");
                                            throw e;
                                        } finally {
                                            Async.sleep(Duration.ofMillis(10)).await();
                                            trail.add("cleaned up");
                                        }
                                    });
                    Async.yieldNow().await();
                    worker.cancel();
                    trail.add("cancel requested, done=" + worker.isDone());
                    try {
                        worker.await();
                    } catch (CancellationException e) {
                        trail.add("await saw cancellation");
                    }
                });
        assertEquals(
                List.of(
                        "working",
                        "cancel requested, done=true",
                        "cancelled",
                        "cleaned up",
                        "await saw cancellation"),
                trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void cancellationReachesNestedTasks(BodyThreads kind) throws Exception {
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    var parent =
                            Async.launch(
                                    () -> {
                                        var child =
                                                Async.launch(
                                                        () -> {
                                                            var grandchild =
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
                                                                                            "grandchild finally");
                                                                                }
                                                                            });
                                                            try {
                                                                grandchild.await();
                                                            } finally {
                                                                trail.add("child finally");
                                                            }
                                                        });
                                        child.await();
                                    });
                    Async.sleep(Duration.ofMillis(20)).await();
                    parent.cancel();
                    try {
                        parent.await();
                    } catch (CancellationException expected) {
                        trail.add("parent cancelled");
                    }
                });
        assertTrue(
                trail.events().containsAll(List.of("grandchild finally", "child finally")),
                trail.events().toString());
        assertEquals("parent cancelled", trail.events().get(2));
    }

    @Test
    void aCancelledTaskSaysWhichTaskWasCancelled() throws Exception {
        Async.run(
                () -> {
                    var task =
                            Async.launch(
                                    "big.iso", () -> Async.sleep(Duration.ofSeconds(30)).await());
                    assertTrue(task.cancel());
                    assertTrue(task.isCancelled());
                    var error = assertThrows(CancellationException.class, task::await);
                    assertEquals("Task 'big.iso' was cancelled", error.getMessage());
                    assertTrue(task.cancel(), "still cancelled: CompletableFuture's contract");
                });
    }

    @Test
    void cancellingBeforeTheTaskStartsMeansItNeverRuns() throws Exception {
        var ran = new AtomicBoolean();
        Async.run(
                () -> {
                    var task = Async.launch(() -> ran.set(true));
                    task.cancel();
                    assertThrows(CancellationException.class, task::await);
                });
        assertFalse(ran.get());
    }

    @Test
    void aFailedChildDoesNotCancelItsParent() throws Exception {
        String result =
                Async.run(
                        () -> {
                            var failing =
                                    Async.launch(
                                            () -> {
                                                throw new IllegalStateException("child failed");
                                            });
                            Async.sleep(Duration.ofMillis(20)).await();
                            assertThrows(IllegalStateException.class, failing::await);
                            return "parent still running";
                        });
        assertEquals("parent still running", result);
    }

    @Test
    void tasksHaveNamesAndKnowTheCurrentTask() throws Exception {
        Async.run(
                () -> {
                    var named = Async.launch("downloader", () -> Async.currentTask().name());
                    assertEquals("downloader", named.await());
                    assertEquals("downloader", named.name());
                    assertTrue(Async.launch(() -> 1).name().startsWith("Task-"));
                });
        assertNull(Async.currentTask());
    }

    @Test
    void allTasksListsTheUnfinishedTasksOfTheLoop() throws Exception {
        Async.run(
                () -> {
                    var sleeper =
                            Async.launch(
                                    "sleeper", () -> Async.sleep(Duration.ofSeconds(30)).await());
                    Async.yieldNow().await();
                    var names = Async.allTasks().stream().map(Task::name).toList();
                    assertTrue(names.contains("sleeper"), names.toString());
                    assertTrue(Async.allTasks().contains(Async.currentTask()));
                    sleeper.cancel();
                });
        assertThrows(IllegalStateException.class, Async::allTasks);
    }

    @Test
    void dependentStagesAreTasksAndAwaitable() throws Exception {
        int value =
                Async.run(
                        () -> {
                            CompletableFuture<Integer> doubled =
                                    Async.launch(() -> 21).thenApply(x -> x * 2);
                            assertInstanceOf(Task.class, doubled);
                            return ((Task<Integer>) doubled).await();
                        });
        assertEquals(42, value);
    }

    @Test
    void awaitingAPlainFutureCompletedByAnotherThreadWorks() throws Exception {
        var future = new CompletableFuture<String>();
        String value =
                Async.run(
                        () -> {
                            new Thread(() -> future.complete("from elsewhere")).start();
                            return Async.await(future);
                        });
        assertEquals("from elsewhere", value);
    }

    @Test
    void completingATaskByHandCancelsItsWork() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    var task =
                            Async.launch(
                                    () -> {
                                        try {
                                            Async.sleep(Duration.ofSeconds(30)).await();
                                            return "slept";
                                        } finally {
                                            trail.add("work stopped");
                                        }
                                    });
                    Async.yieldNow().await();
                    task.complete("given");
                    assertEquals("given", task.await());
                });
        assertEquals(List.of("work stopped"), trail.events());
    }

    @Test
    void anUnretrievedBackgroundFailureIsLoggedOnceTheTaskIsCollected(Reports reports) {
        var forgotten = new java.lang.ref.WeakReference<>(failInTheBackground());
        Throwable reported = reports.awaitTaskFailure("forgotten");
        assertNull(forgotten.get());
        assertEquals("nobody looked", reported.getMessage());
    }

    private static Task<Object> failInTheBackground() {
        return Async.launch(
                "forgotten",
                () -> {
                    throw new IllegalStateException("nobody looked");
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void joinInsideABodyOfAPendingTaskOfTheSameLoopThrowsNamingAwait(BodyThreads kind)
            throws Exception {
        var refused =
                Loops.run(
                        kind,
                        () -> {
                            var task = Async.launch(() -> 1);
                            var joined = assertThrows(IllegalStateException.class, task::join);
                            assertThrows(IllegalStateException.class, task::get);
                            assertThrows(
                                    IllegalStateException.class,
                                    () -> task.get(1, java.util.concurrent.TimeUnit.SECONDS));
                            assertEquals(1, task.await());
                            return joined;
                        });
        assertTrue(refused.getMessage().contains("await()"), refused.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void joinInsideABodyOfACompletedTaskReturnsItsValue(BodyThreads kind) throws Exception {
        assertEquals(
                2,
                Loops.run(
                        kind,
                        () -> {
                            var task = Async.launch(() -> 2);
                            task.await();
                            return task.join();
                        }));
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void cancellingACompletedDependentStageLeavesItsSourceRunning(BodyThreads kind)
            throws Exception {
        Loops.run(
                kind,
                () -> {
                    var slow = Async.sleep(Duration.ofSeconds(5)).thenApply(x -> "slow");
                    var fast = Async.launch(() -> "fast");
                    var either = slow.applyToEither(fast, s -> s);
                    assertEquals("fast", Async.await(either));
                    assertFalse(either.cancel(false));
                    assertFalse(slow.isDone());
                    slow.cancel(false);
                });
    }

    @Test
    void whenCompleteSeesASuccessWithANullFailure() throws Exception {
        var seen = new java.util.ArrayList<String>();
        int value =
                Async.run(
                        () ->
                                Async.await(
                                        Async.launch(() -> 7)
                                                .whenComplete(
                                                        (v, failure) ->
                                                                seen.add(v + " " + failure))));
        assertEquals(7, value);
        assertEquals(List.of("7 null"), seen);
    }
}
