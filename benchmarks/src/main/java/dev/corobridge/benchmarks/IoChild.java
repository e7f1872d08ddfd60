package dev.corobridge.benchmarks;

import java.nio.file.Path;

/**
 * One JVM process of {@link IoSideBySide}:
 *
 * <pre>
 * IoChild WORKLOAD CONTENDER PATH   runs it to warm up (5 times, a large file once), then once measured;
 *                                   prints CHECKSUM and the RESULT line
 * </pre>
 */
public final class IoChild {
    private IoChild() {}

    public static void main(String[] args) throws Exception {
        var workload = IoWorkloads.Workload.valueOf(args[0]);
        var contender = IoWorkloads.Contender.valueOf(args[1]);
        Path path = Path.of(args[2]);
        // The JIT, and the page cache. A pass of the short workloads is too short for the JIT to
        // finish with the code of tasks, so they get more.
        int warmUps = workload == IoWorkloads.Workload.LINES ? 3 : 5;
        for (int i = 0; i < warmUps; i++) IoWorkloads.run(workload, contender, path);
        ChildRuns.measureAndPrint(() -> IoWorkloads.run(workload, contender, path));
        System.exit(0);
    }
}
