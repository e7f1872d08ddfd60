package dev.corobridge.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The harness's Markdown: one table per workload, and the document around them. Its medians and
 * formats are also the chart's ({@link Chart}).
 */
final class Report {
    private static final String RATIO = "× kotlinx";

    private Report() {}

    /** One table per workload: medians, and the median of per-run ratios to raw kotlinx. */
    static String tables(Options options, SideBySide.Results results) {
        StringBuilder md = new StringBuilder();
        for (Workload workload : options.workloads()) {
            var times = results.times().getOrDefault(workload, Map.of());
            var heaps = results.heaps().getOrDefault(workload, Map.of());
            List<String> header =
                    new ArrayList<>(
                            List.of("system", "wall", RATIO, "CPU", RATIO, "peak RSS", RATIO));
            header.addAll(
                    switch (workload) {
                        case SLEEPS, BODY_SLEEPS -> List.of("retained heap / task", RATIO);
                        case ROUND_TRIPS -> List.of("wall / round trip");
                        case YIELD_BATCHES -> List.of("tasks/s");
                        case QUEUE -> List.of("items/s");
                    });
            md.append("### ").append(heading(options, workload)).append("\n\n");
            md.append(row(header)).append("|").append("---|".repeat(header.size())).append("\n");
            var baseTimes = times.getOrDefault(Contender.KOTLINX, List.of());
            var baseHeaps = heaps.getOrDefault(Contender.KOTLINX, List.of());
            for (Contender contender : results.contenders(workload)) {
                var runs = times.getOrDefault(contender, List.of());
                List<String> cells = new ArrayList<>(List.of(contender.label()));
                cells.addAll(cell(runs, baseTimes, Measurement::wallNanos, Report::duration));
                cells.addAll(cell(runs, baseTimes, Measurement::cpuNanos, Report::duration));
                cells.addAll(cell(runs, baseTimes, Measurement::peakRssBytes, Report::mebibytes));
                double wallPerTask = wallPerTask(options, results, workload, contender);
                switch (workload) {
                    case SLEEPS, BODY_SLEEPS ->
                            cells.addAll(
                                    cell(
                                            heaps.getOrDefault(contender, List.of()),
                                            baseHeaps,
                                            Measurement::heapPerTaskBytes,
                                            Report::bytes));
                    case ROUND_TRIPS -> cells.add(duration(wallPerTask));
                    case YIELD_BATCHES, QUEUE -> cells.add(rate(1e9 / wallPerTask));
                }
                md.append(row(cells));
            }
            md.append("\n");
        }
        return md.toString();
    }

    /** What {@code workload} did at the sizes of {@code options}: a table's or a panel's title. */
    static String heading(Options options, Workload workload) {
        return switch (workload) {
            case SLEEPS, BODY_SLEEPS ->
                    String.format(
                            Locale.ROOT,
                            "%,d %s (%,d ms each)",
                            options.size(workload),
                            workload.description(),
                            options.sleepMillis());
            case ROUND_TRIPS ->
                    String.format(
                            Locale.ROOT, "%,d %s", options.size(workload), workload.description());
            case YIELD_BATCHES ->
                    String.format(
                            Locale.ROOT,
                            "%,d × %,d %s",
                            options.batches(workload),
                            options.size(workload),
                            workload.description());
            case QUEUE ->
                    String.format(
                            Locale.ROOT,
                            "%,d %s (capacity %,d; %d producers, %d consumers)",
                            options.size(workload),
                            workload.description(),
                            Workload.QUEUE_CAPACITY,
                            Workload.QUEUE_PRODUCERS,
                            Workload.QUEUE_CONSUMERS);
        };
    }

    /** Median wall time of {@code contender}'s runs of {@code workload}, per task finished. */
    static double wallPerTask(
            Options options, SideBySide.Results results, Workload workload, Contender contender) {
        var runs =
                results.times().getOrDefault(workload, Map.of()).getOrDefault(contender, List.of());
        return median(values(runs, Measurement::wallNanos)) / options.tasks(workload);
    }

    /** Median retained heap per sleeping task of {@code contender} in {@code workload}. */
    static double heapPerTask(SideBySide.Results results, Workload workload, Contender contender) {
        var runs =
                results.heaps().getOrDefault(workload, Map.of()).getOrDefault(contender, List.of());
        return median(values(runs, Measurement::heapPerTaskBytes));
    }

    private static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** The whole of {@code docs/benchmarks.md}. */
    static String document(Options options, SideBySide.Results results, String tables) {
        String date =
                ZonedDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String python = results.pythonVersion().orElse("not present");
        return """
                # Benchmarks

                Generated by `dev.corobridge.benchmarks.SideBySide` on %s. Every run is a fresh process;
                each cell is the median of %d runs, and each ratio the median of the per-run ratios to
                raw kotlinx (runs are interleaved, so a neighbour's load hits both sides of a pair).%s

                **Noise:** this machine may have been shared with other builds and benchmarks while the
                harness ran; treat differences under ~20%% as noise and rerun before drawing conclusions.
                Load average (1 / 5 / 15 min) at the start: %s; at the end: %s (%d CPUs).

                ## Machine

                - CPUs (`nproc`): %d; %s
                - JDK: %s %s (%s), for the harness and every child JVM; child JVM options: %s
                - Kotlin %s, kotlinx-coroutines %s; Python: %s

                ## Results

                %s%s
                ## What is measured

                - **wall**: the workload alone, from its first task to the last result, in one cold
                  process (JVM start-up excluded, JIT warm-up included). **CPU**: CPU time of the whole
                  process (all threads, GC included) over the same interval.
                - **peak RSS**: `VmHWM` of `/proc/self/status` at the end of the timing run: JVM
                  start-up and heap sizing included.
                - **retained heap / task**: a separate run per system, whose tasks sleep %,d ms (time
                  to start them all and collect the heap before the first wakes); after a small run
                  to load the classes, used heap after `System.gc()` while every task is suspended in
                  its sleep, minus the heap before, divided by the task count. asyncio: resident set growth
                  after `gc.collect()` instead (Python has no comparable heap counter). Blank if the
                  probe outlasted the sleep.
                - **wall / round trip**: median wall divided by the round trips. **tasks/s**: all the
                  tasks of all the batches divided by the median wall. **items/s**: the items through
                  the queue divided by the median wall; every consumer sums its items, and each run
                  checks the sum of the sums. The chart's time panels show the median wall divided by
                  the tasks finished (the items, for the queue), each panel scaled to its largest bar.
                - **Why** the numbers are what they are (the engine's hot paths, and what cold runs of
                  Java bodies pay to the JIT): [ADR 0007](adr/0007-hot-paths-without-coroutine-bodies.md),
                  [ADR 0008](adr/0008-the-permit-holder-runs-the-loop.md); what no engine with a thread per
                  Java body can go below here (hand-offs, fan-out, heap class by class):
                  [ADR 0009](adr/0009-floors-of-direct-style-bodies.md). The Java bodies are statement
                  lambdas (`AsyncRunnable`), like the virtual threads' `Runnable`s: the expression form
                  `() -> Async.sleep(d).await()` is a `Callable<Void>` whose cast of the awaited `null`
                  the JIT compiles into a trap that every body suspended before the first resume hits
                  once (about 75k deoptimizations, 6 s instead of 2 s for 100k bodies).

                ### Systems

                The code of every cell: `Workloads.java`, `KotlinBaseline.kt` and `CorobridgeKotlin.kt`
                in `benchmarks/src/main`, and `asyncio_workload.py` in its resources.

                | system | sleeps | task bodies awaiting a sleep | round trips | yield batches (each batch gathered) | queue (4 producers, 4 consumers) |
                |---|---|---|---|---|---|
                | corobridge (Java bodies) | no row: see the next column, at a tenth of the size | in one `Async.run`: `Async.launch(() -> { Async.sleep(d).await(); })` per task, `Async.gather` | in one `Async.run`: `Async.launch(() -> 1).await()` | in one `Async.run`: `Async.launch(() -> { Async.yieldNow().await(); })` per task, `Async.gather` | in one `Async.run`: `AsyncQueue.fifo(1024)`, a body per producer (`put(i).await()`) and consumer (`get().await()`) |
                | corobridge (future style) | in one `Async.run`: `Async.sleep(d)` per task (no body), `Async.gather` | no row: no body per task | Kotlin, in `runBlocking`: `startTask { 1 }.awaitOwned()` (`dev.corobridge.kotlin`) | in one `Async.run`: `Async.yieldNow()` per task (no body), `Async.gather` | in one `Async.run`: the same queue; each producer and consumer a chain of `put(i)` / `get()` tasks, a waiting one followed by `thenCompose`, all gathered |
                | raw kotlinx | in `runBlocking`: `launch { delay(d) }` per task, `joinAll` | the same | in `runBlocking`: `async { 1 }.await()` | in `runBlocking`: `List(n) { async { yield() } }.awaitAll()` | in `runBlocking`: `Channel(1024)`, `launch { send(i) }` producers, `async { receive() }` consumers |
                | virtual threads | a thread per task that `Thread.sleep`s, all joined | the same | a thread that adds 1: `start()` + `join()` | a thread per task that `Thread.yield()`s, all joined | `ArrayBlockingQueue(1024)`, a thread per producer (`put`) and consumer (`take`), all joined |
                | CompletableFuture | `runAsync(() -> {}, delayedExecutor(d))` per task, `allOf(...).join()` | no row: no body per task | `supplyAsync(() -> 1).join()` on the common pool | no row: a future cannot yield | no row: no queue to wait on |
                | asyncio | `create_task(sleep(d))` per task, `gather` | the same | `await create_task(one())` | `gather(*[create_task(sleep(0)) ...])` | `asyncio.Queue(1024)`, a task per producer (`await put(i)`) and consumer (`await get()`), gathered |

                ## Rerun

                ```
                %s
                ```

                `--help`-style usage:

                ```
                %s
                ```
                """
                .formatted(
                        date,
                        options.runs(),
                        workloadsLine(options),
                        results.loadAtStart(),
                        results.loadAtEnd(),
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().availableProcessors(),
                        cpuModel(),
                        System.getProperty("java.vm.name"),
                        System.getProperty("java.runtime.version"),
                        System.getProperty("java.vm.vendor"),
                        options.jvmOptions().isEmpty()
                                ? "none"
                                : String.join(" ", options.jvmOptions()),
                        kotlin.KotlinVersion.CURRENT,
                        kotlinxVersion(),
                        python,
                        chartLine(options),
                        tables,
                        options.heapSleepMillis(),
                        rerunCommand(options),
                        Options.USAGE);
    }

    /** For a run of only some workloads ({@code --workloads}), a sentence naming them. */
    private static String workloadsLine(Options options) {
        if (options.workloads().containsAll(EnumSet.allOf(Workload.class))) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (Workload workload : options.workloads()) {
            names.add(workload.name().toLowerCase(Locale.ROOT));
        }
        return "\nOnly some workloads ran (`--workloads " + String.join(",", names) + "`).";
    }

    /** The Markdown image of the chart written next to the report, or nothing if none is. */
    private static String chartLine(Options options) {
        Path chart = options.chartOut();
        return chart == null
                ? ""
                : "![Retained heap per task and wall time per task, one bar per system]("
                        + chart.getFileName()
                        + ")\n\n";
    }

    private static String rerunCommand(Options options) {
        String command = "mvn -q -B -pl benchmarks -am compile exec:java";
        return options.arguments().isEmpty()
                ? command
                : command + " -Dexec.args=\"" + String.join(" ", options.arguments()) + "\"";
    }

    /** The median of {@code metric} and the median of its per-run ratios to {@code base}. */
    private static List<String> cell(
            List<Measurement> runs,
            List<Measurement> base,
            ToDoubleFunction<Measurement> metric,
            DoubleFunction<String> format) {
        double median = median(values(runs, metric));
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(runs.size(), base.size()); i++) {
            double ratio = metric.applyAsDouble(runs.get(i)) / metric.applyAsDouble(base.get(i));
            if (Double.isFinite(ratio)) {
                ratios.add(ratio);
            }
        }
        double ratio = median(ratios);
        return List.of(
                format.apply(median),
                Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio));
    }

    private static List<Double> values(
            List<Measurement> runs, ToDoubleFunction<Measurement> metric) {
        List<Double> values = new ArrayList<>();
        for (Measurement run : runs) {
            double value = metric.applyAsDouble(run);
            if (!Double.isNaN(value)) {
                values.add(value);
            }
        }
        return values;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1
                ? sorted.get(mid)
                : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    static String duration(double nanos) {
        if (Double.isNaN(nanos)) {
            return "–";
        }
        if (nanos < 1e3) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (nanos < 1e6) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        if (nanos < 1e9) {
            return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String mebibytes(double bytes) {
        return Double.isNaN(bytes)
                ? "–"
                : String.format(Locale.ROOT, "%,.0f MiB", bytes / (1 << 20));
    }

    static String bytes(double bytes) {
        return Double.isNaN(bytes) ? "–" : String.format(Locale.ROOT, "%,.0f B", bytes);
    }

    static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "–" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String kotlinxVersion() {
        String version = kotlinx.coroutines.Job.class.getPackage().getImplementationVersion();
        return version == null ? "(version unknown)" : version;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
