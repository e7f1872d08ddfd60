package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same programs written with asyncio (src/test/resources/asyncio) and with corobridge must
 * print the same lines in the same order. The Python side runs when python3 is on the PATH; the
 * expected lines are also written here, so the Java side is checked either way.
 */
@org.junit.jupiter.api.Timeout(30)
class AsyncioParityTest {

    private static final List<String> INTERLEAVING =
            List.of(
                    "main created tasks",
                    "a step 0",
                    "b step 0",
                    "c step 0",
                    "a step 1",
                    "b done",
                    "c step 1",
                    "a step 2",
                    "c done",
                    "a done",
                    "main done");

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void interleaving(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var a = Async.launch(() -> worker(out, "a", 3));
                    var b = Async.launch(() -> worker(out, "b", 1));
                    var c = Async.launch(() -> worker(out, "c", 2));
                    out.add("main created tasks");
                    Async.gather(a, b, c).await();
                    out.add("main done");
                });
        assertParity("interleaving.py", INTERLEAVING, out.events());
    }

    private static void worker(Trail out, String name, int steps) throws Exception {
        for (int i = 0; i < steps; i++) {
            out.add(name + " step " + i);
            Async.yieldNow().await();
        }
        out.add(name + " done");
    }

    private static final List<String> CANCELLATION =
            List.of(
                    "worker started",
                    "tick 0",
                    "main cancels worker",
                    "tick 1",
                    "worker cancelled",
                    "worker cleaned up",
                    "worker finally",
                    "main saw cancellation",
                    "main done");

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void cancellation(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var worker =
                            Async.launch(
                                    () -> {
                                        try {
                                            out.add("worker started");
                                            Async.sleep(Duration.ofSeconds(10)).await();
                                            out.add("worker woke");
                                        } catch (CancellationException e) {
                                            out.add("worker cancelled");
                                            Async.sleep(Duration.ofMillis(10)).await();
                                            out.add("worker cleaned up");
                                            throw e;
                                        } finally {
                                            out.add("worker finally");
                                        }
                                    });
                    var ticker =
                            Async.launch(
                                    () -> {
                                        for (int i = 0; i < 2; i++) {
                                            out.add("tick " + i);
                                            Async.yieldNow().await();
                                        }
                                    });
                    Async.yieldNow().await();
                    out.add("main cancels worker");
                    worker.cancel();
                    try {
                        worker.await();
                    } catch (CancellationException e) {
                        out.add("main saw cancellation");
                    }
                    ticker.await();
                    out.add("main done");
                });
        assertParity("cancellation.py", CANCELLATION, out.events());
    }

    private static final List<String> GATHER_FAILURE =
            List.of(
                    "slow start",
                    "fast start",
                    "fail start",
                    "fast end",
                    "fail raises",
                    "gather failed: boom",
                    "slow end",
                    "slow result: slow",
                    "settled: fast, ValueError");

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void gatherFailure(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    Task<String> slow = Async.launch(() -> ok(out, "slow", 200));
                    Task<String> fast = Async.launch(() -> ok(out, "fast", 10));
                    Task<String> bad =
                            Async.launch(
                                    () -> {
                                        out.add("fail start");
                                        Async.sleep(Duration.ofMillis(50)).await();
                                        out.add("fail raises");
                                        throw new IllegalArgumentException("boom");
                                    });
                    try {
                        Async.gather(slow, fast, bad).await();
                    } catch (IllegalArgumentException e) {
                        out.add("gather failed: " + e.getMessage());
                    }
                    out.add("slow result: " + slow.await());
                    List<Outcome<String>> settled = Async.gatherSettled(fast, bad).await();
                    String first = ((Outcome.Success<String>) settled.get(0)).value();
                    String second =
                            ((Outcome.Failure<String>) settled.get(1)).exception()
                                            instanceof IllegalArgumentException
                                    ? "ValueError"
                                    : "?";
                    out.add("settled: " + first + ", " + second);
                });
        assertParity("gather_failure.py", GATHER_FAILURE, out.events());
    }

    private static String ok(Trail out, String name, long millis) throws Exception {
        out.add(name + " start");
        Async.sleep(Duration.ofMillis(millis)).await();
        out.add(name + " end");
        return name;
    }

    private static final List<String> TIMEOUT =
            List.of(
                    "slow start",
                    "slow finally",
                    "timed out",
                    "slow start",
                    "slow finally",
                    "task cancelled: True");

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void timeout(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    try {
                        Async.timeout(Duration.ofMillis(50), () -> slow(out)).await();
                    } catch (TimeoutException e) {
                        out.add("timed out");
                    }
                    Task<Void> task = Async.launch(() -> slow(out));
                    try {
                        Async.waitFor(task, Duration.ofMillis(50)).await();
                    } catch (TimeoutException e) {
                        out.add("task cancelled: " + (task.isCancelled() ? "True" : "False"));
                    }
                });
        assertParity("timeout.py", TIMEOUT, out.events());
    }

    private static void slow(Trail out) throws Exception {
        try {
            out.add("slow start");
            Async.sleep(Duration.ofSeconds(10)).await();
        } finally {
            out.add("slow finally");
        }
    }

    private static final List<String> LEFTOVERS =
            List.of(
                    "b1 start",
                    "b2 start",
                    "main returns",
                    "b1 cleanup",
                    "b2 cleanup",
                    "run returned");

    @org.junit.jupiter.api.Test
    void leftovers() throws Exception {
        var out = new Trail();
        Async.run(
                () -> {
                    Async.launch(() -> background(out, "b1"));
                    Async.launch(() -> background(out, "b2"));
                    Async.yieldNow().await();
                    out.add("main returns");
                });
        out.add("run returned");
        assertEquals(LEFTOVERS, out.events(), "corobridge order for leftovers.py");
        List<String> python = runPython("leftovers.py");
        if (python != null) {
            // asyncio.run cancels the leftovers in a set's order, which CPython leaves unspecified.
            assertEquals(
                    cleanupUnordered(LEFTOVERS),
                    cleanupUnordered(python),
                    "asyncio for leftovers.py");
        }
    }

    private static List<String> cleanupUnordered(List<String> trail) {
        int from = trail.indexOf("main returns") + 1;
        List<String> cleanup = new java.util.ArrayList<>(trail.subList(from, trail.size() - 1));
        cleanup.sort(null);
        List<String> result = new java.util.ArrayList<>(trail.subList(0, from));
        result.addAll(cleanup);
        result.add(trail.get(trail.size() - 1));
        return result;
    }

    private static void background(Trail out, String name) throws Exception {
        try {
            out.add(name + " start");
            Async.sleep(Duration.ofSeconds(10)).await();
        } finally {
            out.add(name + " cleanup");
        }
    }

    private static void assertParity(String script, List<String> expected, List<String> actual)
            throws Exception {
        assertEquals(expected, actual, "corobridge order for " + script);
        List<String> python = runPython(script);
        if (python != null) {
            assertEquals(expected, python, "asyncio order for " + script);
        }
    }

    /**
     * The lines the asyncio program prints, or null (the test still checks the Java side) without
     * python3.
     */
    private static List<String> runPython(String script) throws Exception {
        Path file = Files.createTempFile("corobridge-", ".py");
        try (InputStream in = AsyncioParityTest.class.getResourceAsStream("/asyncio/" + script)) {
            assertNotNull(in, script);
            Files.write(file, in.readAllBytes());
            Process process;
            try {
                process =
                        new ProcessBuilder("python3", file.toString())
                                .redirectErrorStream(true)
                                .start();
            } catch (IOException noPython) {
                Assumptions.abort("python3 is not available: " + noPython.getMessage());
                return null;
            }
            var output = new ByteArrayOutputStream();
            process.getInputStream().transferTo(output);
            assertTrue(
                    process.waitFor(20, TimeUnit.SECONDS), "python3 " + script + " did not finish");
            String text = output.toString(StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), text);
            return text.lines().toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
