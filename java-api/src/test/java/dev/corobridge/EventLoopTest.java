package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class EventLoopTest {
    /** Races per body-thread kind; scale with {@code -Dcorobridge.races=N}. */
    private static final int RACES = Integer.getInteger("corobridge.races", 300);

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void runUntilCompleteFromTwoThreadsAtOnceRunsOneAndRefusesTheOther(BodyThreads kind)
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
     * Two threads call runUntilComplete on one loop together. The body that gets to run stays until
     * the other caller has been refused, so the two calls always overlap.
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
                            return loop.runUntilComplete(
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
}
