package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(10)
class BadInputTest {
    private static void assertNullRejected(String parameter, Executable call) {
        var error = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, error.getMessage());
    }

    @Test
    void nullArgumentsAreRejectedNamingTheParameter() {
        assertNullRejected("body", () -> Async.run((Callable<Object>) null));
        assertNullRejected("body", () -> Async.run((AsyncRunnable) null));
        assertNullRejected("dispatcher", () -> Async.run((Dispatcher) null, () -> 1));
        assertNullRejected("body", () -> Async.runBlocking((Callable<Object>) null));
        assertNullRejected("body", () -> Async.launch((Callable<Object>) null));
        assertNullRejected("name", () -> Async.launch(null, () -> 1));
        assertNullRejected("duration", () -> Async.sleep(null));
        assertNullRejected("limit", () -> Async.timeout(null, () -> 1));
        assertNullRejected("body", () -> Async.timeout(Duration.ZERO, (Callable<Object>) null));
        assertNullRejected("task", () -> Async.waitFor(null, Duration.ZERO));
        assertNullRejected("limit", () -> Async.waitFor(new CompletableFuture<>(), null));
        assertNullRejected("task", () -> Async.shield(null));
        assertNullRejected("tasks", () -> Async.gather((List<CompletableFuture<Object>>) null));
        assertNullRejected("body", () -> Async.taskGroup(null));
        assertNullRejected("work", () -> Async.toThread((Callable<Object>) null));
        assertNullRejected("work", () -> Async.compute(null));
        assertNullRejected("stage", () -> Async.await(null));
        assertNullRejected("executor", () -> Dispatcher.fromExecutor(null));
        assertNullRejected("threads", () -> EventLoop.create(null));
    }

    @Test
    void aNullTaskInGatherIsRejectedAtTheCall() {
        var error =
                assertThrows(
                        NullPointerException.class,
                        () -> Async.gather(Arrays.asList(new CompletableFuture<>(), null)));
        assertTrue(error.getMessage().contains("tasks[1]"), error.getMessage());
    }

    @Test
    void negativeDurationsAreRejected() {
        var error =
                assertThrows(
                        IllegalArgumentException.class, () -> Async.sleep(Duration.ofMillis(-1)));
        assertEquals("duration must not be negative, was PT-0.001S", error.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Async.timeout(Duration.ofSeconds(-1), () -> 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> Async.waitFor(new CompletableFuture<>(), Duration.ofSeconds(-1)));
    }

    @Test
    void badInputLosesNothing() throws Exception {
        // A rejected call starts nothing: the loop has no extra task afterwards.
        int tasks =
                Async.run(
                        () -> {
                            assertThrows(
                                    IllegalArgumentException.class,
                                    () -> Async.sleep(Duration.ofMillis(-1)));
                            return Async.allTasks().size();
                        });
        assertEquals(1, tasks);
    }

    @Test
    void aHugeDurationMeansForever() throws Exception {
        Async.run(
                () -> {
                    var sleeper = Async.sleep(Duration.ofSeconds(Long.MAX_VALUE));
                    Async.yieldNow().await();
                    assertFalse(sleeper.isDone());
                    sleeper.cancel();
                });
    }
}
