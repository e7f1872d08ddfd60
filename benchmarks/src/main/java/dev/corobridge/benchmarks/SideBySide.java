package dev.corobridge.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The side-by-side macro harness: runs each workload through each system, every run in a fresh
 * process (a JVM with this classpath, or {@code python3}), and prints a Markdown table of medians
 * with ratios to raw kotlinx, which it also writes to {@code docs/benchmarks.md}, with a chart of
 * the per-task figures in {@code docs/benchmarks.svg}.
 *
 * <p>Runs are interleaved (run 1 of every system, then run 2, ...) and each ratio is the median of
 * the per-run ratios, so that a noisy neighbour slows both sides of a pair alike. Options: see
 * {@link Options#USAGE}.
 *
 * <pre>{@code
 * mvn -q -B -pl benchmarks -am compile exec:java -Dexec.args="--sleeps 100000 --round-trips 100000 --batches 10"
 * }</pre>
 */
public final class SideBySide {
    private SideBySide() {}

    /** Runs the harness with {@code args} (see {@link Options#USAGE}). */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Results results = measure(options);
        String table = Report.tables(options, results);
        System.out.println(table);
        Path out = options.out();
        Path chart = options.chartOut();
        if (out != null && chart != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, Report.document(options, results, table));
            Files.writeString(chart, Chart.svg(options, results));
            System.err.println("wrote " + out + " and " + chart);
        }
    }

    /** Every measurement of one harness run, by workload and system, in run order. */
    public record Results(
            Map<Workload, Map<Contender, List<Measurement>>> times,
            Map<Workload, Map<Contender, List<Measurement>>> heaps,
            List<Contender> contenders,
            Optional<String> pythonVersion,
            String loadAtStart,
            String loadAtEnd) {

        /** The contenders with a row for {@code workload}: measured, and able to run it. */
        List<Contender> contenders(Workload workload) {
            return contenders.stream().filter(contender -> contender.runs(workload)).toList();
        }
    }

    static Results measure(Options options) throws IOException, InterruptedException {
        String loadAtStart = loadAverage();
        Optional<String> python = pythonVersion();
        List<Contender> contenders = new ArrayList<>();
        for (Contender contender : options.contenders()) {
            if (contender == Contender.VIRTUAL_THREADS && VirtualThreads.factory().isEmpty()) {
                System.err.println("skipping virtual threads: JDK " + Runtime.version());
            } else if (contender == Contender.ASYNCIO && python.isEmpty()) {
                System.err.println("skipping asyncio: no python3 on the PATH");
            } else {
                contenders.add(contender);
            }
        }
        Path script =
                contenders.contains(Contender.ASYNCIO)
                        ? extractScript("asyncio_workload.py")
                        : null;
        Map<Workload, Map<Contender, List<Measurement>>> times = new EnumMap<>(Workload.class);
        Map<Workload, Map<Contender, List<Measurement>>> heaps = new EnumMap<>(Workload.class);
        for (int run = 1; run <= options.runs(); run++) {
            for (Workload workload : options.workloads()) {
                for (Contender contender : contenders) {
                    if (!contender.runs(workload)) {
                        continue; // no row: see Contender.runs
                    }
                    String what = workload + " " + contender + " run " + run;
                    times.computeIfAbsent(workload, w -> new EnumMap<>(Contender.class))
                            .computeIfAbsent(contender, c -> new ArrayList<>())
                            .add(runOnce(options, contender, workload, "time", script, what));
                    if (workload.sleeps()) {
                        heaps.computeIfAbsent(workload, w -> new EnumMap<>(Contender.class))
                                .computeIfAbsent(contender, c -> new ArrayList<>())
                                .add(runOnce(options, contender, workload, "heap", script, what));
                    }
                }
            }
        }
        return new Results(times, heaps, contenders, python, loadAtStart, loadAverage());
    }

    /** One child process; its measurement, or all-NaN (with the reason on stderr) if it failed. */
    static Measurement runOnce(
            Options options,
            Contender contender,
            Workload workload,
            String mode,
            Path script,
            String what)
            throws IOException, InterruptedException {
        List<String> args =
                List.of(
                        workload.name(),
                        Integer.toString(options.size(workload)),
                        Integer.toString(options.batches(workload)),
                        Long.toString(
                                mode.equals("heap")
                                        ? options.heapSleepMillis()
                                        : options.sleepMillis()),
                        mode);
        List<String> command;
        if (contender.onJvm()) {
            List<String> childArgs = new ArrayList<>();
            childArgs.add(contender.name());
            childArgs.addAll(args);
            command = ChildJvm.command(options.jvmOptions(), Child.class.getName(), childArgs);
        } else {
            command =
                    new ArrayList<>(List.of("python3", Objects.requireNonNull(script).toString()));
            command.addAll(args);
        }
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        killIfHung(process, what + " (" + mode + ")");
        Measurement result = null;
        try (var out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(Measurement.PREFIX)) {
                    result = Measurement.parse(line);
                }
            }
        }
        int status = process.waitFor();
        if (status != 0 || result == null) {
            System.err.printf("%s (%s): failed, exit status %d%n", what, mode, status);
            return new Measurement(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        System.err.printf(
                "%-45s %-4s %s%n",
                what, mode, result.toLine().substring(Measurement.PREFIX.length()));
        return result;
    }

    /** The Python script resource [name] of this package, copied to a temporary file. */
    static Path extractScript(String name) throws IOException {
        Path script = Files.createTempFile(name.replace(".py", ""), ".py");
        script.toFile().deleteOnExit();
        try (InputStream in = SideBySide.class.getResourceAsStream(name)) {
            Files.copy(
                    Objects.requireNonNull(in, name + " resource"),
                    script,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    /**
     * No child takes minutes: one that does has hung; its threads are dumped, then it is killed.
     */
    static void killIfHung(Process process, String what) {
        CompletableFuture.delayedExecutor(CHILD_LIMIT_SECONDS, TimeUnit.SECONDS)
                .execute(
                        () -> {
                            if (!process.isAlive()) return;
                            System.err.printf(
                                    "%s: no result after %d s, killed; its threads:%n",
                                    what, CHILD_LIMIT_SECONDS);
                            try {
                                Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
                                new ProcessBuilder(
                                                jcmd.toString(),
                                                Long.toString(process.pid()),
                                                "Thread.dump_to_file",
                                                "/dev/stderr")
                                        .inheritIO()
                                        .start()
                                        .waitFor(30, TimeUnit.SECONDS);
                            } catch (IOException | InterruptedException e) {
                                System.err.println("(no thread dump: " + e + ")");
                            }
                            process.destroyForcibly();
                        });
    }

    private static final long CHILD_LIMIT_SECONDS = 300;

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}): how shared the machine was. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** {@code python3 --version}, or empty when there is no {@code python3}. */
    static Optional<String> pythonVersion() {
        try {
            Process process =
                    new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            String version =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .trim();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0
                    ? Optional.of(version)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
