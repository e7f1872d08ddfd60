package dev.corobridge.benchmarks;

/** A system the harness measures; each runs each of its workloads in a process of its own. */
public enum Contender {
    /** corobridge with direct-style Java bodies: {@code Async.launch(() -> ...).await()}. */
    COROBRIDGE("corobridge (Java bodies)"),
    /**
     * corobridge without a Java body per task: {@code Async.sleep} and {@code Async.yieldNow} tasks
     * gathered inside {@code Async.run}, round trips from Kotlin through {@code startTask} and
     * {@code awaitOwned} ({@link CorobridgeKotlin}), and queue producers and consumers as chains of
     * {@code put()} and {@code get()} tasks joined with {@code thenCompose}.
     */
    COROBRIDGE_FUTURES("corobridge (future style)"),
    /** Raw kotlinx-coroutines in Kotlin, the baseline of every ratio: {@link KotlinBaseline}. */
    KOTLINX("raw kotlinx"),
    /**
     * One virtual thread per task (JDK 21+): {@code start()} + {@code join()}; the queue is an
     * {@code ArrayBlockingQueue}.
     */
    VIRTUAL_THREADS("virtual threads"),
    /**
     * Plain {@code CompletableFuture}: {@code supplyAsync}, {@code delayedExecutor}. It has no
     * {@link Workload#YIELD_BATCHES}: a future cannot yield, nor a {@link Workload#QUEUE}: it has
     * no queue to wait on.
     */
    COMPLETABLE_FUTURE("CompletableFuture"),
    /** Python asyncio, run by {@code python3} (when present) from {@code asyncio_workload.py}. */
    ASYNCIO("asyncio");

    private final String label;

    Contender(String label) {
        this.label = label;
    }

    /** The name shown in the table. */
    public String label() {
        return label;
    }

    /** Whether this contender has a version of {@code workload}; if not, it has no row for it. */
    public boolean runs(Workload workload) {
        return switch (workload) {
            // Java bodies have their own table at a tenth of the size: BODY_SLEEPS.
            case SLEEPS -> this != COROBRIDGE;
            case BODY_SLEEPS -> this != COROBRIDGE_FUTURES && this != COMPLETABLE_FUTURE;
            case ROUND_TRIPS -> true;
            case YIELD_BATCHES -> this != COMPLETABLE_FUTURE;
            // A future has no queue to wait on; ArrayBlockingQueue is the virtual threads' one.
            case QUEUE -> this != COMPLETABLE_FUTURE;
        };
    }

    /** Whether this contender runs in a JVM (and so in-process in tests). */
    public boolean onJvm() {
        return this != ASYNCIO;
    }
}
