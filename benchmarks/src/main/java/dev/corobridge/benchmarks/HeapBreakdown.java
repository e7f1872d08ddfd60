package dev.corobridge.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.management.ObjectName;

/**
 * Where the retained heap of a suspended task goes, class by class: {@code SIZE} Java bodies each
 * awaiting a sleep ({@link Workload#BODY_SLEEPS}) against as many virtual threads in {@code
 * Thread.sleep}, each in a JVM of its own. While every task is suspended, the JVM's class histogram
 * (live objects, after a full GC) minus the one taken before the workload, divided by {@code SIZE}.
 * {@code jdk.internal.vm.StackChunk} is the frozen stacks.
 *
 * <p>{@code --warm-rounds W} runs the workload W times at full size first, so that the JIT has
 * compiled the path to the park (small compiled frames); the default, 0, runs only the harness's
 * small class-loading round (frames mostly interpreted or C1-compiled, as in {@code
 * docs/benchmarks.md}). {@code --jvm-opt -Xint} shows fully interpreted frames.
 *
 * <pre>{@code
 * mvn -q -B -pl benchmarks -am compile exec:java -Dbenchmarks.main=dev.corobridge.benchmarks.HeapBreakdown -Dexec.args="--warm-rounds 3"
 * }</pre>
 */
public final class HeapBreakdown {
    private static final String CHILD_FLAG = "--child";
    private static final String ROW_PREFIX = "CLASS ";

    private HeapBreakdown() {}

    /** Runs both systems in child JVMs and prints a table; or, with {@code --child}, one system. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(CHILD_FLAG)) {
            child(Contender.valueOf(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            System.exit(0);
        }
        int size = 100_000;
        int warmRounds = 0;
        List<String> jvmOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Integer.parseInt(value(args, ++i));
                case "--warm-rounds" -> warmRounds = Integer.parseInt(value(args, ++i));
                case "--jvm-opt" -> jvmOptions.add(value(args, ++i));
                default ->
                        throw new IllegalArgumentException(
                                "usage: HeapBreakdown [--size N] [--warm-rounds W]"
                                        + " [--jvm-opt OPTION]...; unknown: "
                                        + args[i]);
            }
        }
        var systems = List.of(Contender.COROBRIDGE, Contender.VIRTUAL_THREADS);
        Map<Contender, Map<String, Double>> perTask = new LinkedHashMap<>();
        for (Contender system : systems) {
            perTask.put(system, runChild(system, size, warmRounds, jvmOptions));
        }
        System.out.print(table(perTask, size, warmRounds, jvmOptions));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static Map<String, Double> runChild(
            Contender system, int size, int warmRounds, List<String> jvmOptions) throws Exception {
        var command =
                ChildJvm.command(
                        jvmOptions,
                        HeapBreakdown.class.getName(),
                        List.of(
                                CHILD_FLAG,
                                system.name(),
                                Integer.toString(size),
                                Integer.toString(warmRounds)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, Double> bytes = new HashMap<>();
        List<String> other = new ArrayList<>();
        try (var reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith(ROW_PREFIX)) {
                    String[] parts = line.substring(ROW_PREFIX.length()).split(" ");
                    bytes.put(parts[1], Double.parseDouble(parts[0]));
                } else {
                    other.add(line);
                }
            }
        }
        int status = process.waitFor();
        if (status != 0 || bytes.isEmpty()) {
            throw new IllegalStateException(
                    system + " child failed (" + status + "): " + String.join("\n", other));
        }
        return bytes;
    }

    /** In the child: prints {@link #measure} as one line per class. */
    private static void child(Contender system, int size, int warmRounds) throws Exception {
        for (var entry : measure(system, size, warmRounds, 30_000).entrySet()) {
            System.out.printf(
                    Locale.ROOT, "%s%.1f %s%n", ROW_PREFIX, entry.getValue(), entry.getKey());
        }
    }

    /**
     * Runs {@code size} tasks of {@code system} that each await a sleep of {@code sleepMillis} and
     * returns, by class, the bytes of live objects per task while all of them are suspended
     * (classes under half a byte per task left out). The sleep must outlast the histogram.
     */
    static Map<String, Double> measure(Contender system, int size, int warmRounds, long sleepMillis)
            throws Exception {
        Workloads.run(system, Workload.BODY_SLEEPS, Math.min(size, 1_000), 1, () -> {});
        for (int i = 0; i < warmRounds; i++) {
            Workloads.run(system, Workload.BODY_SLEEPS, size, 1, () -> {});
        }
        Map<String, Long> before = histogram();
        Map<String, Long> during = new HashMap<>();
        long start = System.nanoTime();
        Workloads.run(
                system,
                Workload.BODY_SLEEPS,
                size,
                sleepMillis,
                () -> {
                    try {
                        during.putAll(histogram());
                    } catch (Exception e) {
                        throw new IllegalStateException("no class histogram from this JVM", e);
                    }
                    if ((System.nanoTime() - start) / 1_000_000 >= sleepMillis) {
                        throw new IllegalStateException(
                                "the histogram outlasted the sleep: tasks may have finished");
                    }
                });
        Map<String, Double> perTask = new HashMap<>();
        for (var entry : during.entrySet()) {
            double bytes = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            if (Math.abs(bytes / size) >= 0.5) {
                perTask.put(entry.getKey(), bytes / size);
            }
        }
        return perTask;
    }

    /** Bytes of live objects by class name (a full GC first), from the JVM's class histogram. */
    static Map<String, Long> histogram() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        String text =
                (String)
                        server.invoke(
                                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                "gcClassHistogram",
                                new Object[] {new String[0]},
                                new String[] {String[].class.getName()});
        return parseHistogram(text);
    }

    /**
     * Parses {@code num: instances bytes class-name [(module)]} lines. Hidden classes (lambdas)
     * lose their address suffix, so that they line up across JVMs.
     */
    static Map<String, Long> parseHistogram(String text) {
        Map<String, Long> bytes = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[0].endsWith(":") && !parts[0].equals("Total")) {
                String name = parts[3].replaceFirst("/0x[0-9a-f]+$", "");
                bytes.merge(name, Long.parseLong(parts[2]), Long::sum);
            }
        }
        return bytes;
    }

    /** A Markdown table: one row per class, bytes per task for each system, and the totals. */
    static String table(
            Map<Contender, Map<String, Double>> perTask,
            int size,
            int warmRounds,
            List<String> jvmOptions) {
        var systems = new ArrayList<>(perTask.keySet());
        var classes = new TreeSet<String>();
        perTask.values().forEach(bytes -> classes.addAll(bytes.keySet()));
        var rows = new ArrayList<>(classes);
        // Largest first, by the first system's bytes.
        Map<String, Double> first = perTask.get(systems.get(0));
        rows.sort((a, b) -> Double.compare(first.getOrDefault(b, 0.0), first.getOrDefault(a, 0.0)));
        var out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "Retained heap per suspended task by class, %,d tasks each awaiting a sleep;"
                                + " JDK %s; warm rounds: %d; JVM options: %s%n%n",
                        size,
                        Runtime.version(),
                        warmRounds,
                        jvmOptions.isEmpty() ? "none" : String.join(" ", jvmOptions)));
        out.append("| class |");
        systems.forEach(system -> out.append(' ').append(system.label()).append(" |"));
        out.append("\n|---|");
        systems.forEach(system -> out.append("---|"));
        out.append('\n');
        for (String name : rows) {
            out.append("| `").append(name).append("` |");
            for (Contender system : systems) {
                Double bytes = perTask.get(system).get(name);
                out.append(bytes == null ? " |" : String.format(Locale.ROOT, " %.0f B |", bytes));
            }
            out.append('\n');
        }
        out.append("| **total** |");
        for (Contender system : systems) {
            double total = perTask.get(system).values().stream().mapToDouble(d -> d).sum();
            out.append(String.format(Locale.ROOT, " **%.0f B** |", total));
        }
        out.append('\n');
        return out.toString();
    }
}
