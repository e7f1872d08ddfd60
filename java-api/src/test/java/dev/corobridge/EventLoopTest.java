package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import dev.corobridge.testing.Reports;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class EventLoopTest {
    /** Races per body-thread kind; scale with {@code -Dcorobridge.races=N}. */
    private static final int RACES = Integer.getInteger("corobridge.races", 300);

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void runBlockingFromTwoThreadsAtOnceRunsOneAndRefusesTheOther(BodyThreads kind)
            throws Exception {
        ExecutorService callers =
                Executors.newFixedThreadPool(
                        2,
                        runnable -> {
                            // Daemon: a caller stuck by a regression must not keep the JVM alive.
                            var thread = new Thread(runnable, "caller");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            for (int race = 0; race < RACES; race++) {
                List<String> outcomes = raceTwoCallers(kind, callers);
                assertTrue(
                        outcomes.contains("ran")
                                && outcomes.stream()
                                        .anyMatch(
                                                o ->
                                                        o.startsWith(
                                                                "refused: the event loop is"
                                                                        + " already running")),
                        "race " + race + ": " + outcomes);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Two threads call runBlocking on one loop together. The body that gets to run stays until the
     * other caller has been refused, so the two calls always overlap.
     */
    private static List<String> raceTwoCallers(BodyThreads kind, ExecutorService callers)
            throws Exception {
        try (EventLoop loop = EventLoop.create(kind)) {
            var arrived = new AtomicInteger();
            var refused = new CompletableFuture<Void>();
            var inside = new AtomicInteger();
            Callable<String> call =
                    () -> {
                        // Spin, not a barrier: a barrier wakes one caller tens of µs after the
                        // other, and that is enough for the first call to be past the check.
                        arrived.incrementAndGet();
                        while (arrived.get() < 2) Thread.onSpinWait();
                        try {
                            return loop.runBlocking(
                                    () -> {
                                        if (inside.incrementAndGet() > 1) return "overlapped";
                                        // Bounded: with two bodies in, nobody is refused.
                                        Async.await(refused.orTimeout(5, TimeUnit.SECONDS));
                                        inside.decrementAndGet();
                                        return "ran";
                                    });
                        } catch (IllegalStateException e) {
                            refused.complete(null);
                            return "refused: " + e.getMessage();
                        } catch (Exception e) {
                            return "failed: " + e;
                        }
                    };
            List<Future<String>> calls = List.of(callers.submit(call), callers.submit(call));
            var outcomes = new ArrayList<String>();
            for (Future<String> outcome : calls) outcomes.add(outcome.get(10, TimeUnit.SECONDS));
            return outcomes;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aThrowingExceptionHandlerStillReceivesEveryFailureAndTheBodysResultStands(
            BodyThreads kind, Reports reports) throws Exception {
        var handed = new CopyOnWriteArrayList<String>();
        try (EventLoop loop = EventLoop.create(kind);
                var log = new RecordedLog()) {
            loop.setExceptionHandler(
                    (name, exception) -> {
                        handed.add(name + ": " + exception.getMessage());
                        throw new IllegalStateException("handler failed on " + name);
                    });
            String result =
                    loop.runBlocking(
                            () -> {
                                Async.launch("first", () -> fail("lost 1"));
                                Async.launch("second", () -> fail("lost 2"));
                                return "body's result";
                            });
            assertEquals("body's result", result);
            assertEquals(List.of("first: lost 1", "second: lost 2"), sorted(handed));
            assertEquals(2, log.records().stream().filter(r -> r.startsWith("SEVERE")).count());
            assertEquals(log.records().size(), reports.take().size());
        }
    }

    @Test
    void anExceptionHandlersOwnExceptionIsLoggedWithTheFailureItWasGiven(Reports reports)
            throws Exception {
        var handlerFailure = new IllegalStateException("handler failed");
        var lost = new IllegalArgumentException("lost");
        try (EventLoop loop = EventLoop.create();
                var log = new RecordedLog()) {
            loop.setExceptionHandler(
                    (name, exception) -> {
                        throw handlerFailure;
                    });
            loop.runBlocking(
                    () -> {
                        Async.launch(
                                "forgotten",
                                () -> {
                                    throw lost;
                                });
                    });
            assertEquals(
                    List.of(
                            "SEVERE: the exception handler failed on task 'forgotten'"
                                    + " / handler failed",
                            "WARNING: Task exception was never retrieved: task 'forgotten' / lost"),
                    log.records());
            assertEquals(2, reports.take().size());
        }
    }

    private static void fail(String message) {
        throw new IllegalStateException(message);
    }

    private static List<String> sorted(List<String> list) {
        var copy = new ArrayList<>(list);
        copy.sort(null);
        return copy;
    }

    /**
     * What corobridge logs through System.Logger (java.util.logging underneath) while open, as
     * "LEVEL: message / thrown's message"; the records are not printed meanwhile.
     */
    private static final class RecordedLog extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.corobridge");
        private final boolean parentHandlers = logger.getUseParentHandlers();
        private final List<String> records = new CopyOnWriteArrayList<>();

        RecordedLog() {
            logger.addHandler(this);
            logger.setUseParentHandlers(false);
        }

        List<String> records() {
            return List.copyOf(records);
        }

        @Override
        public void publish(LogRecord record) {
            var thrown = record.getThrown();
            records.add(
                    record.getLevel()
                            + ": "
                            + record.getMessage()
                            + (thrown == null ? "" : " / " + thrown.getMessage()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setUseParentHandlers(parentHandlers);
        }
    }
}
