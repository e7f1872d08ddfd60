package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ResultsAsTheyArriveTest {
    /** What asyncio prints for the program in ResultsAsTheyArrive's Javadoc (CPython 3.13). */
    static final List<String> OUTPUT =
            List.of(
                    "page 4 after 100 ms",
                    "page 1 after 200 ms",
                    "failed: page 3 unreachable",
                    "page 0 after 600 ms",
                    "page 5 after 700 ms",
                    "page 2 after 800 ms",
                    "5 of 6 pages fetched, 1 failed");

    @Test
    @Timeout(10)
    void resultsArriveFastestFirstAndTheBarReachesTheEnd() throws Exception {
        var captured = Console.capture(ResultsAsTheyArrive::main);

        assertEquals(OUTPUT, captured.out());
        // Not a terminal here: plain lines, no carriage returns, the last one at 6 of 6.
        List<String> bar = captured.err();
        assertFalse(bar.isEmpty(), "the bar printed nothing");
        assertTrue(bar.stream().noneMatch(line -> line.contains("\r")), bar.toString());
        assertTrue(bar.get(bar.size() - 1).contains("6/6"), bar.toString());
        assertTrue(bar.stream().anyMatch(line -> line.contains("3/6")), bar.toString());
    }
}
