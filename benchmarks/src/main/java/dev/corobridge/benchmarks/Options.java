package dev.corobridge.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The side-by-side harness's command line.
 *
 * @param sleeps tasks in {@link Workload#SLEEPS}
 * @param bodySleeps task bodies in {@link Workload#BODY_SLEEPS}
 * @param roundTrips round trips in {@link Workload#ROUND_TRIPS}
 * @param batches batches in {@link Workload#YIELD_BATCHES}
 * @param batchSize tasks per batch in {@link Workload#YIELD_BATCHES}
 * @param queueItems items through the queue in {@link Workload#QUEUE}
 * @param runs runs per system and workload; the table shows medians
 * @param sleepMillis how long each task of the sleeping workloads sleeps in timing runs
 * @param heapSleepMillis how long each task sleeps in retained-heap runs: long enough to start
 *     every task and collect the heap before the first one wakes
 * @param contenders the systems to run (unavailable ones are skipped at run time)
 * @param workloads the workloads to run
 * @param out where to write the Markdown report, or null to write nothing (the chart goes next to
 *     it: {@link #chartOut})
 * @param jvmOptions options for every child JVM
 * @param arguments the command line as given, for the report's "rerun" line
 */
public record Options(
        int sleeps,
        int bodySleeps,
        int roundTrips,
        int batches,
        int batchSize,
        int queueItems,
        int runs,
        long sleepMillis,
        long heapSleepMillis,
        Set<Contender> contenders,
        Set<Workload> workloads,
        @Nullable Path out,
        List<String> jvmOptions,
        List<String> arguments) {

    static final String USAGE =
            """
            usage: SideBySide [--sleeps N] [--body-sleeps K] [--round-trips M] [--batches B] [--batch-size T]
                              [--queue-items Q] [--runs R] [--sleep-ms MS] [--heap-sleep-ms MS]
                              [--systems corobridge,corobridge_futures,kotlinx,virtual_threads,completable_future,asyncio]
                              [--workloads sleeps,body_sleeps,round_trips,yield_batches,queue] [--jvm-opt OPTION]...
                              [--out FILE | --no-write]
            defaults: --sleeps 1000000 --body-sleeps 100000 --round-trips 1000000 --batches 100
                      --batch-size 10000 --queue-items 10000000 --runs 3 --sleep-ms 1000 --heap-sleep-ms 10000, all systems and workloads,
                      --out docs/benchmarks.md (found from the working directory up; the chart goes
                      next to it, docs/benchmarks.svg)""";

    /** Parses {@code args}; {@code IllegalArgumentException} with the usage on a bad one. */
    public static Options parse(String... args) {
        int sleeps = 1_000_000;
        int bodySleeps = 100_000;
        int roundTrips = 1_000_000;
        int batches = 100;
        int batchSize = 10_000;
        int queueItems = 10_000_000;
        int runs = 3;
        long sleepMillis = 1_000;
        long heapSleepMillis = 10_000;
        Set<Contender> contenders = EnumSet.allOf(Contender.class);
        Set<Workload> workloads = EnumSet.allOf(Workload.class);
        @Nullable Path out = defaultOut();
        List<String> jvmOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--no-write")) {
                out = null;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + arg + "\n" + USAGE);
            }
            String value = args[++i];
            switch (arg) {
                case "--sleeps" -> sleeps = positive(arg, value);
                case "--body-sleeps" -> bodySleeps = positive(arg, value);
                case "--round-trips" -> roundTrips = positive(arg, value);
                case "--batches" -> batches = positive(arg, value);
                case "--batch-size" -> batchSize = positive(arg, value);
                case "--queue-items" -> queueItems = positive(arg, value);
                case "--runs" -> runs = positive(arg, value);
                case "--sleep-ms" -> sleepMillis = positive(arg, value);
                case "--heap-sleep-ms" -> heapSleepMillis = positive(arg, value);
                case "--systems" -> contenders = names(Contender.class, value);
                case "--workloads" -> workloads = names(Workload.class, value);
                case "--out" -> out = Path.of(value);
                case "--jvm-opt" -> jvmOptions.add(value);
                default ->
                        throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        return new Options(
                sleeps,
                bodySleeps,
                roundTrips,
                batches,
                batchSize,
                queueItems,
                runs,
                sleepMillis,
                heapSleepMillis,
                contenders,
                workloads,
                out,
                List.copyOf(jvmOptions),
                List.of(args));
    }

    /**
     * The size of {@code workload}: its task count, for batches the tasks per batch, for the queue
     * its items.
     */
    int size(Workload workload) {
        return switch (workload) {
            case SLEEPS -> sleeps;
            case BODY_SLEEPS -> bodySleeps;
            case ROUND_TRIPS -> roundTrips;
            case YIELD_BATCHES -> batchSize;
            case QUEUE -> queueItems;
        };
    }

    /** How many times {@code workload} runs {@link #size} tasks: 1 unless it runs in batches. */
    int batches(Workload workload) {
        return workload == Workload.YIELD_BATCHES ? batches : 1;
    }

    /**
     * The tasks {@code workload} finishes in all (for the queue, the items through it): the divisor
     * of per-task rows.
     */
    long tasks(Workload workload) {
        return (long) size(workload) * batches(workload);
    }

    /** Where the chart goes: next to the Markdown report, named like it, or null if nowhere. */
    @Nullable Path chartOut() {
        if (out == null) {
            return null;
        }
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".svg");
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive number, was " + value);
    }

    private static <E extends Enum<E>> Set<E> names(Class<E> type, String value) {
        Set<E> set = EnumSet.noneOf(type);
        for (String name : value.split(",")) {
            set.add(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT)));
        }
        return set;
    }

    /** {@code docs/benchmarks.md} of the enclosing checkout: the first directory up with it. */
    private static @Nullable Path defaultOut() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("benchmarks/pom.xml"))) {
                return dir.resolve("docs/benchmarks.md");
            }
        }
        return Path.of("benchmarks.md");
    }
}
