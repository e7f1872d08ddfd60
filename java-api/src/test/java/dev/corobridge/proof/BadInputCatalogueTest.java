package dev.corobridge.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corobridge.Async;
import dev.corobridge.EventLoop;
import dev.corobridge.ReturnWhen;
import dev.corobridge.Task;
import dev.corobridge.sync.AsyncBarrier;
import dev.corobridge.sync.AsyncLock;
import dev.corobridge.sync.AsyncQueue;
import dev.corobridge.sync.AsyncSemaphore;
import dev.corobridge.sync.BoundedSemaphore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catalogue of bad inputs users read, {@code docs/bad-inputs.md}, is what this test finds: each
 * input is tried, and the exception and message it gets, or its outcome when it is no error, must
 * be the catalogue's row. A call made inside a task must also start nothing (the loop has no more
 * tasks after it). After changing a message, rewrite the catalogue with {@code mvn -pl
 * test-support,kotlin-core,java-api verify -Dtest=BadInputCatalogueTest
 * -Dcorobridge.docs.update=true} and review the diff.
 */
@Timeout(60)
class BadInputCatalogueTest {
    /** One bad input: where it is tried, the call as users write it, and the call itself. */
    record Case(String input, String call, boolean inATask, Callable<?> attempt) {}

    record Section(String title, List<Case> cases) {}

    @Test
    void everyBadInputGetsTheCataloguedAnswerAtItsCall() throws Exception {
        StringBuilder text = new StringBuilder(HEADER);
        int tried = 0;
        for (Section section : catalogue()) {
            text.append("\n## ").append(section.title).append("\n\n");
            text.append("| input | call | what it gets |\n|---|---|---|\n");
            for (Case c : section.cases) {
                text.append("| ")
                        .append(c.input)
                        .append(" | `")
                        .append(c.call)
                        .append("` | ")
                        .append(answer(c).replace("|", "\\|"))
                        .append(" |\n");
                tried++;
            }
        }
        CataloguePage.check("bad-inputs.md", text.toString());
        System.out.printf("bad inputs: %d tried, each with its catalogued answer%n", tried);
    }

    /** What the call gets: its exception and message, or its value when it is no error. */
    private static String answer(Case c) throws Exception {
        if (!c.inATask) return describe(c.attempt);
        return Async.run(
                () -> {
                    int before = Async.allTasks().size();
                    String answer = describe(c.attempt);
                    Async.yieldNow().await();
                    assertEquals(before, Async.allTasks().size(), c.call + " started a task");
                    return answer;
                });
    }

    private static String describe(Callable<?> attempt) {
        try {
            return "no error: `" + attempt.call() + "`";
        } catch (Throwable e) {
            return "`" + e.getClass().getSimpleName() + "`: " + e.getMessage();
        }
    }

    private static List<Section> catalogue() {
        return List.of(
                new Section(
                        "Null arguments",
                        List.of(
                                anywhere(
                                        "a null body",
                                        "Async.run((Callable<T>) null)",
                                        () -> Async.run((Callable<Object>) null)),
                                anywhere(
                                        "a null task name",
                                        "Async.launch(null, body)",
                                        () -> Async.launch(null, () -> 1)),
                                anywhere(
                                        "a null duration",
                                        "Async.sleep(null)",
                                        () -> Async.sleep(null)),
                                anywhere(
                                        "a null task list",
                                        "Async.gather((List<Task<T>>) null)",
                                        () -> Async.gather((List<Task<Object>>) null)),
                                anywhere(
                                        "a null task in a list",
                                        "Async.gather(Arrays.asList(task, null))",
                                        () ->
                                                Async.gather(
                                                        Arrays.asList(
                                                                new CompletableFuture<>(), null))),
                                anywhere(
                                        "a null future to await",
                                        "Async.await(null)",
                                        () -> Async.await(null)))),
                new Section(
                        "Durations",
                        List.of(
                                anywhere(
                                        "a negative sleep",
                                        "Async.sleep(Duration.ofMillis(-1))",
                                        () -> Async.sleep(Duration.ofMillis(-1))),
                                anywhere(
                                        "a negative time limit",
                                        "Async.timeout(Duration.ofSeconds(-1), body)",
                                        () -> Async.timeout(Duration.ofSeconds(-1), () -> 1)),
                                anywhere(
                                        "a negative wait",
                                        "Async.waitFor(task, Duration.ofSeconds(-1))",
                                        () ->
                                                Async.waitFor(
                                                        new CompletableFuture<>(),
                                                        Duration.ofSeconds(-1))),
                                inATask(
                                        "a huge sleep: forever, until cancelled",
                                        "Async.sleep(Duration.ofSeconds(Long.MAX_VALUE))",
                                        () -> {
                                            Task<Void> sleep =
                                                    Async.sleep(Duration.ofSeconds(Long.MAX_VALUE));
                                            Async.yieldNow().await();
                                            boolean pending = !sleep.isDone();
                                            sleep.cancel();
                                            return pending ? "pending" : "done";
                                        }),
                                anywhere(
                                        "a zero slow-callback duration",
                                        "loop.setSlowCallbackDuration(Duration.ZERO)",
                                        () -> {
                                            try (EventLoop loop = EventLoop.create()) {
                                                loop.setSlowCallbackDuration(Duration.ZERO);
                                                return null;
                                            }
                                        }))),
                new Section(
                        "Task lists",
                        List.of(
                                inATask(
                                        "no tasks to gather",
                                        "Async.gather(List.of()).await()",
                                        () -> Async.gather(List.<Task<Object>>of()).await()),
                                inATask(
                                        "the same task twice",
                                        "Async.gather(List.of(task, task)).await()",
                                        () -> {
                                            Task<String> task = Async.launch(() -> "x");
                                            return Async.gather(List.of(task, task)).await();
                                        }),
                                inATask(
                                        "no tasks to wait for",
                                        "Async.wait(List.of(), ReturnWhen.ALL_COMPLETED)",
                                        () ->
                                                Async.wait(
                                                        List.<Task<Object>>of(),
                                                        ReturnWhen.ALL_COMPLETED)))),
                new Section(
                        "Loops and tasks",
                        List.of(
                                anywhere(
                                        "await outside a task",
                                        "task.await() on a plain thread",
                                        BadInputCatalogueTest::awaitOutside),
                                inATask(
                                        "Async.run inside a task",
                                        "Async.run(body) in a task",
                                        () -> Async.run(() -> 1)),
                                inATask(
                                        "a blocking join on the same loop",
                                        "task.join() in a task of its loop",
                                        () -> {
                                            Task<Void> other =
                                                    Async.launch(
                                                            "other",
                                                            () ->
                                                                    Async.sleep(
                                                                                    Duration
                                                                                            .ofSeconds(
                                                                                                    1))
                                                                            .await());
                                            try {
                                                return other.join();
                                            } finally {
                                                other.cancel();
                                            }
                                        }),
                                inATask(
                                        "a task that awaits itself",
                                        "Async.currentTask().await() in task 'self'",
                                        () ->
                                                Async.launch(
                                                                "self",
                                                                () -> Async.currentTask().await())
                                                        .await()),
                                anywhere(
                                        "a task of another loop, still running",
                                        "task.await() in a task of another loop",
                                        BadInputCatalogueTest::awaitATaskOfAnotherLoop),
                                anywhere(
                                        "a closed loop",
                                        "loop.runBlocking(body) after loop.close()",
                                        () -> {
                                            EventLoop loop = EventLoop.create();
                                            loop.close();
                                            return loop.runBlocking(() -> 1);
                                        }),
                                anywhere(
                                        "a dump outside a task",
                                        "Async.dumpTasks() on a plain thread",
                                        Async::dumpTasks),
                                anywhere(
                                        "overwriting a task's outcome",
                                        "task.obtrudeValue(v)",
                                        () -> {
                                            Task<Integer> task =
                                                    Async.run(() -> Async.launch("t", () -> 1));
                                            task.obtrudeValue(2);
                                            return null;
                                        }))),
                new Section(
                        "Primitives",
                        List.of(
                                anywhere(
                                        "a lock released while free",
                                        "new AsyncLock().release()",
                                        () -> {
                                            new AsyncLock().release();
                                            return null;
                                        }),
                                anywhere(
                                        "a bounded semaphore released too often",
                                        "new BoundedSemaphore(1).release()",
                                        () -> {
                                            new BoundedSemaphore(1).release();
                                            return null;
                                        }),
                                anywhere(
                                        "a negative semaphore",
                                        "new AsyncSemaphore(-1)",
                                        () -> new AsyncSemaphore(-1)),
                                anywhere(
                                        "a barrier for no one",
                                        "new AsyncBarrier(0)",
                                        () -> new AsyncBarrier(0)),
                                anywhere(
                                        "a negative queue capacity",
                                        "AsyncQueue.fifo(-1)",
                                        () -> AsyncQueue.fifo(-1)),
                                anywhere(
                                        "taskDone() more often than items were put",
                                        "AsyncQueue.fifo().taskDone()",
                                        () -> {
                                            AsyncQueue.fifo().taskDone();
                                            return null;
                                        }),
                                inATask(
                                        "a put after shutdown",
                                        "queue.put(item).await() after queue.shutdown()",
                                        () -> {
                                            AsyncQueue<String> queue = AsyncQueue.fifo();
                                            queue.shutdown();
                                            return queue.put("late").await();
                                        }))));
    }

    private static Object awaitOutside() throws Exception {
        Task<Integer> task = Async.run(() -> Async.launch("t", () -> 1));
        return task.await();
    }

    /** A task pending on a loop that another thread runs, awaited from a task of a second loop. */
    private static Object awaitATaskOfAnotherLoop() throws Exception {
        CompletableFuture<Task<String>> shared = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        Thread otherLoop =
                new Thread(
                        () -> {
                            try {
                                Async.run(
                                        () -> {
                                            Task<String> task =
                                                    Async.launch(
                                                            "elsewhere",
                                                            () -> {
                                                                Async.toThread(
                                                                                () -> {
                                                                                    release.await();
                                                                                    return null;
                                                                                })
                                                                        .await();
                                                                return "from the other loop";
                                                            });
                                            shared.complete(task);
                                            return task.await();
                                        });
                            } catch (Exception e) {
                                shared.completeExceptionally(e);
                            }
                        });
        otherLoop.start();
        try {
            Task<String> elsewhere = shared.get();
            return Async.run(
                    () -> {
                        Async.launch(
                                () -> {
                                    Async.sleep(Duration.ofMillis(20)).await();
                                    release.countDown();
                                });
                        return elsewhere.await();
                    });
        } finally {
            release.countDown();
            otherLoop.join();
        }
    }

    private static Case anywhere(String input, String call, Callable<?> attempt) {
        return new Case(input, call, false, attempt);
    }

    private static Case inATask(String input, String call, Callable<?> attempt) {
        return new Case(input, call, true, attempt);
    }

    private static final String HEADER =
            """
            # Bad inputs and what they get

            Each row is a call made with a bad (or borderline) input, and what corobridge answers: the
            exception it throws at the call, with its message, or its outcome when the input is no
            error. `BadInputCatalogueTest` makes every call and checks that this page says what it
            gets; a rejected call made inside a task starts no task. Generated: rewrite it with
            `-Dcorobridge.docs.update=true` after changing a message.
            """;
}
