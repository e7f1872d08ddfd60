package dev.corobridge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;

/** Every workload of the harness, at a tiny size, in-process: the harness cannot rot unseen. */
class SideBySideTest {
    static final int SIZE = 50;
    static final int BATCHES = 3;
    static final long SLEEP_MILLIS = 20;

    @ParameterizedTest
    @EnumSource(value = Contender.class, names = "ASYNCIO", mode = EnumSource.Mode.EXCLUDE)
    @Timeout(30)
    void everyWorkloadFinishesEveryTaskOnEveryJvmContender(Contender contender) throws Exception {
        assumeTrue(contender != Contender.VIRTUAL_THREADS || VirtualThreads.factory().isPresent());
        for (Workload workload : Workload.values()) {
            if (!contender.runs(workload)) {
                continue;
            }
            int[] probes = {0};
            long checksum =
                    Workloads.run(
                            contender, workload, SIZE, BATCHES, SLEEP_MILLIS, () -> probes[0]++);
            int batches = workload == Workload.YIELD_BATCHES ? BATCHES : 1;
            assertEquals(workload.checksum(SIZE, batches), checksum, workload + " checksum");
            assertEquals(workload.sleeps() ? 1 : 0, probes[0], workload + " probes");
        }
    }

    /**
     * Every system that has a queue, asyncio included when there is a {@code python3}, passes the
     * same items through it: none, fewer than the producers, a size that the producers and
     * consumers do not divide, and enough to fill the queue many times over so that both sides
     * wait.
     */
    @ParameterizedTest
    @EnumSource(
            value = Contender.class,
            names = "COMPLETABLE_FUTURE",
            mode = EnumSource.Mode.EXCLUDE)
    @Timeout(60)
    void queueHandsOverEveryItemOnceOnEverySystem(Contender contender) throws Exception {
        assumeTrue(contender != Contender.VIRTUAL_THREADS || VirtualThreads.factory().isPresent());
        assumeTrue(contender.onJvm() || SideBySide.pythonVersion().isPresent(), "no python3");
        for (int items : new int[] {1, 3, 4_099, 20 * Workload.QUEUE_CAPACITY + 7}) {
            long expected = (long) items * (items - 1) / 2;
            if (contender.onJvm()) {
                assertEquals(
                        expected,
                        Workloads.run(contender, Workload.QUEUE, items, 1, 0, () -> {}),
                        items + " items");
            } else {
                var options = Options.parse("--queue-items", Integer.toString(items));
                var results =
                        SideBySide.measure(only(options, contender, EnumSet.of(Workload.QUEUE)));
                var run = results.times().get(Workload.QUEUE).get(contender).get(0);
                assertTrue(Double.isFinite(run.wallNanos()), items + " items: " + run);
            }
        }
    }

    @Test
    void queueSharesCoverEveryItemOnce() {
        for (int items : new int[] {1, 3, 10, 4_099}) {
            int consumed = 0;
            for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
                consumed += Workloads.consumerShare(items, c);
            }
            assertEquals(items, consumed, items + " items");
            assertEquals(0, Workload.share(items, 0, Workload.QUEUE_PRODUCERS));
            assertEquals(
                    items,
                    Workload.share(items, Workload.QUEUE_PRODUCERS, Workload.QUEUE_PRODUCERS));
        }
        assertEquals(49_999_995_000_000L, Workload.QUEUE.checksum(10_000_000, 1));
    }

    @Test
    void completableFutureHasNoYieldBatches() {
        assertFalse(Contender.COMPLETABLE_FUTURE.runs(Workload.YIELD_BATCHES));
        assertThrows(
                UnsupportedOperationException.class,
                () ->
                        Workloads.run(
                                Contender.COMPLETABLE_FUTURE,
                                Workload.YIELD_BATCHES,
                                SIZE,
                                BATCHES,
                                SLEEP_MILLIS,
                                () -> {}));
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
        var time = Child.measureTime(Contender.KOTLINX, Workload.SLEEPS, SIZE, 1, SLEEP_MILLIS);
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
                        "--body-sleeps",
                        "100",
                        "--round-trips",
                        "100",
                        "--batches",
                        "3",
                        "--batch-size",
                        "100",
                        "--queue-items",
                        "5000",
                        "--sleep-ms",
                        "10",
                        "--heap-sleep-ms",
                        "2000");
        var results = SideBySide.measure(only(options, Contender.ASYNCIO, options.workloads()));
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
        var results = fakeResults();

        String table = Report.tables(options, results);
        String document = Report.document(options, results, table);

        assertTrue(
                table.contains(
                        "| corobridge (Java bodies) | 2.00 s | 2.00× | 1.00 s | 1.00× | 1 MiB |"
                                + " 1.00× | 100 B | 2.00× |"),
                table);
        assertTrue(table.contains("| raw kotlinx | 1.00 s | 1.00× |"), table);
        assertTrue(document.contains(table) && document.contains("Load average"), document);
        assertFalse(document.contains("!["), "no chart is written with --no-write");
        assertFalse(document.contains("Only some workloads ran"), document);
        var queueOnly = Options.parse("--workloads", "queue,round_trips", "--no-write");
        assertTrue(
                Report.document(queueOnly, results, "")
                        .contains("Only some workloads ran (`--workloads round_trips,queue`)."),
                "a report of some workloads names them");
    }

    @Test
    void yieldBatchesTableShowsTasksPerSecondAndNoCompletableFutureRow() {
        var options = Options.parse("--batches", "100", "--batch-size", "10000", "--no-write");

        String table = Report.tables(options, fakeResults());
        String yieldTable = table.substring(table.indexOf("### 100 × 10,000 tasks"));

        // 100 × 10,000 tasks in the corobridge row's 2 s wall
        assertTrue(yieldTable.contains(" | tasks/s |\n"), yieldTable);
        assertTrue(yieldTable.contains(" | 500,000 |\n"), yieldTable);
        assertFalse(yieldTable.contains("CompletableFuture"), yieldTable);
        assertTrue(table.contains("| CompletableFuture |"), table);
    }

    @Test
    void chartHasABarPerSystemInEveryPanelAndIsWellFormedXml() throws Exception {
        var options = Options.parse("--runs", "1", "--out", "reports/side-by-side.md");
        var results = fakeResults();

        String svg = Chart.svg(options, results);

        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var root =
                factory.newDocumentBuilder()
                        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)))
                        .getDocumentElement();
        assertEquals("svg", root.getTagName());
        var panels = root.getElementsByTagName("g");
        // retained heap of each sleeping workload, then one wall-per-task panel per workload;
        // CompletableFuture has no body sleeps, yields nor queue, Java bodies no future-style
        // sleeps
        List<Integer> barsPerPanel = List.of(2, 2, 2, 2, 3, 2, 2);
        assertEquals(barsPerPanel.size(), panels.getLength());
        List<List<String>> bars = new ArrayList<>();
        for (int i = 0; i < panels.getLength(); i++) {
            bars.add(barTitles((Element) panels.item(i)));
            assertEquals(barsPerPanel.get(i), bars.get(i).size(), "panel " + i + ": " + svg);
        }
        assertEquals(
                List.of("corobridge (Java bodies): 2.0 µs", "raw kotlinx: 1.0 µs"),
                bars.get(5),
                "yield batches: 2 s and 1 s for 100 × 10,000 tasks, and no CompletableFuture bar");
        assertEquals(
                List.of("corobridge (Java bodies): 200 ns", "raw kotlinx: 100 ns"),
                bars.get(6),
                "queue: 2 s and 1 s for 10,000,000 items, and no CompletableFuture bar");
        assertTrue(
                svg.contains("wall time per item: 10,000,000 items through a bounded queue"), svg);
        assertEquals(Path.of("reports/side-by-side.svg"), options.chartOut());
        assertTrue(
                Report.document(options, results, "").contains("](side-by-side.svg)"),
                "the report shows the chart written next to it");
    }

    /** The titles of the bars of one chart panel, in order. */
    private static List<String> barTitles(Element panel) {
        List<String> titles = new ArrayList<>();
        var rects = panel.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            var rect = (Element) rects.item(i);
            if (rect.getAttribute("class").equals("bar")) {
                titles.add(rect.getTextContent());
            }
        }
        return titles;
    }

    /**
     * corobridge (Java bodies) at twice raw kotlinx's time and heap in every workload it runs (not
     * the future-style sleeps), and CompletableFuture (no body sleeps, no yield batches) alongside:
     * one run each.
     */
    private static SideBySide.Results fakeResults() {
        var run = new Measurement(2e9, 1e9, 1 << 20, 100);
        var base = new Measurement(1e9, 1e9, 1 << 20, 50);
        Map<Workload, Map<Contender, List<Measurement>>> times = new EnumMap<>(Workload.class);
        for (Workload workload : Workload.values()) {
            Map<Contender, List<Measurement>> byContender = new EnumMap<>(Contender.class);
            byContender.put(Contender.KOTLINX, List.of(base));
            if (Contender.COROBRIDGE.runs(workload)) {
                byContender.put(Contender.COROBRIDGE, List.of(run));
            }
            if (Contender.COMPLETABLE_FUTURE.runs(workload)) {
                byContender.put(Contender.COMPLETABLE_FUTURE, List.of(base));
            }
            times.put(workload, byContender);
        }
        return new SideBySide.Results(
                times,
                Map.of(
                        Workload.SLEEPS,
                        times.get(Workload.SLEEPS),
                        Workload.BODY_SLEEPS,
                        times.get(Workload.BODY_SLEEPS)),
                List.of(Contender.COROBRIDGE, Contender.KOTLINX, Contender.COMPLETABLE_FUTURE),
                Optional.empty(),
                "0.00 / 0.00 / 0.00",
                "0.00 / 0.00 / 0.00");
    }

    private static Options only(Options options, Contender contender, Set<Workload> workloads) {
        return new Options(
                options.sleeps(),
                options.bodySleeps(),
                options.roundTrips(),
                options.batches(),
                options.batchSize(),
                options.queueItems(),
                1,
                options.sleepMillis(),
                options.heapSleepMillis(),
                EnumSet.of(contender),
                workloads,
                null,
                options.jvmOptions(),
                options.arguments());
    }
}
