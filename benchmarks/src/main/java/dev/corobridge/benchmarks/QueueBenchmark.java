package dev.corobridge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One item through the side-by-side harness's bounded queue ({@link Workload#QUEUE}: capacity
 * 1,024, 4 producers, 4 consumers), in nanoseconds, warm: {@value #ITEMS} items per invocation,
 * each invocation a fresh event loop and queue. The harness runs the same code once in a cold
 * process; this is the same code once the JIT has compiled it. Compared: corobridge Java bodies
 * ({@link #corobridgeJavaBodies}) and future-style chains ({@link #corobridgeFutureStyle}), a
 * kotlinx {@code Channel} ({@link #kotlinxChannel}, the baseline) and an {@code ArrayBlockingQueue}
 * between virtual threads ({@link #virtualThreadsArrayBlockingQueue}, JDK 21+).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueueBenchmark {
    static final int ITEMS = 100_000;

    /** {@code AsyncQueue} put/get awaited in Java bodies: {@link Workloads#corobridgeQueue}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long corobridgeJavaBodies() throws Exception {
        return Workloads.corobridgeQueue(ITEMS);
    }

    /** {@code AsyncQueue} put/get tasks chained: {@link Workloads#corobridgeFutureQueue}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long corobridgeFutureStyle() throws Exception {
        return Workloads.corobridgeFutureQueue(ITEMS);
    }

    /** A kotlinx {@code Channel(1024)} between coroutines in one {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxChannel() {
        return KotlinBaseline.queue(
                ITEMS, Workload.QUEUE_CAPACITY, Workload.QUEUE_PRODUCERS, Workload.QUEUE_CONSUMERS);
    }

    /** An {@code ArrayBlockingQueue(1024)} between virtual threads. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long virtualThreadsArrayBlockingQueue(RoundTripBenchmark.VirtualThreadsPresent present)
            throws Exception {
        return Workloads.virtualThreadQueue(ITEMS);
    }
}
