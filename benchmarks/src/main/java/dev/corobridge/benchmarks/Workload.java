package dev.corobridge.benchmarks;

/**
 * A workload of the side-by-side harness, sized by a task count (for batches, also a batch count;
 * for the queue, an item count).
 */
public enum Workload {
    /** {@code size} concurrent sleeps (1 s by default), started together and gathered. */
    SLEEPS("concurrent sleeps, gathered"),
    /**
     * {@code size} concurrent task bodies (100,000 by default) that each await a sleep, gathered:
     * the workload of direct-style Java bodies, against virtual threads and coroutines doing the
     * same. Systems without a body per task (future style, {@code CompletableFuture}) have no row.
     */
    BODY_SLEEPS("concurrent task bodies each awaiting a sleep, gathered"),
    /** {@code size} sequential launch+await round trips of a task that returns 1. */
    ROUND_TRIPS("sequential launch+await round trips"),
    /**
     * {@code batches} batches of {@code size} tasks that each yield once; each batch is gathered
     * before the next starts. Measures task creation and scheduling throughput, without timers.
     */
    YIELD_BATCHES("tasks that each yield once, gathered batch by batch"),
    /**
     * {@code size} items (10,000,000 by default) through one bounded queue of {@value
     * #QUEUE_CAPACITY} items, from {@value #QUEUE_PRODUCERS} producers to {@value #QUEUE_CONSUMERS}
     * consumers: the items are the numbers 0 to {@code size - 1}, each producer puts a contiguous
     * share of them, each consumer takes a fixed share of the items and sums them, and the checksum
     * is the sum of the consumers' sums ({@link #checksum}). Measures the hand-over of items
     * between tasks, where a full or empty queue makes them wait.
     */
    QUEUE("items through a bounded queue");

    /** The capacity of the {@link #QUEUE} workload's queue. */
    public static final int QUEUE_CAPACITY = 1_024;

    /** The producers of the {@link #QUEUE} workload. */
    public static final int QUEUE_PRODUCERS = 4;

    /** The consumers of the {@link #QUEUE} workload. */
    public static final int QUEUE_CONSUMERS = 4;

    private final String description;

    Workload(String description) {
        this.description = description;
    }

    /** Whether its tasks sleep: then it also has retained-heap runs. */
    public boolean sleeps() {
        return this == SLEEPS || this == BODY_SLEEPS;
    }

    /**
     * What a run of {@code size} (times {@code batches}) must return: the tasks that finished, or
     * for {@link #QUEUE} the sum of the items 0 to {@code size - 1}.
     */
    public long checksum(int size, int batches) {
        return this == QUEUE ? (long) size * (size - 1) / 2 : (long) size * batches;
    }

    /**
     * The first item of {@link #QUEUE}'s producer (or the first of the items that consumer takes in
     * all) {@code index} of {@code of}, when {@code size} items are shared out: share {@code index}
     * is {@code share(size, index, of)} to {@code share(size, index + 1, of)}.
     */
    public static int share(int size, int index, int of) {
        return (int) ((long) size * index / of);
    }

    /** What the workload does, for the table's heading. */
    public String description() {
        return description;
    }
}
