package dev.corobridge.benchmarks;

/** A workload of the side-by-side harness, sized by a task count (and, for batches, a count). */
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
    YIELD_BATCHES("tasks that each yield once, gathered batch by batch");

    private final String description;

    Workload(String description) {
        this.description = description;
    }

    /** Whether its tasks sleep: then it also has retained-heap runs. */
    public boolean sleeps() {
        return this == SLEEPS || this == BODY_SLEEPS;
    }

    /** What the workload does, for the table's heading. */
    public String description() {
        return description;
    }
}
