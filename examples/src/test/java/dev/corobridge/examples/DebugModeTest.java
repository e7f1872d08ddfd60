package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;

import dev.corobridge.testing.Report;
import dev.corobridge.testing.Reports;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DebugModeTest {
    private static final String AT = "  at dev\\.corobridge\\.examples\\.DebugMode\\.";

    /** Expected lines, as for {@code assertLinesMatch}: equal, or matching as a regex. */
    static final List<String> OUTPUT =
            List.of(
                    "-- 1. a blocking call inside a task",
                    "debug mode: task 'blocker' has held the event loop for \\d+ ms without an await"
                            + " \\(the debug threshold is 100 ms\\): every other task of the loop"
                            + " waits meanwhile\\. Run blocking calls through Async\\.toThread.*",
                    AT + "blockingCall\\(DebugMode\\.java:\\d+\\)",
                    "-- 2. Async.sleep(...) without await()",
                    "-- 3. a task that fails, and nobody awaits it",
                    "debug mode: Task exception was never retrieved: task 'forgotten' \\(from"
                            + " Async\\.launch at dev\\.corobridge\\.examples\\.DebugMode\\.threeMistakes"
                            + "\\(DebugMode\\.java:\\d+\\)\\)",
                    AT + "lambda\\$threeMistakes\\$\\d+\\(DebugMode\\.java:\\d+\\)",
                    "debug mode: task 'Task-\\d+' from Async\\.sleep at"
                            + " dev\\.corobridge\\.examples\\.DebugMode\\.threeMistakes\\(DebugMode\\.java:\\d+\\)"
                            + " was never awaited: .*",
                    AT + "threeMistakes\\(DebugMode\\.java:\\d+\\)",
                    "-- the run has ended: what nobody awaited is reported now",
                    "-- the task tree of a running crawler",
                    "Task-\\d+ \\(running, age \\d+ ms\\)" + " at .*DebugMode\\.crawl\\(.*",
                    "  crawler \\(awaiting Async\\.gather, age \\d+ ms\\) at .*DebugMode\\.lambda\\$crawl\\$.*",
                    "    fetch / \\(awaiting a sleep, age \\d+ ms\\) at .*DebugMode\\.fetch\\(.*",
                    "    fetch /about \\(awaiting a sleep, age \\d+ ms\\) at .*DebugMode\\.fetch\\(.*",
                    "    crawler \\(waiting, age \\d+ ms, from Async\\.gather\\)",
                    "crawled: [/, /about]");

    @Test
    @Timeout(20)
    void debugModeReportsEachClassicMistakeOnceAndTheDumpShowsTheCrawler(Reports reports)
            throws Exception {
        var captured = Console.capture(DebugMode::main);

        assertLinesMatch(OUTPUT, captured.out());
        assertEquals(List.of(), captured.err());
        assertEquals(
                List.of(Report.Kind.LOGGED, Report.Kind.TASK_FAILURE, Report.Kind.NEVER_AWAITED),
                reports.take().stream().map(Report::kind).toList());
    }
}
