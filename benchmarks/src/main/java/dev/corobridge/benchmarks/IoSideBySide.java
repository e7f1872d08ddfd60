package dev.corobridge.benchmarks;

import dev.corobridge.benchmarks.IoWorkloads.Contender;
import dev.corobridge.benchmarks.IoWorkloads.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The file and process rows, ratios in one run: {@value IoWorkloads#SMALL_FILES} small files read
 * at once, a large file ({@code --lines-mib}, 1024 MiB) streamed line by line, and {@value
 * IoWorkloads#PROCESSES} child processes run {@value IoWorkloads#PROCESSES_AT_ONCE} at a time; one
 * fresh process per contender, workload and run, each warmed up by untimed passes (five, one for
 * the large file; so the files are in the page cache for everyone). Writes {@code
 * docs/benchmarks-io.md} unless {@code --no-write}.
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am compile exec:java -Dbenchmarks.main=dev.corobridge.benchmarks.IoSideBySide
 * </pre>
 *
 * The Python rows need {@code python3-aiofiles} for {@code /usr/bin/python3} (the file rows are
 * left out without it, and the report says so).
 */
public final class IoSideBySide {
    private static final String PYTHON = "/usr/bin/python3";

    /** aiofiles' {@code async for} hops to a thread per line: past this, a run takes minutes. */
    private static final int PYTHON_LINES_MIB = 64;

    private IoSideBySide() {}

    record Options(int linesMib, int runs, @Nullable Path out) {
        static Options parse(String[] args) {
            int linesMib = 1024, runs = 3;
            Path out = Path.of("docs", "benchmarks-io.md");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--lines-mib" -> linesMib = Integer.parseInt(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--no-write" -> out = null;
                    default ->
                            throw new IllegalArgumentException(
                                    "usage: IoSideBySide [--lines-mib M] [--runs R] [--out FILE |"
                                            + " --no-write]; unknown: "
                                            + args[i]);
                }
            }
            return new Options(linesMib, runs, out);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String loadAtStart = SideBySide.loadAverage();
        List<String> notes = new ArrayList<>();
        boolean aiofiles = hasAiofiles();
        if (!aiofiles) {
            notes.add(
                    "aiofiles rows left out: "
                            + PYTHON
                            + " has no aiofiles (Debian: python3-aiofiles)");
        }
        if (aiofiles && options.linesMib() > PYTHON_LINES_MIB) {
            notes.add(
                    "aiofiles line row left out: its `async for line in f` runs each readline in a"
                            + " thread of its own, so a "
                            + options.linesMib()
                            + " MiB file takes minutes; run with `--lines-mib "
                            + PYTHON_LINES_MIB
                            + "` to see it");
        }
        if (VirtualThreads.factory().isEmpty()) {
            notes.add("virtual-thread rows left out: this JDK has no virtual threads (JDK 21+)");
        }
        Path script = SideBySide.extractScript("io_workload.py");
        Path dir = Files.createTempDirectory("corobridge-io-bench");
        Map<Workload, Map<Contender, List<Measurement>>> results = new EnumMap<>(Workload.class);
        try {
            Path small = dir.resolve("small");
            IoWorkloads.writeSmallFiles(small);
            Path lines = dir.resolve("lines.txt");
            long linesChecksum = IoWorkloads.writeLines(lines, options.linesMib());
            for (int run = 1; run <= options.runs(); run++) {
                for (Workload workload : Workload.values()) {
                    for (Contender contender : Contender.values()) {
                        if (contender == Contender.VIRTUAL_THREADS
                                && VirtualThreads.factory().isEmpty()) continue;
                        if (contender == Contender.PYTHON
                                && workload != Workload.PROCESSES
                                && !aiofiles) continue;
                        if (contender == Contender.PYTHON
                                && workload == Workload.LINES
                                && options.linesMib() > PYTHON_LINES_MIB) continue;
                        Path path =
                                switch (workload) {
                                    case SMALL_FILES -> small;
                                    case LINES -> lines;
                                    case PROCESSES -> dir;
                                };
                        long expected =
                                switch (workload) {
                                    case SMALL_FILES -> IoWorkloads.smallFilesChecksum();
                                    case LINES -> linesChecksum;
                                    case PROCESSES -> IoWorkloads.processesChecksum();
                                };
                        List<String> command =
                                contender == Contender.PYTHON
                                        ? List.of(
                                                PYTHON,
                                                script.toString(),
                                                workload.name(),
                                                path.toString())
                                        : ChildJvm.command(
                                                List.of(),
                                                IoChild.class.getName(),
                                                List.of(
                                                        workload.name(),
                                                        contender.name(),
                                                        path.toString()));
                        Measurement measured =
                                ChildRuns.run(workload + " " + contender, command, expected);
                        System.err.printf(
                                "%-12s %-18s run %d: %.0f ms%n",
                                workload, contender, run, measured.wallNanos() / 1e6);
                        results.computeIfAbsent(workload, w -> new EnumMap<>(Contender.class))
                                .computeIfAbsent(contender, c -> new ArrayList<>())
                                .add(measured);
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        String report = report(options, results, notes, loadAtStart, SideBySide.loadAverage());
        System.out.println(report);
        if (options.out() != null) {
            Files.writeString(options.out(), report);
            System.err.println("wrote " + options.out().toAbsolutePath());
        }
    }

    static String report(
            Options options,
            Map<Workload, Map<Contender, List<Measurement>>> results,
            List<String> notes,
            String loadAtStart,
            String loadAtEnd) {
        var out =
                ChildRuns.head(
                        "File and process benchmarks",
                        IoSideBySide.class,
                        options.runs(),
                        "the contenders and their child processes",
                        notes,
                        loadAtStart,
                        loadAtEnd);
        section(
                out,
                String.format(
                        Locale.ROOT,
                        "## %,d files of %d KiB read at once (platform and virtual threads: %d at a time)",
                        IoWorkloads.SMALL_FILES,
                        IoWorkloads.SMALL_FILE_BYTES / 1024,
                        IoWorkloads.FILE_THREADS),
                "files",
                results.get(Workload.SMALL_FILES),
                IoWorkloads.SMALL_FILES);
        section(
                out,
                String.format(
                        Locale.ROOT,
                        "## a %,d MiB file streamed line by line (the JDK: `BufferedReader.readLine` on one thread)",
                        options.linesMib()),
                "MiB",
                results.get(Workload.LINES),
                options.linesMib());
        section(
                out,
                String.format(
                        Locale.ROOT,
                        "## %d child processes (`echo N`), %d at a time (the JDK: `ProcessBuilder` on a pool of %d)",
                        IoWorkloads.PROCESSES,
                        IoWorkloads.PROCESSES_AT_ONCE,
                        IoWorkloads.PROCESSES_AT_ONCE),
                "processes",
                results.get(Workload.PROCESSES),
                IoWorkloads.PROCESSES);
        return out.toString();
    }

    private static void section(
            StringBuilder out,
            String title,
            String perSecond,
            @Nullable Map<Contender, List<Measurement>> rows,
            int operations) {
        out.append(title).append("\n\n");
        if (rows == null) return;
        Map<String, List<Measurement>> labelled = new LinkedHashMap<>();
        rows.forEach((contender, runs) -> labelled.put(contender.label, runs));
        ChildRuns.table(
                out,
                "contender",
                "plain JDK on platform threads",
                perSecond,
                labelled,
                rows.get(Contender.PLATFORM_THREADS),
                operations);
        out.append('\n');
    }

    private static boolean hasAiofiles() {
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import aiofiles").start();
            return check.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
