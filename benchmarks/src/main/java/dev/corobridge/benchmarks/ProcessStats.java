package dev.corobridge.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time, peak RSS and heap of the current JVM. */
final class ProcessStats {
    private ProcessStats() {}

    /** CPU time of all threads of this process so far, or NaN where the JVM cannot tell. */
    static double cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            long nanos = hotspot.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos;
        }
        return Double.NaN;
    }

    /** Peak resident set size ({@code VmHWM} of {@code /proc/self/status}), or NaN off Linux. */
    static double peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kib = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return Long.parseLong(kib) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a format we do not know: the table shows "n/a"
        }
        return Double.NaN;
    }

    /** Used heap after full collections: what is still reachable. */
    static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Several rounds: finalization and reference processing can free more on the next one.
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
