package dev.corobridge.benchmarks;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@value #SLEEPS} concurrent sleeps of {@value #SLEEP_MILLIS} ms, all started and then waited for
 * together, per sleep in nanoseconds. Compared: corobridge {@code Async.sleep} tasks gathered
 * without bodies ({@link #corobridgeFutureStyle}), corobridge Java bodies that each await a sleep
 * ({@link #corobridgeJavaBodies}), and raw kotlinx {@code launch { delay(1) }} joined ({@link
 * #kotlinxLaunchDelay}, the baseline).
 *
 * <p>One invocation is one event loop that starts every sleep and waits for the last, so it lasts
 * at least {@value #SLEEP_MILLIS} ms: divided by {@value #SLEEPS} sleeps, that is a floor of 100 ns
 * per sleep that no contender can beat. What lies above the floor is the cost of starting, timing
 * and finishing a sleeping task (and of the loop's start, shared by all of them).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SleepFanOutBenchmark {
    static final int SLEEPS = 10_000;
    static final long SLEEP_MILLIS = 1;
    private static final Duration SLEEP = Duration.ofMillis(SLEEP_MILLIS);

    /** {@code Async.gather(10,000 × Async.sleep(1 ms)).await()} inside {@code Async.run}. */
    @Benchmark
    @OperationsPerInvocation(SLEEPS)
    public long corobridgeFutureStyle() throws Exception {
        return Async.run(
                () -> {
                    List<Task<@Nullable Void>> sleeps = new ArrayList<>(SLEEPS);
                    for (int i = 0; i < SLEEPS; i++) {
                        sleeps.add(Async.sleep(SLEEP));
                    }
                    return (long) Async.gather(sleeps).await().size();
                });
    }

    /** {@code Async.launch(() -> Async.sleep(1 ms).await())} × 10,000, then {@code gather}. */
    @Benchmark
    @OperationsPerInvocation(SLEEPS)
    public long corobridgeJavaBodies() throws Exception {
        return Async.run(
                () -> {
                    List<Task<@Nullable Void>> bodies = new ArrayList<>(SLEEPS);
                    for (int i = 0; i < SLEEPS; i++) {
                        bodies.add(Async.launch(() -> Async.sleep(SLEEP).await()));
                    }
                    return (long) Async.gather(bodies).await().size();
                });
    }

    /** {@code List(10000) { launch { delay(1) } }.joinAll()} in one {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(SLEEPS)
    public long kotlinxLaunchDelay() {
        return KotlinMicro.sleepsJoined(SLEEPS, SLEEP_MILLIS);
    }
}
