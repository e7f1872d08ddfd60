package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FetchingPagesTest {
    static final List<String> OUTPUT =
            List.of(
                    "/pages/1: 26 characters",
                    "/pages/2: 26 characters",
                    "/slow: cancelled after 2000 ms",
                    "/pages/3: 26 characters",
                    "/pages/4: 26 characters",
                    "/pages/5: 26 characters",
                    "/pages/6: 26 characters",
                    "6 of 7 pages; at most 3 requests in flight");

    @Test
    @Timeout(30)
    void fetchesEveryPageButTheSlowOneWithAtMostThreeInFlight() throws Exception {
        var captured = Console.capture(FetchingPages::main);
        assertEquals(OUTPUT, captured.out());
        assertEquals(1, captured.err().size(), captured.err().toString());
        assertTrue(captured.err().get(0).startsWith("timings (ms): ["), captured.err().get(0));
    }
}
