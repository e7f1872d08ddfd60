package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.Report;
import dev.corobridge.testing.Reports;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debug mode's report of a task nobody awaited, with where it was created (asyncio: "coroutine ...
 * was never awaited"), and the creation site in the report of a failure nobody retrieved.
 */
@Timeout(60)
class NeverAwaitedTest {
    @Test
    void aDroppedSleepIsReportedOnceWithTheVerbAndTheLineThatCalledIt(Reports reports)
            throws Exception {
        runInDebug(NeverAwaitedTest::dropASleep);
        List<Report> found = reports.take();
        assertEquals(1, found.size(), found::toString);
        Report report = found.get(0);
        assertEquals(Report.Kind.NEVER_AWAITED, report.kind(), report::toString);
        String site = NeverAwaitedTest.class.getName() + ".dropASleep(NeverAwaitedTest.java:";
        assertTrue(
                report.message()
                        .matches(
                                "task 'Task-\\d+' from Async\\.sleep at "
                                        + java.util.regex.Pattern.quote(site)
                                        + "\\d+\\) was never awaited: .*await it, or cancel\\(\\) it"
                                        + " if it is not needed"),
                report.message());
        StackTraceElement created = report.exception().getStackTrace()[0];
        assertEquals("dropASleep", created.getMethodName());
        assertEquals(NeverAwaitedTest.class.getName(), created.getClassName());
    }

    @Test
    void aTaskNobodyWaitsForIsReportedAndEveryWayOfWaitingForOneCounts(Reports reports)
            throws Exception {
        runInDebug(
                () -> {
                    Async.launch("forgotten", () -> null);
                    Async.launch("awaited", () -> null).await();
                    Async.await(Async.launch("mapped", () -> null).thenApply(value -> value));
                    Async.launch("cancelled", () -> Async.sleep(Duration.ofSeconds(30)).await())
                            .cancel();
                    Async.gather(List.of(Async.launch("gathered", () -> 1))).await();
                    Async.taskGroup(
                                    group -> {
                                        group.launch("in a group", () -> null);
                                    })
                            .await();
                    Task<Void> inner =
                            Async.launch(
                                    "shielded", () -> Async.sleep(Duration.ofMillis(50)).await());
                    // The shield's task is awaited by a task cancelled during that wait.
                    Task<Void> waiter = Async.launch(() -> Async.shield(inner).await());
                    Async.yieldNow().await();
                    waiter.cancel();
                    Async.wait(
                                    List.of(Async.launch("waited for", () -> null)),
                                    ReturnWhen.ALL_COMPLETED)
                            .await();
                    return null;
                });
        List<String> unawaited = new ArrayList<>();
        for (Report report : reports.take()) {
            assertEquals(Report.Kind.NEVER_AWAITED, report.kind(), report::toString);
            unawaited.add(report.source());
        }
        assertEquals(List.of("forgotten"), unawaited);
    }

    @Test
    void aFailureNobodyRetrievedIsReportedOnceAndNamesWhereItsTaskWasCreated(Reports reports)
            throws Exception {
        runInDebug(
                () -> {
                    launchAFailure();
                    return Async.sleep(Duration.ofMillis(20)).await();
                });
        List<Report> found = reports.take();
        assertEquals(1, found.size(), found::toString);
        Report report = found.get(0);
        assertEquals(Report.Kind.TASK_FAILURE, report.kind(), report::toString);
        assertEquals("failing", report.source());
        String site =
                "(from Async.launch at "
                        + NeverAwaitedTest.class.getName()
                        + ".launchAFailure(NeverAwaitedTest.java:";
        assertTrue(report.message().contains(site), report.message());
        assertEquals("lost", report.exception().getMessage());
    }

    @Test
    void aDroppedTaskCollectedWhileTheLoopRunsIsReportedThenAndNotAgain(Reports reports)
            throws Exception {
        List<Report> whileRunning =
                runInDebug(
                        () -> {
                            dropATask();
                            List<Report> seen = new ArrayList<>();
                            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                            while (seen.isEmpty() && System.nanoTime() < deadline) {
                                System.gc();
                                Async.sleep(Duration.ofMillis(20)).await();
                                seen.addAll(reports.take());
                            }
                            return seen;
                        });
        assertEquals(1, whileRunning.size(), whileRunning::toString);
        assertEquals("dropped", whileRunning.get(0).source());
        assertEquals(List.of(), reports.take());
    }

    @Test
    void outOfDebugModeNothingIsTrackedOrReported(Reports reports) throws Exception {
        Async.run(
                () -> {
                    Async.launch("forgotten", () -> null);
                    Async.sleep(Duration.ofMillis(1));
                    Async.yieldNow().await();
                    String dump = Async.dumpTasks();
                    assertTrue(!dump.contains("age"), dump); // no creation time was kept
                    return null;
                });
        assertEquals(List.of(), reports.take());
    }

    @Test
    void aDumpInDebugModeShowsEachTaskAge() throws Exception {
        String dump =
                runInDebug(
                        () -> {
                            Task<Void> sleeper =
                                    Async.launch(
                                            "sleeper",
                                            () -> Async.sleep(Duration.ofSeconds(30)).await());
                            Async.sleep(Duration.ofMillis(150)).await();
                            String text = Async.dumpTasks();
                            sleeper.cancel();
                            return text;
                        });
        List<String> lines = dump.lines().toList();
        assertEquals(2, lines.size(), dump);
        assertTrue(lines.get(0).matches("Task-\\d+ \\(running, age \\d+ ms\\) at .*"), dump);
        var sleeper =
                java.util.regex.Pattern.compile(
                                "  sleeper \\(awaiting a sleep, age (\\d+) ms\\) at .*")
                        .matcher(lines.get(1));
        assertTrue(sleeper.matches(), dump);
        assertTrue(Integer.parseInt(sleeper.group(1)) >= 150, dump);
    }

    private static Void dropASleep() {
        Async.sleep(Duration.ofMillis(1)); // the classic mistake: no await()
        return null;
    }

    private static void launchAFailure() {
        Async.launch(
                "failing",
                () -> {
                    throw new IOException("lost");
                });
    }

    private static void dropATask() {
        assertNotNull(Async.launch("dropped", () -> null));
    }

    private static <T> T runInDebug(Callable<T> body) throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            loop.setDebug(true);
            return loop.runBlocking(body);
        }
    }
}
