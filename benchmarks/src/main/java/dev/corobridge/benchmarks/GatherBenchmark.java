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
 * A gather of {@value #TASKS} tasks that each yield once, per task in nanoseconds (the inverse of
 * tasks/s): corobridge Java bodies against {@code async { yield() }} in raw kotlinx.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GatherBenchmark {
    static final int TASKS = 1_000;

    /** {@code Async.launch(() -> Async.yieldNow().await())} × 1,000, then {@code gather}. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long corobridgeJavaBodies() throws Exception {
        return Workloads.corobridgeGatherYielding(TASKS);
    }

    /** {@code List(1000) { async { yield() } }.awaitAll()} in one {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long kotlinxAsync() {
        return KotlinBaseline.gatherYielding(TASKS);
    }
}
