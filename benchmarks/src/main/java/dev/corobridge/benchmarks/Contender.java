package dev.corobridge.benchmarks;

/** A system the harness measures; each runs every workload in its own process. */
public enum Contender {
    /** corobridge with direct-style Java bodies: {@code Async.launch(() -> ...).await()}. */
    COROBRIDGE("corobridge (Java bodies)"),
    /** Raw kotlinx-coroutines in Kotlin, the baseline of every ratio: {@link KotlinBaseline}. */
    KOTLINX("raw kotlinx"),
    /** One virtual thread per task (JDK 21+): {@code start()} + {@code join()}. */
    VIRTUAL_THREADS("virtual threads"),
    /** Plain {@code CompletableFuture}: {@code supplyAsync}, {@code delayedExecutor}. */
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

    /** Whether this contender runs in a JVM (and so in-process in tests). */
    public boolean onJvm() {
        return this != ASYNCIO;
    }
}
