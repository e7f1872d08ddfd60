package dev.corobridge.benchmarks;

import dev.corobridge.Async;
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
 * One direct-style await hand-off, per await in nanoseconds: a Java body awaits a task that is
 * still pending and completes on the loop's next turn, so the body's thread parks, the loop runs
 * and completes the task, and the body is resumed. {@value #AWAITS} such awaits run one after
 * another in one event loop, whose start is thereby amortised.
 *
 * <p>Compared: {@code Async.yieldNow().await()} in a Java body ({@link #corobridgeJavaBody}), and a
 * Kotlin coroutine's {@code yield()} in {@code runBlocking} ({@link #kotlinxYield}, the baseline),
 * which suspends and is resumed by its event loop in the same way, but without a thread to park.
 * The corobridge score also includes creating the {@code yieldNow} task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AwaitHandOffBenchmark {
    static final int AWAITS = 10_000;

    /** {@code Async.yieldNow().await()} × 10,000 in the main body of one {@code Async.run}. */
    @Benchmark
    @OperationsPerInvocation(AWAITS)
    public long corobridgeJavaBody() throws Exception {
        return Async.run(
                () -> {
                    long turns = 0;
                    for (int i = 0; i < AWAITS; i++) {
                        Async.yieldNow().await();
                        turns++;
                    }
                    return turns;
                });
    }

    /** {@code repeat(10000) { yield() }} in one {@code runBlocking}, in Kotlin. */
    @Benchmark
    @OperationsPerInvocation(AWAITS)
    public long kotlinxYield() {
        return KotlinMicro.yields(AWAITS);
    }
}
