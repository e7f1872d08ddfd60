package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code Async.dumpTasks()}: the live tasks as a tree, like asyncio's pstree. */
@Timeout(60)
class TaskDumpTest {
    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aDumpShowsEachLiveTaskUnderItsStarterWithItsStateAndWhereItWaits(BodyThreads kind)
            throws Exception {
        CompletableFuture<Void> never = new CompletableFuture<>();
        List<String> lines =
                Loops.run(
                        kind,
                        () -> {
                            Task<Void> sleeper =
                                    Async.launch(
                                            "sleeper",
                                            () -> Async.sleep(Duration.ofSeconds(30)).await());
                            Task<Void> outer =
                                    Async.launch(
                                            "outer",
                                            () ->
                                                    Async.launch("inner", () -> Async.await(never))
                                                            .await());
                            for (int i = 0; i < 5; i++) Async.yieldNow().await();
                            String dump = Async.dumpTasks();
                            sleeper.cancel();
                            outer.cancel();
                            return dump.lines().toList();
                        });
        assertEquals(4, lines.size(), () -> String.join("\n", lines));
        String here = " at " + TaskDumpTest.class.getName() + ".lambda$";
        assertTrue(
                lines.get(0)
                        .matches(
                                "Task-\\d+ \\(running\\)"
                                        + java.util.regex.Pattern.quote(here)
                                        + ".*"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("  sleeper (awaiting a sleep)" + here), lines.get(1));
        assertTrue(lines.get(2).startsWith("  outer (awaiting task 'inner')" + here), lines.get(2));
        assertTrue(
                lines.get(3).startsWith("    inner (awaiting CompletableFuture)" + here),
                lines.get(3));
    }

    @org.junit.jupiter.api.Test
    void outsideATaskItFailsWithWhatToDoInstead() {
        var refused = assertThrows(IllegalStateException.class, Async::dumpTasks);
        assertEquals(
                "no running event loop: dumpTasks() works inside a task", refused.getMessage());
    }
}
