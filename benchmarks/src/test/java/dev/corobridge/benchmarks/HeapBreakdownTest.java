package dev.corobridge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The class-by-class heap breakdown: its histogram parsing, its table, and a small real run. */
class HeapBreakdownTest {
    @Test
    void parsesTheJvmClassHistogramSummingClassesOfTheSameNameAndDroppingHiddenClassAddresses() {
        String text =
                """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        100003      121024712  jdk.internal.vm.StackChunk (java.base@25.0.3)
                   2:        100001        8800088  dev.corobridge.core.JavaBody
                   3:             2             64  dev.corobridge.core.JavaBody
                   4:             1             16  a.B$$Lambda/0x000000002805bc98
                Total        200006      129824864
                """;

        Map<String, Long> bytes = HeapBreakdown.parseHistogram(text);

        assertEquals(
                Map.of(
                        "jdk.internal.vm.StackChunk", 121024712L,
                        "dev.corobridge.core.JavaBody", 8800152L,
                        "a.B$$Lambda", 16L),
                bytes);
    }

    @Test
    void tableHasARowPerClassLargestFirstAndTheTotals() {
        Map<Contender, Map<String, Double>> perTask = new LinkedHashMap<>();
        perTask.put(Contender.COROBRIDGE, Map.of("a.Small", 16.0, "a.Big", 600.0));
        perTask.put(Contender.VIRTUAL_THREADS, Map.of("a.Big", 300.0, "b.Own", 72.0));

        String table = HeapBreakdown.table(perTask, 1_000, 0, List.of());

        assertTrue(table.contains("| class | corobridge (Java bodies) | virtual threads |"), table);
        assertTrue(table.indexOf("`a.Big`") < table.indexOf("`a.Small`"), table);
        assertTrue(table.contains("| `a.Big` | 600 B | 300 B |"), table);
        assertTrue(table.contains("| `b.Own` | | 72 B |"), table);
        assertTrue(table.contains("| **total** | **616 B** | **372 B** |"), table);
    }

    @Test
    @Timeout(60)
    void aSuspendedJavaBodyHoldsItsThreadItsTaskAndAStack() throws Exception {
        assumeTrue(VirtualThreads.factory().isPresent(), "needs virtual threads");

        Map<String, Double> perTask = HeapBreakdown.measure(Contender.COROBRIDGE, 2_000, 0, 5_000);

        assertTrue(perTask.get("dev.corobridge.core.JavaBody") >= 40, perTask.toString());
        assertTrue(perTask.get("java.lang.VirtualThread") >= 100, perTask.toString());
        assertTrue(perTask.get("jdk.internal.vm.StackChunk") >= 100, perTask.toString());
    }
}
