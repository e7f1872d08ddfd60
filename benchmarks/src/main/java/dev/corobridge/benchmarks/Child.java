package dev.corobridge.benchmarks;

import java.util.concurrent.TimeUnit;

/**
 * One run of one workload on one JVM contender, in a process of its own: the side-by-side harness
 * starts this class and reads the {@link Measurement} line it prints.
 *
 * <p>Arguments: {@code CONTENDER WORKLOAD SIZE BATCHES SLEEP_MILLIS MODE}, where {@code BATCHES} is
 * 1 except for {@link Workload#YIELD_BATCHES} ({@code SIZE} is the item count of {@link
 * Workload#QUEUE}) and {@code MODE} is {@code time} (wall, CPU and peak RSS of one cold run) or
 * {@code heap} (retained heap per task: used heap after GC with every task suspended, minus the
 * heap before the workload, divided by {@code SIZE}; a small run first loads the classes so that
 * they are not counted).
 */
public final class Child {
    private Child() {}

    /** Runs one measurement and prints its result line. */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: Child CONTENDER WORKLOAD SIZE BATCHES SLEEP_MILLIS time|heap");
        }
        Contender contender = Contender.valueOf(args[0]);
        Workload workload = Workload.valueOf(args[1]);
        int size = Integer.parseInt(args[2]);
        int batches = Integer.parseInt(args[3]);
        long sleepMillis = Long.parseLong(args[4]);
        boolean heap = args[5].equals("heap");
        Measurement result =
                heap
                        ? measureHeap(contender, workload, size, sleepMillis)
                        : measureTime(contender, workload, size, batches, sleepMillis);
        System.out.println(result.toLine());
        System.out.flush();
        // Leftover pool threads (kotlinx's Default, the common pool) must not keep us waiting.
        System.exit(0);
    }

    /** Wall and CPU time of one run, and the peak RSS of the process after it. */
    static Measurement measureTime(
            Contender contender, Workload workload, int size, int batches, long sleepMillis)
            throws Exception {
        double cpuBefore = ProcessStats.cpuNanos();
        long start = System.nanoTime();
        long checksum = Workloads.run(contender, workload, size, batches, sleepMillis, () -> {});
        long wall = System.nanoTime() - start;
        double cpu = ProcessStats.cpuNanos() - cpuBefore;
        check(checksum, workload.checksum(size, batches));
        return new Measurement(wall, cpu, ProcessStats.peakRssBytes(), Double.NaN);
    }

    /**
     * Retained heap per task of a sleeping workload ({@link Workload#sleeps()}); NaN when the probe
     * outlasted the sleep (tasks may have finished under it) or for workloads without concurrent
     * tasks.
     */
    static Measurement measureHeap(
            Contender contender, Workload workload, int size, long sleepMillis) throws Exception {
        if (!workload.sleeps()) {
            return new Measurement(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        Workloads.run(contender, workload, Math.min(size, 1_000), 1, () -> {}); // load classes
        long baseline = ProcessStats.usedHeapAfterGc();
        long[] suspended = {-1};
        long start = System.nanoTime();
        long checksum =
                Workloads.run(
                        contender,
                        workload,
                        size,
                        sleepMillis,
                        () -> {
                            long used = ProcessStats.usedHeapAfterGc();
                            boolean inTime =
                                    System.nanoTime() - start
                                            < TimeUnit.MILLISECONDS.toNanos(sleepMillis);
                            suspended[0] = inTime ? used : -1;
                        });
        check(checksum, workload.checksum(size, 1));
        double perTask = suspended[0] < 0 ? Double.NaN : (suspended[0] - baseline) / (double) size;
        return new Measurement(Double.NaN, Double.NaN, Double.NaN, perTask);
    }

    private static void check(long checksum, long expected) {
        if (checksum != expected) {
            throw new IllegalStateException("checksum " + checksum + ", expected " + expected);
        }
    }
}
