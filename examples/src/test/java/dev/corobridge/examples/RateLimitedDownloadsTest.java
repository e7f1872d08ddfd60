package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RateLimitedDownloadsTest {
    static final List<String> OUTPUT =
            List.of(
                    "download 0 starts",
                    "download 1 starts",
                    "download 2 starts",
                    "download 3 starts",
                    "download 4 starts",
                    "download 5 starts",
                    "got 6 pages; at most 2 at once");

    @Test
    @Timeout(10)
    void neverMoreThanTwoInFlightAndServedInOrder() throws Exception {
        assertEquals(OUTPUT, Console.capture(RateLimitedDownloads::main).out());
    }
}
