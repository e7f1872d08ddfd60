package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ErrorHandlingTest {
    static final List<String> OUTPUT =
            List.of(
                    "-- catch around await",
                    "error 404 Not Found: missing.html",
                    "-- gather fails on the first failure",
                    "gather failed: 404 Not Found: missing.html",
                    "the other task keeps running: Task[slow.html, pending]",
                    "and still gives its value: <slow.html>",
                    "-- gatherSettled returns every outcome",
                    "success: <index.html>",
                    "failure: PageNotFoundException: 404 Not Found: missing.html",
                    "cancelled: Task 'big.iso' was cancelled",
                    "-- Async.timeout cancels the work",
                    "  slow query: started",
                    "  slow query: finally",
                    "timed out after the cleanup: the body of Async.timeout did not finish within 0.2s",
                    "-- Async.waitFor cancels the task it waits for",
                    "  slow query: started",
                    "  slow query: finally",
                    "timed out after the cleanup: Task 'slow query' did not finish within 0.2s",
                    "the query: Task[slow query, cancelled]");

    @Test
    @Timeout(10)
    void catchesOriginalExceptionsAndTimeoutsStopTheWork() throws Exception {
        var captured = Console.capture(ErrorHandling::main);

        assertEquals(OUTPUT, captured.out());
        assertEquals(List.of(), captured.err(), "no task failure may go unretrieved");
    }
}
