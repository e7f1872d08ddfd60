package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.Report;
import dev.corobridge.testing.Reports;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Debug mode's blocked-loop warning: asyncio's "Executing <Task> took 0.5 seconds". */
@Timeout(60)
class DebugModeTest {
    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aBlockingCallInABodyIsReportedOnceWithTheTaskAndWhereItBlocks(
            BodyThreads kind, Reports reports) throws Exception {
        runInDebug(
                kind,
                () -> {
                    Task<Void> other =
                            Async.launch(
                                    "ticker", () -> Async.sleep(Duration.ofMillis(10)).await());
                    Async.launch("blocker", DebugModeTest::sleepOnTheLoop).await();
                    return other.await();
                });
        List<Report> warnings = warnings(reports);
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
        Report warning = warnings.get(0);
        assertTrue(
                warning.message().startsWith("task 'blocker' has held the event loop for "),
                warning.message());
        assertTrue(warning.message().contains("Async.toThread"), warning.message());
        List<String> frames =
                Arrays.stream(warning.exception().getStackTrace())
                        .map(frame -> frame.getClassName() + "." + frame.getMethodName())
                        .toList();
        assertTrue(frames.contains("java.lang.Thread.sleep"), frames::toString);
        assertTrue(
                frames.contains(DebugModeTest.class.getName() + ".sleepOnTheLoop"),
                frames::toString);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void bodiesThatAwaitTheirWaitingAreNotReported(BodyThreads kind, Reports reports)
            throws Exception {
        runInDebug(
                kind,
                () -> {
                    Task<Void> sleeper =
                            Async.launch(
                                    "sleeper", () -> Async.sleep(Duration.ofMillis(400)).await());
                    Async.toThread(
                                    () -> {
                                        Thread.sleep(400);
                                        return null;
                                    })
                            .await();
                    for (int i = 0; i < 2_000; i++) Async.yieldNow().await();
                    return sleeper.await();
                });
        assertEquals(List.of(), warnings(reports));
    }

    @Test
    void offByDefaultAndThenBlockingGoesUnreported(Reports reports) throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            assertFalse(loop.isDebug());
            assertEquals(Duration.ofMillis(100), loop.getSlowCallbackDuration());
            loop.setSlowCallbackDuration(Duration.ofMillis(50));
            loop.runBlocking(DebugModeTest::sleepOnTheLoop);
            assertEquals(List.of(), warnings(reports));
        }
    }

    @Test
    void theSystemPropertyTurnsItOnForEveryNewLoop(Reports reports) throws Exception {
        String before = System.getProperty(EventLoop.DEBUG_PROPERTY);
        System.setProperty(EventLoop.DEBUG_PROPERTY, "true");
        try {
            try (EventLoop loop = EventLoop.create()) {
                assertTrue(loop.isDebug());
            }
            Async.run(DebugModeTest::sleepOnTheLoop);
            List<Report> warnings = warnings(reports);
            assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
            assertTrue(
                    warnings.get(0).message().matches("(?s)task 'Task-\\d+' has held .*"),
                    warnings::toString);
        } finally {
            if (before == null) System.clearProperty(EventLoop.DEBUG_PROPERTY);
            else System.setProperty(EventLoop.DEBUG_PROPERTY, before);
        }
    }

    @Test
    void theWatchdogThreadEndsOnceNoLoopIsWatched() throws Exception {
        runInDebug(BodyThreads.PLATFORM, () -> Async.sleep(Duration.ofMillis(20)).await());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (watchdogThreads() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(0, watchdogThreads());
    }

    @Test
    void badSlowCallbackDurationsFailAtTheCall() {
        try (EventLoop loop = EventLoop.create()) {
            var missing =
                    assertThrows(
                            NullPointerException.class, () -> loop.setSlowCallbackDuration(null));
            assertEquals("duration", missing.getMessage());
            for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofDays(2))) {
                var refused =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> loop.setSlowCallbackDuration(bad));
                assertEquals(
                        "the slow-callback duration must be positive and at most a day, was " + bad,
                        refused.getMessage());
            }
            assertEquals(Duration.ofMillis(100), loop.getSlowCallbackDuration());
        }
    }

    private static <T> T runInDebug(BodyThreads kind, Callable<T> body) throws Exception {
        try (EventLoop loop = EventLoop.create(kind)) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(50));
            return loop.runBlocking(body);
        }
    }

    /** The classic mistake: a blocking call while holding the loop, 8 thresholds long. */
    private static Void sleepOnTheLoop() throws InterruptedException {
        Thread.sleep(400);
        return null;
    }

    private static List<Report> warnings(Reports reports) {
        return reports.take();
    }

    private static long watchdogThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("corobridge-loop-watchdog"))
                .count();
    }
}
