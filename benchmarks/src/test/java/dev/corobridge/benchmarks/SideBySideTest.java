package dev.corobridge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every workload of the harness, at a tiny size, in-process: the harness cannot rot unseen. */
class SideBySideTest {
    static final int SIZE = 50;
    static final long SLEEP_MILLIS = 20;

    @ParameterizedTest
    @EnumSource(value = Contender.class, names = "ASYNCIO", mode = EnumSource.Mode.EXCLUDE)
    @Timeout(30)
    void everyWorkloadFinishesEveryTaskOnEveryJvmContender(Contender contender) throws Exception {
        assumeTrue(contender != Contender.VIRTUAL_THREADS || VirtualThreads.factory().isPresent());
        for (Workload workload : Workload.values()) {
            int[] probes = {0};
            long checksum =
                    Workloads.run(contender, workload, SIZE, SLEEP_MILLIS, () -> probes[0]++);
            assertEquals(SIZE, checksum, workload + " checksum");
            assertEquals(workload == Workload.SLEEPS ? 1 : 0, probes[0], workload + " probes");
        }
    }

    @Test
    @Timeout(30)
    void gatherOfYieldingTasksFinishesEveryTask() throws Exception {
        assertEquals(SIZE, Workloads.corobridgeGatherYielding(SIZE));
        assertEquals(SIZE, KotlinBaseline.gatherYielding(SIZE));
    }

    @Test
    @Timeout(30)
    void childMeasuresTimeAndRetainedHeap() throws Exception {
        var time = Child.measureTime(Contender.KOTLINX, Workload.SLEEPS, SIZE, SLEEP_MILLIS);
        assertTrue(time.wallNanos() >= SLEEP_MILLIS * 1_000_000, "wall " + time.wallNanos());
        assertTrue(time.cpuNanos() >= 0, "cpu " + time.cpuNanos());
        var heap = Child.measureHeap(Contender.KOTLINX, Workload.SLEEPS, 1_000, 5_000);
        assertTrue(Double.isFinite(heap.heapPerTaskBytes()), "heap " + heap);
    }

    @Test
    @Timeout(60)
    void asyncioScriptReportsAResultLine() throws Exception {
        assumeTrue(SideBySide.pythonVersion().isPresent(), "no python3");
        var options =
                Options.parse(
                        "--sleeps",
                        "100",
                        "--round-trips",
                        "100",
                        "--sleep-ms",
                        "10",
                        "--heap-sleep-ms",
                        "2000");
        var results = SideBySide.measure(only(options, Contender.ASYNCIO));
        for (Workload workload : Workload.values()) {
            var runs = results.times().get(workload).get(Contender.ASYNCIO);
            assertTrue(Double.isFinite(runs.get(0).wallNanos()), workload + " " + runs);
        }
    }

    @Test
    void resultLineRoundTripsAndReadsPythonNan() {
        var measurement = new Measurement(1e9, 2e9, 3e6, Double.NaN);
        assertEquals(measurement, Measurement.parse(measurement.toLine()));
        var python = Measurement.parse("RESULT wall_ns=nan cpu_ns=1 heap_per_task_bytes=nan");
        assertTrue(Double.isNaN(python.wallNanos()));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(2.5, Report.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(3.0, Report.median(List.of(3.0, 9.0, 1.0)));
    }

    @Test
    void tableHasARowPerContenderWithRatiosToKotlinx() {
        var options = Options.parse("--runs", "1", "--no-write");
        var run = new Measurement(2e9, 1e9, 1 << 20, 100);
        var base = new Measurement(1e9, 1e9, 1 << 20, 50);
        Map<Workload, Map<Contender, List<Measurement>>> times = new EnumMap<>(Workload.class);
        for (Workload workload : Workload.values()) {
            times.put(
                    workload,
                    new EnumMap<>(
                            Map.of(
                                    Contender.KOTLINX, List.of(base),
                                    Contender.COROBRIDGE, List.of(run))));
        }
        var results =
                new SideBySide.Results(
                        times,
                        Map.of(Workload.SLEEPS, times.get(Workload.SLEEPS)),
                        List.of(Contender.COROBRIDGE, Contender.KOTLINX),
                        Optional.empty(),
                        "0.00 / 0.00 / 0.00",
                        "0.00 / 0.00 / 0.00");

        String table = Report.tables(options, results);
        String document = Report.document(options, results, table);

        assertTrue(
                table.contains(
                        "| corobridge (Java bodies) | 2.00 s | 2.00× | 1.00 s | 1.00× | 1 MiB |"
                                + " 1.00× | 100 B | 2.00× |"),
                table);
        assertTrue(table.contains("| raw kotlinx | 1.00 s | 1.00× |"), table);
        assertTrue(document.contains(table) && document.contains("Load average"), document);
    }

    private static Options only(Options options, Contender contender) {
        return new Options(
                options.sleeps(),
                options.roundTrips(),
                1,
                options.sleepMillis(),
                options.heapSleepMillis(),
                EnumSet.of(contender),
                options.workloads(),
                null,
                options.jvmOptions(),
                options.arguments());
    }
}
