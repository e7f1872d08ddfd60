package dev.corobridge.benchmarks;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A gather of {@code size} tasks that each yield once, per task in nanoseconds (the inverse of
 * tasks/s), at sizes 10, 1,000 and 100,000. Compared: corobridge Java bodies ({@link
 * #corobridgeJavaBodies}), corobridge tasks gathered without bodies ({@link
 * #corobridgeFutureStyle}), and raw kotlinx {@code async { yield() }} ({@link #kotlinxAsync}, the
 * baseline).
 *
 * <p><b>Per-task scores.</b> JMH's {@code @OperationsPerInvocation} is a constant, while the size
 * is a {@code @Param}. So every invocation runs the same {@value #TASKS_PER_INVOCATION} tasks:
 * {@code TASKS_PER_INVOCATION / size} gathers one after another (10,000 gathers of 10, 100 of
 * 1,000, one of 100,000), all inside one event loop ({@code Async.run}, {@code runBlocking}) whose
 * start is thereby amortised. The score is then exactly the time per task; multiply by {@code size}
 * for the time of one gather. Each invocation is a fresh loop, so the 100,000 case also includes
 * growing the loop's queues to that many tasks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class GatherBenchmark {
    static final int TASKS_PER_INVOCATION = 100_000;

    /** Tasks per gather; each must divide {@link #TASKS_PER_INVOCATION}. */
    @Param({"10", "1000", "100000"})
    public int size;

    /** {@code Async.launch(() -> { Async.yieldNow().await(); })} × size, then {@code gather}. */
    @Benchmark
    @OperationsPerInvocation(TASKS_PER_INVOCATION)
    public long corobridgeJavaBodies() throws Exception {
        return corobridgeJavaBodies(size, TASKS_PER_INVOCATION);
    }

    /** {@code Async.gather(size × Async.yieldNow()).await()}: tasks without a body each. */
    @Benchmark
    @OperationsPerInvocation(TASKS_PER_INVOCATION)
    public long corobridgeFutureStyle() throws Exception {
        return corobridgeFutureStyle(size, TASKS_PER_INVOCATION);
    }

    /** {@code List(size) { async { yield() } }.awaitAll()} in Kotlin. */
    @Benchmark
    @OperationsPerInvocation(TASKS_PER_INVOCATION)
    public long kotlinxAsync() {
        return KotlinMicro.gathersYielding(size, TASKS_PER_INVOCATION);
    }

    /** {@code total / size} gathers of {@code size} yielding Java bodies in one loop. */
    static long corobridgeJavaBodies(int size, int total) throws Exception {
        return Async.run(
                () -> {
                    long finished = 0;
                    for (int gather = 0; gather < total / size; gather++) {
                        List<Task<@Nullable Void>> tasks = new ArrayList<>(size);
                        for (int i = 0; i < size; i++) {
                            tasks.add(
                                    Async.launch(
                                            () -> {
                                                Async.yieldNow().await();
                                            }));
                        }
                        finished += Async.gather(tasks).await().size();
                    }
                    return finished;
                });
    }

    /** {@code total / size} gathers of {@code size} {@code yieldNow} tasks in one loop. */
    static long corobridgeFutureStyle(int size, int total) throws Exception {
        return Async.run(
                () -> {
                    long finished = 0;
                    for (int gather = 0; gather < total / size; gather++) {
                        List<Task<@Nullable Void>> tasks = new ArrayList<>(size);
                        for (int i = 0; i < size; i++) {
                            tasks.add(Async.yieldNow());
                        }
                        finished += Async.gather(tasks).await().size();
                    }
                    return finished;
                });
    }
}
