package dev.corobridge.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.AsyncCloseable;
import dev.corobridge.Dispatcher;
import dev.corobridge.Task;
import dev.corobridge.io.ClientSession;
import dev.corobridge.io.ServerResponse;
import dev.corobridge.io.WebServer;
import dev.corobridge.testing.Report;
import dev.corobridge.testing.Reports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catalogue of faults users read, {@code docs/faults.md}, is what this test finds: each fault
 * is provoked (an exception or an {@code Error} from user code, an executor that rejects or dies,
 * an interrupted run, a server that never answers), and the page must say what the affected work
 * gets and what is reported. After each fault a new run must work: the fault stays with the tasks
 * it hit. Rewrite the page with {@code -Dcorobridge.docs.update=true} and review the diff.
 */
@Timeout(120)
@SuppressWarnings("try") // try (var r = resource) is async with: r is unused
class FaultCatalogueTest {
    record Fault(String what, String provoked, Callable<?> run) {}

    @Test
    void everyFaultEndsAsTheCatalogueSaysAndTheNextRunWorks(Reports reports) throws Exception {
        StringBuilder text = new StringBuilder(HEADER);
        text.append(
                "\n| fault | provoked by | what the work gets | reported |\n|---|---|---|---|\n");
        for (Fault fault : faults()) {
            String outcome = outcome(fault.run);
            List<String> reported = new ArrayList<>();
            for (Report report : reports.take()) reported.add(describe(report));
            text.append("| ")
                    .append(fault.what)
                    .append(" | ")
                    .append(fault.provoked)
                    .append(" | ")
                    .append(outcome.replace("|", "\\|").replace("\n", " "))
                    .append(" | ")
                    .append(reported.isEmpty() ? "nothing" : String.join("; ", reported))
                    .append(" |\n");
            assertEquals("ok", Async.run(() -> "ok"), "a run after: " + fault.what);
        }
        CataloguePage.check("faults.md", text.toString());
        System.out.printf(
                "faults: %d provoked, each ending as catalogued, each followed by a working run%n",
                faults().size());
    }

    /**
     * What [run] gives; numbered task names and ports, which vary from run to run, as N and PORT.
     */
    private static String outcome(Callable<?> run) {
        return given(run)
                .replaceAll("Task-\\d+", "Task-N")
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");
    }

    private static String given(Callable<?> run) {
        try {
            return "no error: `" + run.call() + "`";
        } catch (Throwable e) {
            String text = "`" + e.getClass().getSimpleName() + "`: " + e.getMessage();
            Throwable cause = e.getCause();
            if (cause != null && cause != e)
                text += " (cause: `" + cause.getClass().getSimpleName() + "`)";
            for (Throwable suppressed : e.getSuppressed())
                if (!suppressed.getClass().getSimpleName().equals("AwaitedAt"))
                    text +=
                            " (suppressed: `"
                                    + suppressed.getClass().getSimpleName()
                                    + "`: "
                                    + suppressed.getMessage()
                                    + ")";
            return text;
        }
    }

    private static String describe(Report report) {
        String exception =
                report.exception() == null
                        ? ""
                        : " `" + report.exception().getClass().getSimpleName() + "`";
        return switch (report.kind()) {
            case TASK_FAILURE -> "never retrieved: task '" + report.source() + "'," + exception;
            case UNCAUGHT_EXCEPTION -> "uncaught on a thread:" + exception;
            case NEVER_AWAITED -> "never awaited: task '" + report.source() + "'";
            case LOGGED -> "logged: " + report.message().lines().findFirst().orElse("");
        };
    }

    private static List<Fault> faults() {
        return List.of(
                new Fault(
                        "a `StackOverflowError` in a body",
                        "a body that recurses without end, awaited",
                        () -> Async.run(() -> Async.launch("deep", () -> recurse(0)).await())),
                new Fault(
                        "an `Error` in a body nobody awaits",
                        "`Async.launch(\"lost\", () -> { throw new AssertionError(\"boom\"); })`",
                        () ->
                                Async.run(
                                        () -> {
                                            Async.launch(
                                                    "lost",
                                                    () -> {
                                                        throw new AssertionError("boom");
                                                    });
                                            return Async.sleep(Duration.ofMillis(20)).await();
                                        })),
                new Fault(
                        "an action given to `whenComplete` that throws",
                        "`task.whenComplete((v, e) -> { throw ... })`, the stage awaited",
                        () ->
                                Async.run(
                                        () -> {
                                            Task<Integer> task = Async.launch("source", () -> 1);
                                            CompletableFuture<Integer> stage =
                                                    task.whenComplete(
                                                            (value, failure) -> {
                                                                throw new IllegalStateException(
                                                                        "listener failed");
                                                            });
                                            try {
                                                return Async.await(stage);
                                            } finally {
                                                // the task itself is untouched
                                                assertEquals(1, task.join());
                                            }
                                        })),
                new Fault(
                        "a progress callback that throws",
                        "`Async.gatherSettled(tasks, progress -> { throw ... })`",
                        () ->
                                Async.run(
                                        () ->
                                                Async.gatherSettled(
                                                                List.of(Async.launch(() -> 1)),
                                                                progress -> {
                                                                    throw new IllegalStateException(
                                                                            "progress bar failed");
                                                                })
                                                        .await())),
                new Fault(
                        "a close that fails after the body failed",
                        "`try (var r = resource) { throw ... }` with `closeAsync()` failing",
                        () ->
                                Async.run(
                                        () -> {
                                            try (FailingResource resource = new FailingResource()) {
                                                throw new IOException("body failed");
                                            }
                                        })),
                new Fault(
                        "an executor that rejects",
                        "`Async.run(Dispatcher.fromExecutor(shutDownExecutor), body)`",
                        () -> {
                            ExecutorService executor = Executors.newSingleThreadExecutor();
                            executor.shutdown();
                            return Async.run(Dispatcher.fromExecutor(executor), () -> 1);
                        }),
                new Fault(
                        "an executor that dies during the run",
                        "`executor.shutdownNow()` while tasks sleep on it",
                        () -> {
                            ExecutorService executor = Executors.newFixedThreadPool(2);
                            return Async.run(
                                    Dispatcher.fromExecutor(executor),
                                    () -> {
                                        Async.sleep(Duration.ofMillis(20)).await();
                                        executor.shutdownNow();
                                        return Async.sleep(Duration.ofMillis(50)).await();
                                    });
                        }),
                new Fault(
                        "the thread in `Async.run` interrupted",
                        "`runner.interrupt()` while the body sleeps",
                        FaultCatalogueTest::interruptedRun),
                new Fault(
                        "a request handler that throws",
                        "a `WebServer` route throwing `IllegalStateException`",
                        () ->
                                Async.run(
                                        () -> {
                                            try (var server =
                                                            WebServer.builder()
                                                                    .get(
                                                                            "/",
                                                                            request -> {
                                                                                throw new IllegalStateException(
                                                                                        "handler failed");
                                                                            })
                                                                    .get(
                                                                            "/ok",
                                                                            request ->
                                                                                    ServerResponse
                                                                                            .text(
                                                                                                    "still serving"))
                                                                    .start(0);
                                                    var session = ClientSession.create()) {
                                                int status =
                                                        session.get(server.uri().toString())
                                                                .await()
                                                                .status();
                                                String after =
                                                        session.get(server.uri() + "ok")
                                                                .await()
                                                                .text()
                                                                .await();
                                                return status + ", then " + after;
                                            }
                                        })),
                new Fault(
                        "a server that never answers",
                        "a listening socket that accepts and stays silent, with `requestTimeout(200 ms)`",
                        FaultCatalogueTest::silentServer));
    }

    static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    private static Object interruptedRun() throws Exception {
        Thread runner = Thread.currentThread();
        Thread interrupter =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                            runner.interrupt();
                        });
        interrupter.start();
        try {
            return Async.run(() -> Async.sleep(Duration.ofSeconds(30)).await());
        } finally {
            interrupter.join();
            // The interrupt status is kept for the caller, as the JDK's blocking calls do.
            assertTrue(Thread.interrupted(), "the interrupt status is kept");
        }
    }

    private static Object silentServer() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        {
            Thread acceptor =
                    new Thread(
                            () -> {
                                List<java.net.Socket> held = new ArrayList<>();
                                try {
                                    while (true) held.add(silent.accept());
                                } catch (IOException closed) {
                                    for (var socket : held) {
                                        try {
                                            socket.close();
                                        } catch (IOException ignored) {
                                            // closing anyway
                                        }
                                    }
                                }
                            });
            acceptor.start();
            try {
                return Async.run(
                        () -> {
                            try (var session =
                                    ClientSession.builder()
                                            .requestTimeout(Duration.ofMillis(200))
                                            .build()) {
                                return session.get(
                                                "http://127.0.0.1:" + silent.getLocalPort() + "/")
                                        .await()
                                        .status();
                            }
                        });
            } finally {
                silent.close();
                acceptor.join();
            }
        }
    }

    /** A resource whose close fails. */
    static final class FailingResource implements AsyncCloseable<IOException> {
        @Override
        public CompletionStage<?> closeAsync() {
            return CompletableFuture.failedFuture(new IOException("close failed"));
        }
    }

    private static final String HEADER =
            """
            # Faults and what they do

            Each row is a fault provoked on purpose: what the affected work gets (the exception, or a
            value), and what corobridge reports on the side (a failure nobody retrieved, an exception
            that reached a thread's handler). After every one, a new `Async.run` works: a fault stays
            with the tasks it hit. `FaultCatalogueTest` provokes each and checks that this page says
            what happens (numbered task names and ports shown as `Task-N` and `PORT`); rewrite it with
            `-Dcorobridge.docs.update=true` after a change.
            """;
}
