package dev.corobridge.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One launch+await round trip, in nanoseconds: {@value #ROUND_TRIPS} sequential round trips per
 * invocation, so that starting the event loop ({@code Async.run}, {@code runBlocking}) is
 * amortised. Compare {@link #corobridgeJavaBody} (a Java body awaiting a Java body) and {@link
 * #corobridgeKotlinBody} (corobridge tasks started and awaited from Kotlin, future style) with
 * {@link #kotlinxAsyncAwait} (the baseline); virtual threads and {@code CompletableFuture} are the
 * JDK's own answers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoundTripBenchmark {
    static final int ROUND_TRIPS = 1_000;

    /** Present only on JDKs with virtual threads: its setup fails (and JMH skips) elsewhere. */
    @State(Scope.Benchmark)
    public static class VirtualThreadsPresent {
        /** Fails the benchmark, with the reason, on a JDK without virtual threads. */
        @Setup
        public void check() {
            VirtualThreads.require();
        }
    }

    /** {@code Async.launch(() -> 1).await()} from a Java body inside one {@code Async.run}. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long corobridgeJavaBody() throws Exception {
        return Workloads.corobridgeRoundTrips(ROUND_TRIPS);
    }

    /** {@code startTask { 1 }.awaitOwned()} inside one {@code runBlocking}, in Kotlin. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long corobridgeKotlinBody() {
        return KotlinMicro.startTaskRoundTrips(ROUND_TRIPS);
    }

    /** {@code async { 1 }.await()} inside one {@code runBlocking}, in Kotlin. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long kotlinxAsyncAwait() {
        return KotlinBaseline.roundTrips(ROUND_TRIPS);
    }

    /** A virtual thread's {@code start()} + {@code join()}. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long virtualThreadStartJoin(VirtualThreadsPresent present) throws Exception {
        return Workloads.virtualThreadRoundTrips(ROUND_TRIPS);
    }

    /** {@code CompletableFuture.supplyAsync(() -> 1).join()} on the common pool. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long completableFutureSupplyAsyncJoin() {
        return Workloads.futureRoundTrips(ROUND_TRIPS);
    }
}
