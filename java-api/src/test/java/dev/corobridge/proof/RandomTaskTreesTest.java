package dev.corobridge.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Outcome;
import dev.corobridge.Task;
import dev.corobridge.testing.Capture;
import dev.corobridge.testing.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random task trees, run by corobridge and checked against a small reference model of what each
 * task's end must be. A tree's shape, each task's ending, and how its parent deals with it are
 * random; timing is not part of the model: a task that is cancelled or timed out is one that would
 * never end by itself, so every prediction holds whatever the interleaving.
 *
 * <p>Checked for each tree: every task ends as predicted (a value, its own exception object, a
 * cancellation or a timeout); every failure reaches the task that awaited it, or the "never
 * retrieved" report, exactly once; and once {@code Async.runBlocking} returns, every task has ended
 * and no thread is left running a body.
 */
class RandomTaskTreesTest {
    private static final AtomicInteger TREES = new AtomicInteger();
    private static final AtomicLong TASKS = new AtomicLong();
    private static final AtomicLong FAILURES_AWAITED = new AtomicLong();
    private static final AtomicLong FAILURES_REPORTED = new AtomicLong();
    private static final AtomicLong CANCELLED = new AtomicLong();

    /** How a task ends when nothing stops it. */
    enum Ending {
        VALUE,
        FAILURE,
        /** Never ends by itself: its parent cancels it or times it out. */
        HANG
    }

    /** What the parent does with a child. */
    enum Handling {
        AWAIT,
        GATHER,
        DROP,
        CANCEL,
        TIME_OUT,
        GROUP
    }

    /**
     * One task: its children, how its parent handles it, how it ends, and the turns it yields
     * before ending. A hanging task has no children, so cancelling it stops nothing else.
     */
    record Spec(Ending ending, Handling handling, int yields, List<Spec> children) {
        int size() {
            return 1 + children.stream().mapToInt(Spec::size).sum();
        }
    }

    @Property(tries = 400)
    void everyTaskEndsAsPredictedAndNoFailureIsLostOrReportedTwice(
            @ForAll("trees") List<Spec> roots) throws Exception {
        Capture.INSTANCE.install(); // jqwik runs no JUnit extension: the capture is read here
        List<Run> runs = new ArrayList<>();
        List<Run> dropped = new ArrayList<>();
        // runBlocking waits for the dropped tasks too (Async.run would cancel those still running).
        Async.runBlocking(
                () -> {
                    runChildren(roots, runs, dropped);
                    return null;
                });

        Map<String, Throwable> reported = new HashMap<>();
        for (Report report : Capture.INSTANCE.drain()) {
            // Only this property's tasks: a test before it may have a collected task reported now.
            if (!report.source().startsWith(PREFIX)) continue;
            assertEquals(Report.Kind.TASK_FAILURE, report.kind(), report::toString);
            Throwable before = reported.put(report.source(), report.exception());
            assertEquals(null, before, () -> "reported twice: " + report);
        }
        Map<String, Throwable> expected = new HashMap<>();
        for (Run run : dropped)
            if (run.spec.ending == Ending.FAILURE) expected.put(run.name, run.failure);
        assertEquals(expected.keySet(), reported.keySet(), "the failures nobody awaited");
        expected.forEach((name, failure) -> assertSame(failure, reported.get(name), name));

        for (Run run : runs) {
            assertTrue(
                    run.task.isDone(), () -> run.name + " still running after Async.runBlocking");
            run.checkEnd();
        }
        assertNoBodyRunsAnyMore();

        TREES.incrementAndGet();
        TASKS.addAndGet(runs.size());
        FAILURES_REPORTED.addAndGet(expected.size());
        CANCELLED.addAndGet(runs.stream().filter(run -> run.spec.ending == Ending.HANG).count());
    }

    /** A task as started, with what the model predicts for it. */
    static final class Run {
        final Spec spec;
        final String name;
        final Task<Integer> task;

        /** The exception its body throws, if it fails: the same object must reach its awaiter. */
        final Exception failure;

        Run(Spec spec, String name, Task<Integer> task, Exception failure) {
            this.spec = spec;
            this.name = name;
            this.task = task;
            this.failure = failure;
        }

        void checkEnd() {
            if (spec.ending != Ending.HANG && task.isCancelled())
                throw new AssertionError(name + " was cancelled, but nothing cancels " + spec);
            switch (spec.ending) {
                case VALUE -> assertEquals(spec.size(), task.join(), name);
                case FAILURE -> {
                    var thrown = assertThrows(CompletionException.class, task::join, name);
                    assertSame(failure, thrown.getCause(), name);
                }
                case HANG -> assertTrue(task.isCancelled(), () -> name + ": " + task);
            }
        }
    }

    /** Starts [specs] as tasks of the caller, deals with each as its handling says. */
    private static void runChildren(List<Spec> specs, List<Run> runs, List<Run> dropped)
            throws Exception {
        List<Run> started = new ArrayList<>();
        List<Spec> grouped = specs.stream().filter(s -> s.handling == Handling.GROUP).toList();
        for (Spec spec : specs)
            if (spec.handling != Handling.GROUP) started.add(start(spec, runs, dropped));
        for (Run run : started) {
            switch (run.spec.handling) {
                case AWAIT -> awaitAndCheck(run);
                case DROP -> dropped.add(run);
                case CANCEL -> {
                    Async.yieldNow().await();
                    run.task.cancel();
                    try {
                        run.task.await();
                        throw new AssertionError(run.name + " ended though it was cancelled");
                    } catch (CancellationException expected) {
                        // what a cancelled task gives its awaiter
                    }
                }
                case TIME_OUT -> {
                    try {
                        Async.waitFor(run.task, Duration.ofMillis(2)).await();
                        throw new AssertionError(run.name + " ended though it never ends");
                    } catch (TimeoutException expected) {
                        assertTrue(run.task.isCancelled(), run.name);
                    }
                }
                case GATHER, GROUP -> {}
            }
        }
        List<Run> gathered =
                started.stream().filter(r -> r.spec.handling == Handling.GATHER).toList();
        if (!gathered.isEmpty()) {
            List<Outcome<Integer>> outcomes =
                    Async.gatherSettled(gathered.stream().map(r -> r.task).toList()).await();
            for (int i = 0; i < gathered.size(); i++) {
                Run run = gathered.get(i);
                Outcome<Integer> expected =
                        run.spec.ending == Ending.FAILURE
                                ? new Outcome.Failure<>(run.failure)
                                : new Outcome.Success<>(run.spec.size());
                assertEquals(expected, outcomes.get(i), run.name);
                if (run.failure != null) FAILURES_AWAITED.incrementAndGet();
            }
        }
        if (!grouped.isEmpty()) runGroup(grouped, runs, dropped);
    }

    /**
     * A task group of [specs]: all end with values, or one fails and the others hang until the
     * group cancels them (the generator gives no other mix: which of two failures comes first
     * depends on timing).
     */
    private static void runGroup(List<Spec> specs, List<Run> runs, List<Run> dropped)
            throws Exception {
        List<Run> members = new ArrayList<>();
        Exception failure = null;
        try {
            Async.taskGroup(
                            group -> {
                                for (Spec spec : specs)
                                    members.add(start(spec, runs, dropped, group::launch));
                            })
                    .await();
        } catch (Exception e) {
            failure = e;
        }
        Run failing =
                members.stream()
                        .filter(m -> m.spec.ending == Ending.FAILURE)
                        .findFirst()
                        .orElse(null);
        if (failing == null) assertEquals(null, failure);
        else assertSame(failing.failure, failure, "the group's failure is its failing task's");
    }

    interface Launcher {
        Task<Integer> launch(String name, java.util.concurrent.Callable<Integer> body);
    }

    private static Run start(Spec spec, List<Run> runs, List<Run> dropped) {
        return start(spec, runs, dropped, Async::launch);
    }

    private static Run start(Spec spec, List<Run> runs, List<Run> dropped, Launcher launcher) {
        String name = PREFIX + NAMES.incrementAndGet();
        Exception failure =
                spec.ending == Ending.FAILURE ? new IllegalStateException(name + " failed") : null;
        CompletableFuture<Integer> never = new CompletableFuture<>();
        Task<Integer> task =
                launcher.launch(
                        name,
                        () -> {
                            runChildren(spec.children, runs, dropped);
                            for (int i = 0; i < spec.yields; i++) Async.yieldNow().await();
                            return switch (spec.ending) {
                                case VALUE -> spec.size();
                                case FAILURE -> throw failure;
                                case HANG -> Async.await(never);
                            };
                        });
        Run run = new Run(spec, name, task, failure);
        runs.add(run);
        return run;
    }

    private static final AtomicLong NAMES = new AtomicLong();
    private static final String PREFIX = "tree-task-";

    /** Levels of tasks under the main task. */
    private static final int DEPTH = 3;

    private static void awaitAndCheck(Run run) throws Exception {
        try {
            int value = run.task.await();
            assertEquals(run.spec.size(), value, run.name);
        } catch (IllegalStateException e) {
            assertSame(run.failure, e, run.name);
            FAILURES_AWAITED.incrementAndGet();
        }
    }

    /** Polls until no thread runs a task body: bodies end before the run returns. */
    private static void assertNoBodyRunsAnyMore() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> busy;
        do {
            busy = threadsInABody();
            if (busy.isEmpty()) return;
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("threads still in a task body: " + busy);
    }

    private static List<String> threadsInABody() {
        List<String> busy = new ArrayList<>();
        Thread.getAllStackTraces()
                .forEach(
                        (thread, stack) -> {
                            for (StackTraceElement frame : stack)
                                if (frame.getClassName()
                                                .startsWith(RandomTaskTreesTest.class.getName())
                                        && thread != Thread.currentThread()) {
                                    busy.add(thread.getName());
                                    return;
                                }
                        });
        return busy;
    }

    @Provide
    Arbitrary<List<Spec>> trees() {
        return children(DEPTH);
    }

    private static Arbitrary<List<Spec>> children(int depth) {
        Arbitrary<Spec> child = spec(depth);
        return child.list()
                .ofMinSize(depth == DEPTH ? 1 : 0)
                .ofMaxSize(5)
                .filter(RandomTaskTreesTest::groupIsPredictable);
    }

    /** A group's members: all end with values, or exactly one fails and the others hang. */
    private static boolean groupIsPredictable(List<Spec> specs) {
        List<Spec> group = specs.stream().filter(s -> s.handling == Handling.GROUP).toList();
        long failures = group.stream().filter(s -> s.ending == Ending.FAILURE).count();
        long hanging = group.stream().filter(s -> s.ending == Ending.HANG).count();
        return (failures == 0 && hanging == 0) || (failures == 1 && hanging == group.size() - 1);
    }

    private static Arbitrary<Spec> spec(int depth) {
        Arbitrary<Handling> handling = Arbitraries.of(Handling.class);
        Arbitrary<Integer> yields = Arbitraries.integers().between(0, 3);
        Arbitrary<List<Spec>> kids =
                depth <= 1
                        ? Arbitraries.just(List.of())
                        : Arbitraries.lazy(() -> children(depth - 1));
        return Combinators.combine(handling, Arbitraries.of(Ending.class), yields, kids)
                .as(
                        (how, ending, turns, under) -> {
                            // Only a cancelled, timed-out or group-cancelled task may hang; and it
                            // has no children, so its cancellation stops nothing else.
                            boolean mayHang =
                                    how == Handling.CANCEL
                                            || how == Handling.TIME_OUT
                                            || how == Handling.GROUP;
                            Ending end =
                                    how == Handling.CANCEL || how == Handling.TIME_OUT
                                            ? Ending.HANG
                                            : ending == Ending.HANG && !mayHang
                                                    ? Ending.VALUE
                                                    : ending;
                            return new Spec(
                                    end, how, turns, end == Ending.HANG ? List.of() : under);
                        });
    }

    @AfterContainer
    static void printFigures() {
        System.out.printf(
                "random task trees: %d trees, %d tasks, %d failures awaited, %d reported once as"
                        + " never retrieved, %d never-ending tasks cancelled; none lost%n",
                TREES.get(),
                TASKS.get(),
                FAILURES_AWAITED.get(),
                FAILURES_REPORTED.get(),
                CANCELLED.get());
    }
}
