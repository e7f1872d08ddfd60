package dev.corobridge.benchmarks;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.sync.AsyncSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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
 * One {@code AsyncSemaphore} acquire + release, in nanoseconds, against a kotlinx {@code Semaphore}
 * doing the same; every invocation runs its acquisitions inside one event loop ({@code Async.run},
 * {@code runBlocking}), whose start is thereby amortised.
 *
 * <ul>
 *   <li><b>Uncontended</b>: {@value #ACQUISITIONS} sequential acquire + release of a semaphore of
 *       one permit that nobody else uses, so that every acquire finds its permit free: the fast
 *       path. From a Java body ({@code acquire().await()}), in future style (the {@code acquire()}
 *       task followed by {@code thenRun(release)}), and kotlinx's {@code acquire()} in a coroutine.
 *   <li><b>Contended</b>: {@value #TASKS} tasks sharing a semaphore of {@value #PERMITS} permits,
 *       each {@value #ROUNDS} times: acquire, yield once holding the permit (so that the others
 *       find none free and wait in line), release. The score, per acquisition, includes that yield
 *       and a waiter's hand-over. Java bodies, future-style chains ({@code acquire()}, {@code
 *       thenCompose(yieldNow)}, {@code thenRun(release)}, the next round started once the last is
 *       done) and kotlinx coroutines.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SemaphoreBenchmark {
    static final int ACQUISITIONS = 10_000;
    static final int TASKS = 16;
    static final int PERMITS = 4;
    static final int ROUNDS = 1_000;
    static final int CONTENDED_ACQUISITIONS = TASKS * ROUNDS;

    /**
     * {@code acquire().await()} + {@code release()} × 10,000 in the main body of an {@code
     * Async.run}.
     */
    @Benchmark
    @OperationsPerInvocation(ACQUISITIONS)
    public long uncontendedCorobridgeJavaBody() throws Exception {
        return uncontendedJavaBody(ACQUISITIONS);
    }

    /**
     * {@code acquire().thenRun(release)} × 10,000, one after another, inside an {@code Async.run}.
     */
    @Benchmark
    @OperationsPerInvocation(ACQUISITIONS)
    public long uncontendedCorobridgeFutureStyle() throws Exception {
        return uncontendedFutureStyle(ACQUISITIONS);
    }

    /** {@code acquire()} + {@code release()} × 10,000 of a kotlinx {@code Semaphore(1)}. */
    @Benchmark
    @OperationsPerInvocation(ACQUISITIONS)
    public long uncontendedKotlinx() {
        return KotlinMicro.semaphoreUncontended(ACQUISITIONS);
    }

    /** 16 Java bodies, 4 permits: acquire, {@code yieldNow}, release, × 1,000 each. */
    @Benchmark
    @OperationsPerInvocation(CONTENDED_ACQUISITIONS)
    public long contendedCorobridgeJavaBodies() throws Exception {
        return contendedJavaBodies(TASKS, PERMITS, ROUNDS);
    }

    /** 16 chains of tasks, 4 permits: acquire, {@code yieldNow}, release, × 1,000 each. */
    @Benchmark
    @OperationsPerInvocation(CONTENDED_ACQUISITIONS)
    public long contendedCorobridgeFutureStyle() throws Exception {
        return contendedFutureStyle(TASKS, PERMITS, ROUNDS);
    }

    /** 16 coroutines, a kotlinx {@code Semaphore(4)}: acquire, yield, release, × 1,000 each. */
    @Benchmark
    @OperationsPerInvocation(CONTENDED_ACQUISITIONS)
    public long contendedKotlinx() {
        return KotlinMicro.semaphoreContended(TASKS, PERMITS, ROUNDS);
    }

    static long uncontendedJavaBody(int count) throws Exception {
        return Async.run(
                () -> {
                    AsyncSemaphore semaphore = new AsyncSemaphore(1);
                    long acquired = 0;
                    for (int i = 0; i < count; i++) {
                        semaphore.acquire().await();
                        acquired++;
                        semaphore.release();
                    }
                    return acquired;
                });
    }

    static long uncontendedFutureStyle(int count) throws Exception {
        return Async.run(
                () -> {
                    AsyncSemaphore semaphore = new AsyncSemaphore(1);
                    long[] acquired = {0};
                    Async.await(
                            inTurn(
                                    count,
                                    i ->
                                            semaphore
                                                    .acquire()
                                                    .thenRun(
                                                            () -> {
                                                                acquired[0]++;
                                                                semaphore.release();
                                                            })));
                    return acquired[0];
                });
    }

    static long contendedJavaBodies(int tasks, int permits, int rounds) throws Exception {
        return Async.run(
                () -> {
                    AsyncSemaphore semaphore = new AsyncSemaphore(permits);
                    long[] acquired = {0};
                    List<Task<@Nullable Void>> bodies = new ArrayList<>(tasks);
                    for (int t = 0; t < tasks; t++) {
                        bodies.add(
                                Async.launch(
                                        () -> {
                                            for (int round = 0; round < rounds; round++) {
                                                semaphore.acquire().await();
                                                acquired[0]++;
                                                Async.yieldNow().await();
                                                semaphore.release();
                                            }
                                        }));
                    }
                    Async.gather(bodies).await();
                    return acquired[0];
                });
    }

    static long contendedFutureStyle(int tasks, int permits, int rounds) throws Exception {
        return Async.run(
                () -> {
                    AsyncSemaphore semaphore = new AsyncSemaphore(permits);
                    long[] acquired = {0};
                    List<CompletableFuture<@Nullable Void>> chains = new ArrayList<>(tasks);
                    for (int t = 0; t < tasks; t++) {
                        chains.add(
                                inTurn(
                                        rounds,
                                        round ->
                                                semaphore
                                                        .acquire()
                                                        .thenCompose(
                                                                held -> {
                                                                    acquired[0]++;
                                                                    return Async.yieldNow();
                                                                })
                                                        .thenRun(semaphore::release)));
                    }
                    Async.gather(chains).await();
                    return acquired[0];
                });
    }

    /**
     * Runs {@code step.apply(0)} to {@code step.apply(count - 1)} one after another, each once the
     * future of the one before is done, without a body to await them: a step done at once is
     * followed in the same call, one that waits by a callback. The result fails with the first step
     * that fails.
     */
    static CompletableFuture<@Nullable Void> inTurn(
            int count, IntFunction<? extends CompletableFuture<?>> step) {
        var loop = new InTurn(count, step);
        loop.from(0);
        return loop.done;
    }

    private static final class InTurn {
        final CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
        private final int count;
        private final IntFunction<? extends CompletableFuture<?>> step;

        InTurn(int count, IntFunction<? extends CompletableFuture<?>> step) {
            this.count = count;
            this.step = step;
        }

        void from(int first) {
            for (int i = first; i < count; i++) {
                CompletableFuture<?> future = step.apply(i);
                if (!future.isDone() || future.isCompletedExceptionally()) {
                    int next = i + 1;
                    future.handle(
                            (value, failure) -> {
                                if (failure != null) {
                                    done.completeExceptionally(failure);
                                } else {
                                    from(next);
                                }
                                return null;
                            });
                    return;
                }
            }
            done.complete(null);
        }
    }
}
