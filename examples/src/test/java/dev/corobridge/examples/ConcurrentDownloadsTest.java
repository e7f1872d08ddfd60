package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrentDownloadsTest {
    static final List<String> OUTPUT =
            List.of("Start 0", "Start 1", "Start 2", "End 0", "End 1", "End 2");

    @Test
    @Timeout(10)
    void startsEveryDownloadBeforeAnyEnds() throws Exception {
        assertEquals(OUTPUT, Console.capture(ConcurrentDownloads::main).out());
    }

    @Test
    @Timeout(10)
    void threeOneSecondDownloadsTakeAboutOneSecond() throws Exception {
        long start = System.nanoTime();
        Console.capture(ConcurrentDownloads::main);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(elapsed.compareTo(Duration.ofSeconds(1)) >= 0, "took only " + elapsed);
        assertTrue(
                elapsed.compareTo(Duration.ofMillis(2500)) < 0,
                "took " + elapsed + ": the downloads did not overlap");
    }
}
