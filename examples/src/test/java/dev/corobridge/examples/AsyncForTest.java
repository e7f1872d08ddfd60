package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AsyncForTest {
    static final List<String> OUTPUT =
            List.of(
                    "-- async for i in ticker(0.01, 3)",
                    "0",
                    "1",
                    "2",
                    "  ticker: finally",
                    "-- filter and map: the squares of the even ticks",
                    "0 squared is 0",
                    "2 squared is 4",
                    "4 squared is 16",
                    "  ticker: finally",
                    "-- break out early: closing the iterator stops the ticker",
                    "0",
                    "1",
                    "  ticker: finally",
                    "after the loop",
                    "-- take(2) and toList()",
                    "  ticker: finally",
                    "[0, 1]");

    @Test
    @Timeout(10)
    void iteratesGeneratorsAndStopsThemEarly() throws Exception {
        var captured = Console.capture(AsyncFor::main);

        assertEquals(OUTPUT, captured.out());
        assertEquals(List.of(), captured.err(), "no task failure may go unretrieved");
    }
}
