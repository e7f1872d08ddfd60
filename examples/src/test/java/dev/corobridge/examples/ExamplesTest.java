package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.Reports;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ExamplesTest {
    private static final List<String> NAMES =
            List.of(
                    "DefiningAndAwaitingTasks",
                    "HelloWorld",
                    "ConcurrentDownloads",
                    "SleepLetsOthersRun",
                    "EventLoopExplicit",
                    "ErrorHandling",
                    "AsyncFor",
                    "AsyncWith",
                    "RateLimitedDownloads",
                    "WorkerPool",
                    "ResultsAsTheyArrive",
                    "FetchingPages",
                    "SmallService",
                    "QueryingDatabases",
                    "FileIo",
                    "TasksThreadsProcesses",
                    "RedisCommands",
                    "KotlinFromJava",
                    "DebugMode");

    @Test
    @Timeout(10)
    void listPrintsEveryNameInGuideOrder() throws Exception {
        var captured = Console.capture(() -> Examples.run("list"));

        assertEquals(0, captured.value());
        assertEquals(NAMES, captured.out());
    }

    @Test
    @Timeout(60)
    void allRunsEveryExampleAfterAHeader(Reports reports) throws Exception {
        List<String> expected = new ArrayList<>();
        List<List<String>> outputs =
                List.of(
                        DefiningAndAwaitingTasksTest.OUTPUT,
                        HelloWorldTest.OUTPUT,
                        ConcurrentDownloadsTest.OUTPUT,
                        SleepLetsOthersRunTest.OUTPUT,
                        EventLoopExplicitTest.OUTPUT,
                        ErrorHandlingTest.OUTPUT,
                        AsyncForTest.OUTPUT,
                        AsyncWithTest.OUTPUT,
                        RateLimitedDownloadsTest.OUTPUT,
                        WorkerPoolTest.OUTPUT,
                        ResultsAsTheyArriveTest.OUTPUT,
                        FetchingPagesTest.OUTPUT,
                        SmallServiceTest.OUTPUT,
                        QueryingDatabasesTest.OUTPUT,
                        FileIoTest.OUTPUT,
                        TasksThreadsProcessesTest.OUTPUT,
                        RedisCommandsTest.output(),
                        KotlinFromJavaTest.OUTPUT,
                        DebugModeTest.OUTPUT);
        for (int i = 0; i < NAMES.size(); i++) {
            expected.add("== " + NAMES.get(i) + " ==");
            expected.addAll(outputs.get(i));
        }

        var captured = Console.capture(() -> Examples.run("all"));

        assertEquals(0, captured.value());
        // Lines equal, or matching as regexes: debug mode's reports carry times and line numbers.
        assertLinesMatch(expected, captured.out());
        reports.take(); // debug mode's, checked by DebugModeTest
    }

    @Test
    @Timeout(10)
    void runsOneExampleByCaseInsensitiveNameWithoutHeader() throws Exception {
        var captured = Console.capture(() -> Examples.run("helloWORLD"));

        assertEquals(0, captured.value());
        assertEquals(HelloWorldTest.OUTPUT, captured.out());
    }

    @Test
    @Timeout(10)
    void unknownNameReturnsUsageCodeAndListsValidNames() throws Exception {
        var captured = Console.capture(() -> Examples.run("GoodbyeWorld"));

        assertEquals(Examples.USAGE, captured.value());
        assertEquals(List.of(), captured.out());
        assertEquals("unknown example 'GoodbyeWorld'", captured.err().get(0));
        assertTrue(
                captured.err().containsAll(NAMES.stream().map(name -> "  " + name).toList()),
                captured.err()::toString);
    }

    @Test
    @Timeout(10)
    void unknownNameAmongKnownOnesRunsNothing() throws Exception {
        var captured = Console.capture(() -> Examples.run("HelloWorld", "GoodbyeWorld"));

        assertEquals(Examples.USAGE, captured.value());
        assertEquals(List.of(), captured.out());
    }

    @Test
    @Timeout(10)
    void noArgumentsReturnsUsageCode() throws Exception {
        var captured = Console.capture(() -> Examples.run());

        assertEquals(Examples.USAGE, captured.value());
        assertEquals("usage: Examples list | all | NAME... | NAME ARG...", captured.err().get(0));
    }
}
