package dev.corobridge.io;

import static dev.corobridge.io.Leaks.eventually;
import static dev.corobridge.io.Leaks.threadsIn;
import static dev.corobridge.io.Leaks.zombieChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SubprocessTest {
    @TempDir Path dir;

    @AfterEach
    void nothingLeftRunning() throws Exception {
        eventually(() -> zombieChildren().isEmpty(), () -> "zombies left: " + zombieChildren());
        eventually(
                () -> busyThreads().isEmpty(),
                () -> "threads left in a process's I/O: " + busyThreads());
    }

    @Test
    void runCollectsOutputAndExitCode() throws Exception {
        ProcessResult result =
                Async.run(
                        () ->
                                Command.of("sh", "-c", "echo out; echo err >&2; exit 3")
                                        .run()
                                        .await());
        assertEquals(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), result.commandLine());
        assertEquals(3, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
        assertFalse(result.succeeded());
        ProcessFailedException failed =
                assertThrows(ProcessFailedException.class, result::requireSuccess);
        assertEquals(3, failed.exitCode());
        assertEquals(
                "sh -c echo out; echo err >&2; exit 3 exited with code 3: err",
                failed.getMessage());
        ProcessResult ok = Async.run(() -> Command.of("true").run().await());
        assertEquals(ok, ok.requireSuccess());
    }

    @Test
    void inputGoesToStdinWithoutDeadlockingOnLargeOutput() throws Exception {
        assertEquals(
                "a\nb\n",
                Async.run(() -> Command.of("sort").input("b\na\n").run().await()).stdout());
        String large = "0123456789abcdef\n".repeat(256 * 1024); // 4 MiB: far more than a pipe holds
        ProcessResult echoed = Async.run(() -> Command.of("cat").input(large).run().await());
        assertEquals(large.length(), echoed.stdout().length());
        assertEquals(large, echoed.stdout());
        // A process that does not read its input is no failure of the run.
        assertEquals(0, Async.run(() -> Command.of("true").input(large).run().await()).exitCode());
    }

    @Test
    void environmentDirectoryAndMergedErrors() throws Exception {
        ProcessResult result =
                Async.run(
                        () ->
                                Command.of("sh", "-c", "echo $GREETING; pwd; echo oops >&2")
                                        .environment("GREETING", "bonjour")
                                        .directory(dir)
                                        .errorsToOutput()
                                        .run()
                                        .await());
        assertEquals("bonjour\n" + dir.toRealPath() + "\noops\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void aMissingProgramSaysSo() throws Exception {
        IOException missing =
                assertThrows(
                        IOException.class,
                        () -> Async.run(() -> Command.of("no-such-program-4711").run().await()));
        assertTrue(
                missing.getMessage()
                        .startsWith(
                                "cannot run 'no-such-program-4711': no such program on the PATH ("),
                missing.getMessage());
        IOException missingPath =
                assertThrows(
                        IOException.class,
                        () -> Async.run(() -> Command.of(dir + "/absent").start().await()));
        assertTrue(
                missingPath.getMessage().contains("no such program; give its full path"),
                missingPath.getMessage());
        Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        IOException notExecutable =
                assertThrows(
                        IOException.class,
                        () -> Async.run(() -> Command.of(script.toString()).run().await()));
        assertTrue(
                notExecutable.getMessage().contains("permission denied; make it executable"),
                notExecutable.getMessage());
        IOException noDirectory =
                assertThrows(
                        IOException.class,
                        () ->
                                Async.run(
                                        () ->
                                                Command.of("true")
                                                        .directory(dir.resolve("gone"))
                                                        .run()
                                                        .await()));
        assertTrue(
                noDirectory.getMessage().contains("that directory does not exist"),
                noDirectory.getMessage());
    }

    @Test
    void cancellingARunEndsTheProcessAndItsChildren() throws Exception {
        Path pidFile = dir.resolve("pid");
        List<Long> tree = new ArrayList<>();
        Async.run(
                () -> {
                    Task<ProcessResult> run =
                            Command.of(
                                            "sh",
                                            "-c",
                                            "echo $$ > "
                                                    + pidFile
                                                    + "; sleep 300 & sleep 300 & wait")
                                    .run();
                    tree.addAll(treeOf(pidFile, 3));
                    run.cancel();
                    assertThrows(CancellationException.class, run::await);
                    return null;
                });
        assertAllGone(tree);
    }

    @Test
    void aTimeoutKillsWhatIgnoresTermAfterTheGracePeriod() throws Exception {
        Path pidFile = dir.resolve("pid");
        List<Long> tree = new ArrayList<>();
        long started = System.nanoTime();
        assertThrows(
                TimeoutException.class,
                () ->
                        Async.run(
                                () -> {
                                    Task<ProcessResult> run =
                                            Command.of(
                                                            "sh",
                                                            "-c",
                                                            "trap '' TERM; echo $$ > "
                                                                    + pidFile
                                                                    + "; sleep 300")
                                                    .terminationGrace(Duration.ofMillis(300))
                                                    .run();
                                    tree.addAll(Async.toThread(() -> treeOf(pidFile, 2)).await());
                                    return Async.timeout(Duration.ofMillis(100), () -> run.await())
                                            .await();
                                }));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(
                tookMillis >= 300,
                "SIGKILL came before the grace period ended: " + tookMillis + " ms");
        assertAllGone(tree);
    }

    @Test
    void startedProcessStreamsItsOutputAndExitCode() throws Exception {
        List<Object> seen =
                Async.run(
                        () -> {
                            try (Subprocess process =
                                    Command.of(
                                                    "sh",
                                                    "-c",
                                                    "for i in 1 2 3; do echo line $i; sleep 0.05; done; echo oops >&2; exit 4")
                                            .start()
                                            .await()) {
                                assertTrue(process.pid() > 0);
                                Task<List<String>> errors = process.stderrLines().toList();
                                List<String> lines = process.stdoutLines().toList().await();
                                return List.of(lines, errors.await(), process.waitFor().await());
                            }
                        });
        assertEquals(List.of(List.of("line 1", "line 2", "line 3"), List.of("oops"), 4), seen);
    }

    @Test
    void linesArriveAsTheyAreWrittenAndClosingEndsTheProcess() throws Exception {
        Subprocess[] kept = new Subprocess[1];
        String first =
                Async.run(
                        () -> {
                            try (Subprocess process =
                                    Command.of("sh", "-c", "echo first; exec sleep 300")
                                            .start()
                                            .await()) {
                                kept[0] = process;
                                for (String line : process.stdoutLines()) {
                                    assertTrue(process.isAlive());
                                    return line;
                                }
                                return "no line";
                            }
                        });
        assertEquals("first", first);
        assertFalse(kept[0].isAlive());
        assertAllGone(List.of(kept[0].pid()));
    }

    @Test
    void outputLinesSplitAtEveryLineBreakAndKeepALastLineWithoutOne() throws Exception {
        List<String> lines =
                Async.run(
                        () -> {
                            try (Subprocess printf =
                                    Command.of(
                                                    "sh",
                                                    "-c",
                                                    "printf 'a\\r\\nb\\rc\\n'; sleep 0.1; printf '\\nd\\r'; sleep 0.1; printf '\\ne'")
                                            .start()
                                            .await()) {
                                return printf.stdoutLines().toList().await();
                            }
                        });
        assertEquals(List.of("a", "b", "c", "", "d", "e"), lines);
    }

    @Test
    void writesGoToStdinInOrder() throws Exception {
        List<Object> seen =
                Async.run(
                        () -> {
                            try (Subprocess cat = Command.of("cat").start().await()) {
                                var lines = cat.stdoutLines().iterator();
                                cat.write("hello\n").await();
                                assertTrue(lines.hasNext());
                                String echoed = lines.next();
                                for (int i = 0; i < 100; i++) cat.write(i + "\n");
                                cat.closeInput().await();
                                List<String> rest = new ArrayList<>();
                                while (lines.hasNext()) rest.add(lines.next());
                                return List.of(
                                        echoed, rest.size(), rest.get(99), cat.waitFor().await());
                            }
                        });
        assertEquals(List.of("hello", 100, "99", 0), seen);
    }

    @Test
    void cancellingAWaitEndsTheProcess() throws Exception {
        Subprocess[] kept = new Subprocess[1];
        Async.run(
                () -> {
                    try (Subprocess sleeper = Command.of("sleep", "300").start().await()) {
                        kept[0] = sleeper;
                        assertThrows(
                                TimeoutException.class,
                                () ->
                                        Async.timeout(
                                                        Duration.ofMillis(100),
                                                        () -> sleeper.waitFor().await())
                                                .await());
                        assertFalse(sleeper.isAlive());
                    }
                    return null;
                });
        assertAllGone(List.of(kept[0].pid()));
    }

    @Test
    void terminateAndKillGiveTheSignalsExitCodes() throws Exception {
        List<Integer> codes =
                Async.run(
                        () -> {
                            try (Subprocess first = Command.of("sleep", "300").start().await();
                                    Subprocess second =
                                            Command.of("sleep", "300").start().await()) {
                                return List.of(first.terminate().await(), second.kill().await());
                            }
                        });
        assertEquals(List.of(143, 137), codes);
    }

    @Test
    void aProcessNobodyReadsBlocksAndClosingStillEndsIt() throws Exception {
        Subprocess[] kept = new Subprocess[1];
        List<String> firstLines =
                Async.run(
                        () -> {
                            try (Subprocess yes = Command.of("yes", "y").start().await()) {
                                kept[0] = yes;
                                List<String> taken = yes.stdoutLines().take(5).toList().await();
                                Async.sleep(Duration.ofMillis(100))
                                        .await(); // it fills its pipe meanwhile
                                assertTrue(yes.isAlive());
                                return taken;
                            }
                        });
        assertEquals(List.of("y", "y", "y", "y", "y"), firstLines);
        assertAllGone(List.of(kept[0].pid()));
    }

    @Test
    void manyRunsAtOnce() throws Exception {
        List<String> outputs =
                Async.run(
                        () -> {
                            List<Task<String>> runs = new ArrayList<>();
                            for (int i = 0; i < 40; i++) {
                                int n = i;
                                runs.add(
                                        Async.launch(
                                                () ->
                                                        Command.of("echo", "run " + n)
                                                                .run()
                                                                .await()
                                                                .stdout()));
                            }
                            return Async.gather(runs).await();
                        });
        for (int i = 0; i < 40; i++) assertEquals("run " + i + "\n", outputs.get(i));
    }

    @Test
    void badArgumentsFailAtTheCall() {
        assertEquals(
                "program",
                assertThrows(NullPointerException.class, () -> Command.of((String) null))
                        .getMessage());
        assertEquals(
                "arguments[1]",
                assertThrows(NullPointerException.class, () -> Command.of("echo", "a", null))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Command.of(List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> Command.of("true").terminationGrace(Duration.ofSeconds(-1)));
        assertThrows(
                IllegalArgumentException.class, () -> Command.of("true").environment("A=B", "c"));
    }

    /** The pid the shell wrote, with its descendants once there are {@code size} in all. */
    private static List<Long> treeOf(Path pidFile, int size) throws Exception {
        eventually(
                () -> Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n"),
                () -> "no pid written");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle shell = ProcessHandle.of(pid).orElseThrow();
        eventually(
                () -> shell.descendants().count() + 1 >= size,
                () -> "the shell did not start its children");
        List<Long> tree = new ArrayList<>();
        tree.add(pid);
        shell.descendants().forEach(handle -> tree.add(handle.pid()));
        return tree;
    }

    /** Every one of {@code pids} has exited and been reaped: none is in the process table. */
    private static void assertAllGone(List<Long> pids) throws Exception {
        eventually(
                () -> pids.stream().noneMatch(Leaks::exists),
                () ->
                        "still in the process table: "
                                + pids.stream()
                                        .filter(Leaks::exists)
                                        .map(pid -> pid + " (" + Leaks.state(pid) + ")")
                                        .collect(Collectors.joining(", ")));
    }

    private static List<String> busyThreads() {
        return threadsIn(
                "dev.corobridge.core.LineReader",
                "dev.corobridge.core.ProcessCalls",
                "dev.corobridge.core.ChildProcess");
    }
}
