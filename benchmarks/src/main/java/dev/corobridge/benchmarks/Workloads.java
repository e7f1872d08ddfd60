package dev.corobridge.benchmarks;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.sync.AsyncQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The workloads in each JVM system, written as a user of that system would. The side-by-side
 * harness and the JMH benchmarks both call these methods, so both measure the same code. Each
 * returns a checksum (the number of tasks that finished, or the sum of their values or of the items
 * through a queue: {@link Workload#checksum}) so that no work can be optimised away and tests can
 * check it.
 */
public final class Workloads {
    private Workloads() {}

    /**
     * Runs {@code workload} at {@code size} on a JVM contender, as one batch. For {@link
     * Workload#SLEEPS}, {@code whileSuspended} runs once every task has been started and is
     * sleeping.
     */
    public static long run(
            Contender contender,
            Workload workload,
            int size,
            long sleepMillis,
            Runnable whileSuspended)
            throws Exception {
        return run(contender, workload, size, 1, sleepMillis, whileSuspended);
    }

    /**
     * Runs {@code workload} on a JVM contender: {@code batches} batches of {@code size} tasks for
     * {@link Workload#YIELD_BATCHES}, {@code size} tasks otherwise ({@code batches} is then
     * ignored). For {@link Workload#SLEEPS}, {@code whileSuspended} runs once every task has been
     * started and is sleeping.
     *
     * @throws UnsupportedOperationException if {@code contender} has no version of {@code workload}
     *     ({@link Contender#runs}) or does not run on the JVM
     */
    public static long run(
            Contender contender,
            Workload workload,
            int size,
            int batches,
            long sleepMillis,
            Runnable whileSuspended)
            throws Exception {
        if (!contender.onJvm() || !contender.runs(workload)) {
            throw new UnsupportedOperationException(
                    contender + " has no " + workload + " on the JVM");
        }
        return switch (workload) {
            // The same code: in BODY_SLEEPS only the systems with a body per task take part.
            case SLEEPS, BODY_SLEEPS ->
                    switch (contender) {
                        case COROBRIDGE -> corobridgeSleeps(size, sleepMillis, whileSuspended);
                        case COROBRIDGE_FUTURES ->
                                corobridgeFutureSleeps(size, sleepMillis, whileSuspended);
                        case KOTLINX -> {
                            KotlinBaseline.sleepsGathered(size, sleepMillis, whileSuspended);
                            yield size;
                        }
                        case VIRTUAL_THREADS ->
                                virtualThreadSleeps(size, sleepMillis, whileSuspended);
                        case COMPLETABLE_FUTURE -> futureSleeps(size, sleepMillis, whileSuspended);
                        case ASYNCIO -> throw new AssertionError(contender);
                    };
            case ROUND_TRIPS ->
                    switch (contender) {
                        case COROBRIDGE -> corobridgeRoundTrips(size);
                        case COROBRIDGE_FUTURES -> CorobridgeKotlin.roundTrips(size);
                        case KOTLINX -> KotlinBaseline.roundTrips(size);
                        case VIRTUAL_THREADS -> virtualThreadRoundTrips(size);
                        case COMPLETABLE_FUTURE -> futureRoundTrips(size);
                        case ASYNCIO -> throw new AssertionError(contender);
                    };
            case YIELD_BATCHES ->
                    switch (contender) {
                        case COROBRIDGE -> corobridgeYieldBatches(batches, size);
                        case COROBRIDGE_FUTURES -> corobridgeFutureYieldBatches(batches, size);
                        case KOTLINX -> KotlinBaseline.yieldBatches(batches, size);
                        case VIRTUAL_THREADS -> virtualThreadYieldBatches(batches, size);
                        case COMPLETABLE_FUTURE, ASYNCIO -> throw new AssertionError(contender);
                    };
            case QUEUE ->
                    switch (contender) {
                        case COROBRIDGE -> corobridgeQueue(size);
                        case COROBRIDGE_FUTURES -> corobridgeFutureQueue(size);
                        case KOTLINX ->
                                KotlinBaseline.queue(
                                        size,
                                        Workload.QUEUE_CAPACITY,
                                        Workload.QUEUE_PRODUCERS,
                                        Workload.QUEUE_CONSUMERS);
                        case VIRTUAL_THREADS -> virtualThreadQueue(size);
                        case COMPLETABLE_FUTURE, ASYNCIO -> throw new AssertionError(contender);
                    };
        };
    }

    // --- corobridge, direct-style Java bodies

    /**
     * {@code count} Java bodies that each await a sleep, gathered inside one {@code Async.run}.
     *
     * <p>The body is a statement lambda ({@code AsyncRunnable}), the counterpart of the virtual
     * threads' {@code Runnable}. The expression form {@code () -> Async.sleep(sleep).await()} is a
     * {@code Callable<Void>} whose cast of the awaited {@code null} the JIT compiles, before any
     * body has resumed, into a trap that every suspended body then hits once: about 75k
     * deoptimizations and 6 s instead of 2.3 s here (ADR 0007).
     */
    public static long corobridgeSleeps(int count, long sleepMillis, Runnable whileSuspended)
            throws Exception {
        Duration sleep = Duration.ofMillis(sleepMillis);
        return Async.run(
                () -> {
                    List<Task<@Nullable Void>> tasks = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            Async.sleep(sleep).await();
                                        }));
                    }
                    Async.yieldNow().await(); // every body has had its turn: all are sleeping
                    whileSuspended.run();
                    return (long) Async.gather(tasks).await().size();
                });
    }

    /** {@code count} sequential {@code Async.launch(() -> 1).await()} inside one loop. */
    public static long corobridgeRoundTrips(int count) throws Exception {
        return Async.run(
                () -> {
                    long sum = 0;
                    for (int i = 0; i < count; i++) {
                        sum += Async.launch(() -> 1).await();
                    }
                    return sum;
                });
    }

    /** {@code count} Java bodies that each yield once, gathered inside one {@code Async.run}. */
    public static long corobridgeGatherYielding(int count) throws Exception {
        return corobridgeYieldBatches(1, count);
    }

    /**
     * {@code batches} times: {@code batchSize} Java bodies that each yield once, gathered; all
     * inside one {@code Async.run}. Returns the number of bodies that finished. A statement lambda,
     * like {@link #corobridgeSleeps}.
     */
    public static long corobridgeYieldBatches(int batches, int batchSize) throws Exception {
        return Async.run(
                () -> {
                    long finished = 0;
                    for (int batch = 0; batch < batches; batch++) {
                        List<Task<@Nullable Void>> tasks = new ArrayList<>(batchSize);
                        for (int i = 0; i < batchSize; i++) {
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

    /**
     * {@code items} items through one {@code AsyncQueue.fifo(1024)}, inside one {@code Async.run}:
     * 4 producer bodies that each {@code put(i).await()} a contiguous share of the numbers 0 to
     * {@code items - 1}, and 4 consumer bodies that each {@code get().await()} a fixed share of the
     * items and sum them. Returns the sum of the consumers' sums.
     */
    public static long corobridgeQueue(int items) throws Exception {
        return Async.run(
                () -> {
                    AsyncQueue<Integer> queue = AsyncQueue.fifo(Workload.QUEUE_CAPACITY);
                    List<Task<@Nullable Void>> producers = new ArrayList<>();
                    for (int p = 0; p < Workload.QUEUE_PRODUCERS; p++) {
                        int from = Workload.share(items, p, Workload.QUEUE_PRODUCERS);
                        int to = Workload.share(items, p + 1, Workload.QUEUE_PRODUCERS);
                        producers.add(
                                Async.launch(
                                        () -> {
                                            for (int i = from; i < to; i++) {
                                                queue.put(i).await();
                                            }
                                        }));
                    }
                    List<Task<Long>> consumers = new ArrayList<>();
                    for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
                        int count = consumerShare(items, c);
                        consumers.add(
                                Async.launch(
                                        () -> {
                                            long sum = 0;
                                            for (int n = 0; n < count; n++) {
                                                sum += queue.get().await();
                                            }
                                            return sum;
                                        }));
                    }
                    Async.gather(producers).await();
                    return sum(Async.gather(consumers).await());
                });
    }

    /** How many of {@code items} queued items consumer {@code c} takes. */
    static int consumerShare(int items, int c) {
        return Workload.share(items, c + 1, Workload.QUEUE_CONSUMERS)
                - Workload.share(items, c, Workload.QUEUE_CONSUMERS);
    }

    private static long sum(List<Long> sums) {
        long sum = 0;
        for (long each : sums) {
            sum += each;
        }
        return sum;
    }

    // --- corobridge, future style: tasks without a Java body each

    /**
     * {@code count} {@code Async.sleep} tasks, gathered inside one {@code Async.run}: the timers
     * are the tasks, no body awaits them one by one.
     */
    public static long corobridgeFutureSleeps(int count, long sleepMillis, Runnable whileSuspended)
            throws Exception {
        Duration sleep = Duration.ofMillis(sleepMillis);
        return Async.run(
                () -> {
                    List<Task<@Nullable Void>> tasks = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        tasks.add(Async.sleep(sleep));
                    }
                    Async.yieldNow().await(); // as in corobridgeSleeps: every task has started
                    whileSuspended.run();
                    return (long) Async.gather(tasks).await().size();
                });
    }

    /**
     * {@code batches} times: a gather of {@code batchSize} {@code Async.yieldNow()} tasks, inside
     * one {@code Async.run}. Returns the number of tasks that finished.
     */
    public static long corobridgeFutureYieldBatches(int batches, int batchSize) throws Exception {
        return Async.run(
                () -> {
                    long finished = 0;
                    for (int batch = 0; batch < batches; batch++) {
                        List<Task<@Nullable Void>> tasks = new ArrayList<>(batchSize);
                        for (int i = 0; i < batchSize; i++) {
                            tasks.add(Async.yieldNow());
                        }
                        finished += Async.gather(tasks).await().size();
                    }
                    return finished;
                });
    }

    /**
     * {@link #corobridgeQueue} without a body per producer or consumer: each is a chain of {@code
     * put(i)} (or {@code get()}) tasks, the next started by {@code thenCompose} once the one before
     * is done, and all are gathered inside one {@code Async.run}. Returns the sum of the consumers'
     * sums.
     *
     * <p>A put or get that is done at once (room, or an item, in the queue) is followed by the next
     * in the same call, without a stage; only one that waits is chained. A stage per item would
     * nest a relay per item, kept until the last item (heap growing with the item count), and
     * recurse once per item that is done at once.
     */
    public static long corobridgeFutureQueue(int items) throws Exception {
        return Async.run(
                () -> {
                    AsyncQueue<Integer> queue = AsyncQueue.fifo(Workload.QUEUE_CAPACITY);
                    List<CompletableFuture<@Nullable Void>> producers = new ArrayList<>();
                    for (int p = 0; p < Workload.QUEUE_PRODUCERS; p++) {
                        producers.add(
                                produce(
                                        queue,
                                        Workload.share(items, p, Workload.QUEUE_PRODUCERS),
                                        Workload.share(items, p + 1, Workload.QUEUE_PRODUCERS)));
                    }
                    List<CompletableFuture<Long>> consumers = new ArrayList<>();
                    for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
                        consumers.add(consume(queue, consumerShare(items, c), 0));
                    }
                    Async.gather(producers).await();
                    return sum(Async.gather(consumers).await());
                });
    }

    /** Puts {@code next} to {@code to - 1} in turn; done once the last is in. */
    private static CompletableFuture<@Nullable Void> produce(
            AsyncQueue<Integer> queue, int next, int to) {
        for (int i = next; i < to; i++) {
            Task<@Nullable Void> put = queue.put(i);
            if (!put.isDone() || put.isCompletedExceptionally()) {
                int after = i + 1;
                return put.thenCompose(done -> produce(queue, after, to));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Gets {@code left} more items in turn; done with {@code sum} plus their sum. */
    private static CompletableFuture<Long> consume(AsyncQueue<Integer> queue, int left, long sum) {
        long total = sum;
        for (int n = left; n > 0; n--) {
            Task<Integer> get = queue.get();
            if (!get.isDone() || get.isCompletedExceptionally()) {
                int after = n - 1;
                long before = total;
                return get.thenCompose(item -> consume(queue, after, before + item));
            }
            total += get.join(); // done: join() returns at once
        }
        return CompletableFuture.completedFuture(total);
    }

    // --- virtual threads

    /** {@code count} virtual threads that each sleep, then joined. */
    public static long virtualThreadSleeps(int count, long sleepMillis, Runnable whileSuspended)
            throws InterruptedException {
        ThreadFactory factory = VirtualThreads.require();
        CountDownLatch started = new CountDownLatch(count);
        Thread[] threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            threads[i] =
                    factory.newThread(
                            () -> {
                                started.countDown();
                                sleepUninterruptibly(sleepMillis);
                            });
            threads[i].start();
        }
        started.await(); // every thread is at (or about to enter) its sleep
        whileSuspended.run();
        for (Thread thread : threads) {
            thread.join();
        }
        return count;
    }

    /** {@code count} sequential virtual thread {@code start()} + {@code join()}. */
    public static long virtualThreadRoundTrips(int count) throws InterruptedException {
        ThreadFactory factory = VirtualThreads.require();
        long[] sum = new long[1];
        for (int i = 0; i < count; i++) {
            Thread thread = factory.newThread(() -> sum[0] += 1);
            thread.start();
            thread.join(); // join orders the write before this read
        }
        return sum[0];
    }

    /**
     * {@code batches} times: {@code batchSize} virtual threads that each {@code Thread.yield()},
     * started together and joined. Returns the number of threads that finished.
     */
    public static long virtualThreadYieldBatches(int batches, int batchSize)
            throws InterruptedException {
        ThreadFactory factory = VirtualThreads.require();
        long finished = 0;
        for (int batch = 0; batch < batches; batch++) {
            Thread[] threads = new Thread[batchSize];
            for (int i = 0; i < batchSize; i++) {
                threads[i] = factory.newThread(Thread::yield);
                threads[i].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            finished += batchSize;
        }
        return finished;
    }

    /**
     * {@link #corobridgeQueue} with a virtual thread per producer and consumer and an {@code
     * ArrayBlockingQueue(1024)}: {@code put} and {@code take} block the virtual thread. Returns the
     * sum of the consumers' sums.
     */
    public static long virtualThreadQueue(int items) throws InterruptedException {
        ThreadFactory factory = VirtualThreads.require();
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(Workload.QUEUE_CAPACITY);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < Workload.QUEUE_PRODUCERS; p++) {
            int from = Workload.share(items, p, Workload.QUEUE_PRODUCERS);
            int to = Workload.share(items, p + 1, Workload.QUEUE_PRODUCERS);
            threads.add(
                    factory.newThread(
                            () -> {
                                try {
                                    for (int i = from; i < to; i++) {
                                        queue.put(i);
                                    }
                                } catch (InterruptedException e) {
                                    throw new IllegalStateException("producer interrupted", e);
                                }
                            }));
        }
        long[] sums = new long[Workload.QUEUE_CONSUMERS];
        for (int c = 0; c < Workload.QUEUE_CONSUMERS; c++) {
            int consumer = c;
            int count = consumerShare(items, c);
            threads.add(
                    factory.newThread(
                            () -> {
                                long sum = 0;
                                try {
                                    for (int n = 0; n < count; n++) {
                                        sum += queue.take();
                                    }
                                } catch (InterruptedException e) {
                                    throw new IllegalStateException("consumer interrupted", e);
                                }
                                sums[consumer] = sum;
                            }));
        }
        for (Thread thread : threads) {
            thread.start();
        }
        long sum = 0;
        for (Thread thread : threads) {
            thread.join(); // join orders the consumers' writes before these reads
        }
        for (long each : sums) {
            sum += each;
        }
        return sum;
    }

    // --- CompletableFuture

    /** {@code count} futures completed by {@code delayedExecutor} after the sleep, joined. */
    public static long futureSleeps(int count, long sleepMillis, Runnable whileSuspended) {
        Executor delayed = CompletableFuture.delayedExecutor(sleepMillis, TimeUnit.MILLISECONDS);
        CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            futures[i] = CompletableFuture.runAsync(() -> {}, delayed);
        }
        whileSuspended.run();
        CompletableFuture.allOf(futures).join();
        return count;
    }

    /** {@code count} sequential {@code CompletableFuture.supplyAsync(() -> 1).join()}. */
    public static long futureRoundTrips(int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += CompletableFuture.supplyAsync(() -> 1).join();
        }
        return sum;
    }

    private static void sleepUninterruptibly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
