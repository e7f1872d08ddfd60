package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Progress listeners of gather, gatherSettled and asCompleted. */
@Timeout(20)
class ProgressTest {
    private static Task<Integer> after(long millis, int value) {
        return Async.launch(
                () -> {
                    Async.sleep(Duration.ofMillis(millis)).await();
                    return value;
                });
    }

    private static Task<Integer> failingAfter(long millis) {
        return Async.launch(
                () -> {
                    Async.sleep(Duration.ofMillis(millis)).await();
                    throw new IOException("failed after " + millis + " ms");
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void gatherReportsEveryTaskOnceInOrderAndBeforeItsResult(BodyThreads kind) throws Exception {
        var seen = new CopyOnWriteArrayList<Progress>();
        List<Integer> results =
                Loops.run(
                        kind,
                        () -> {
                            var tasks = new ArrayList<Task<Integer>>();
                            for (int i = 0; i < 5; i++) tasks.add(after(10L * (5 - i), i));
                            var gathered =
                                    Async.gather(
                                                    tasks,
                                                    progress -> {
                                                        seen.add(progress);
                                                    })
                                            .await();
                            assertEquals(5, seen.size(), "every report came before the result");
                            return gathered;
                        });
        assertEquals(List.of(0, 1, 2, 3, 4), results);
        assertEquals(
                List.of(
                        new Progress(1, 0, 5),
                        new Progress(2, 0, 5),
                        new Progress(3, 0, 5),
                        new Progress(4, 0, 5),
                        new Progress(5, 0, 5)),
                seen);
        assertTrue(seen.get(4).finished());
    }

    @Test
    void tasksDoneAlreadyAreReportedToo() throws Exception {
        var seen = new CopyOnWriteArrayList<Progress>();
        Async.run(
                () -> {
                    var done = CompletableFuture.completedFuture(1);
                    var failed = CompletableFuture.<Integer>failedFuture(new IOException("no"));
                    Async.gatherSettled(List.of(done, failed), seen::add).await();
                });
        assertEquals(List.of(new Progress(1, 0, 2), new Progress(2, 1, 2)), seen);
    }

    @Test
    void gatherSettledCountsFailuresAndCancellations() throws Exception {
        var seen = new CopyOnWriteArrayList<Progress>();
        var outcomes =
                Async.run(
                        () -> {
                            Task<Integer> cancelled = after(5_000, 9);
                            var tasks = List.of(after(10, 1), failingAfter(20), cancelled);
                            var gathered = Async.gatherSettled(tasks, seen::add);
                            Async.sleep(Duration.ofMillis(40)).await();
                            cancelled.cancel();
                            return gathered.await();
                        });
        assertEquals(3, outcomes.size());
        assertEquals(
                List.of(new Progress(1, 0, 3), new Progress(2, 1, 3), new Progress(3, 2, 3)), seen);
        assertEquals(1, seen.get(2).succeeded());
    }

    @Test
    void aGatherThatFailsStopsReporting() throws Exception {
        var seen = new CopyOnWriteArrayList<Progress>();
        Async.run(
                () -> {
                    Task<Integer> slow = after(100, 2);
                    var gathered = Async.gather(List.of(failingAfter(10), slow), seen::add);
                    assertThrows(IOException.class, gathered::await);
                    slow.await();
                    Async.yieldNow().await();
                });
        assertEquals(List.of(new Progress(1, 1, 2)), seen, "nothing after the gather ended");
    }

    @Test
    void aListenerThatThrowsFailsTheGatherOnceTheTasksEnded() throws Exception {
        var calls = new AtomicInteger();
        var broken = new IllegalStateException("listener bug");
        var tasks = new ArrayList<Task<Integer>>();
        Async.run(
                () -> {
                    for (int i = 0; i < 3; i++) tasks.add(after(10L * (i + 1), i));
                    var gathered =
                            Async.gather(
                                    tasks,
                                    progress -> {
                                        calls.incrementAndGet();
                                        throw broken;
                                    });
                    var thrown = assertThrows(IllegalStateException.class, gathered::await);
                    assertSame(broken, thrown);
                });
        assertEquals(1, calls.get(), "not called again after it threw");
        for (var task : tasks) assertEquals(tasks.indexOf(task), task.join(), "tasks ran on");
    }

    @Test
    void asCompletedReportsEachTaskAsItIsGiven() throws Exception {
        var seen = new CopyOnWriteArrayList<String>();
        Async.run(
                () -> {
                    var tasks = List.of(after(30, 3), failingAfter(10), after(20, 2));
                    for (var task :
                            Async.asCompleted(
                                    tasks,
                                    p -> seen.add(p.done() + "/" + p.total() + " " + p.failed()))) {
                        if (task.isCompletedExceptionally()) {
                            assertThrows(IOException.class, task::await);
                            seen.add("failed");
                        } else {
                            seen.add("got " + task.await());
                        }
                    }
                });
        assertEquals(List.of("1/3 1", "failed", "2/3 1", "got 2", "3/3 1", "got 3"), seen);
    }

    @Test
    void theListenerIsCalledOneAtATimeOnAParallelDispatcher() throws Exception {
        var inside = new AtomicInteger();
        var overlapped = new AtomicInteger();
        var last = new AtomicInteger();
        Async.run(
                Dispatcher.defaultDispatcher(),
                () -> {
                    var tasks = new ArrayList<Task<Integer>>();
                    for (int i = 0; i < 200; i++) {
                        int n = i;
                        tasks.add(Async.compute(() -> n));
                    }
                    Async.gather(
                                    tasks,
                                    progress -> {
                                        if (inside.incrementAndGet() > 1) {
                                            overlapped.incrementAndGet();
                                        }
                                        last.accumulateAndGet(progress.done(), Math::max);
                                        inside.decrementAndGet();
                                    })
                            .await();
                });
        assertEquals(0, overlapped.get());
        assertEquals(200, last.get());
    }

    @Test
    void aMissingListenerIsRefusedAtTheCallSite() throws Exception {
        Async.run(
                () -> {
                    var task = after(1, 1);
                    assertThrows(
                            NullPointerException.class, () -> Async.gather(List.of(task), null));
                    assertThrows(
                            NullPointerException.class,
                            () -> Async.asCompleted(List.of(task), (Consumer<Progress>) null));
                    assertEquals(1, task.await(), "the task is left alone");
                });
    }
}
