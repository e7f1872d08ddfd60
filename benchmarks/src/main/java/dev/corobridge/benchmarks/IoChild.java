package dev.corobridge.benchmarks;

import java.nio.file.Path;

/**
 * One JVM process of {@link IoSideBySide}:
 *
 * <pre>
 * IoChild WORKLOAD CONTENDER PATH   runs it once to warm up, then once measured;
 *                                   prints CHECKSUM and the RESULT line
 * </pre>
 */
public final class IoChild {
    private IoChild() {}

    public static void main(String[] args) throws Exception {
        var workload = IoWorkloads.Workload.valueOf(args[0]);
        var contender = IoWorkloads.Contender.valueOf(args[1]);
        Path path = Path.of(args[2]);
        IoWorkloads.run(workload, contender, path); // the JIT, and the page cache
        ChildRuns.measureAndPrint(() -> IoWorkloads.run(workload, contender, path));
        System.exit(0);
    }
}
