package dev.corobridge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildRunsTest {
    private static Measurement ms(double wallMillis) {
        return new Measurement(wallMillis * 1e6, wallMillis * 2e6, 64 * 1024 * 1024, Double.NaN);
    }

    @Test
    void aTableGivesMediansAndThroughputAgainstTheBaseline() {
        Map<String, List<Measurement>> rows = new LinkedHashMap<>();
        rows.put("fast", List.of(ms(100), ms(900), ms(200)));
        rows.put("base", List.of(ms(400), ms(300), ms(500)));
        var out = new StringBuilder();
        ChildRuns.table(out, "who", "base", "queries", rows, rows.get("base"), 10_000);
        List<String> lines = out.toString().lines().toList();
        assertEquals(
                "| who | wall | × base (throughput) | queries/s | CPU | peak RSS |", lines.get(0));
        assertEquals("| fast | 200 ms | 2.00× | 50,000 | 400 ms | 64 MiB |", lines.get(2));
        assertEquals("| base | 400 ms | 1.00× | 25,000 | 800 ms | 64 MiB |", lines.get(3));
    }

    @Test
    void aChildWithTheWrongChecksumFails() throws Exception {
        var wrong =
                assertThrows(
                        IllegalStateException.class, () -> ChildRuns.run("echo", child(41), 42));
        assertTrue(wrong.getMessage().contains("checksum 41 (expected 42)"), wrong.getMessage());
        Measurement right = ChildRuns.run("echo", child(42), 42);
        assertEquals(1e6, right.wallNanos());
    }

    /** A child that prints {@code checksum} and a result line of 1 ms. */
    private static List<String> child(long checksum) {
        return List.of("sh", "-c", "echo CHECKSUM " + checksum + "; echo '" + ms(1).toLine() + "'");
    }
}
