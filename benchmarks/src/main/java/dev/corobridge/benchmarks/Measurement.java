package dev.corobridge.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of one workload measured, in one process. A metric that was not measured is {@code
 * NaN}: peak RSS off Linux, retained heap in a timing run.
 *
 * @param wallNanos wall time of the workload, process start-up excluded
 * @param cpuNanos CPU time of the whole process (all threads) during the workload
 * @param peakRssBytes the process's peak resident set ({@code VmHWM}) at the end
 * @param heapPerTaskBytes heap retained per task while all tasks were suspended
 */
public record Measurement(
        double wallNanos, double cpuNanos, double peakRssBytes, double heapPerTaskBytes) {
    /** The line a child process prints; {@link #parse} reads it back. */
    public static final String PREFIX = "RESULT ";

    /** This measurement as the child's result line. */
    public String toLine() {
        return PREFIX
                + String.format(
                        Locale.ROOT,
                        "wall_ns=%.0f cpu_ns=%.0f peak_rss_bytes=%.0f heap_per_task_bytes=%.1f",
                        wallNanos,
                        cpuNanos,
                        peakRssBytes,
                        heapPerTaskBytes);
    }

    /** Reads a result line written by {@link #toLine} or by {@code asyncio_workload.py}. */
    public static Measurement parse(String line) {
        if (!line.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            String value = pair.substring(eq + 1);
            // Python prints "nan", Java "NaN".
            values.put(
                    pair.substring(0, eq),
                    value.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(value));
        }
        return new Measurement(
                values.getOrDefault("wall_ns", Double.NaN),
                values.getOrDefault("cpu_ns", Double.NaN),
                values.getOrDefault("peak_rss_bytes", Double.NaN),
                values.getOrDefault("heap_per_task_bytes", Double.NaN));
    }
}
