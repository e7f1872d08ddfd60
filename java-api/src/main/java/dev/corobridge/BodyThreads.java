package dev.corobridge;

/**
 * The kind of thread that runs a Java task body of an {@link EventLoop}. Either way the loop lets
 * only one body run at a time; the kind decides what a waiting body costs.
 *
 * <pre>{@code
 * try (var loop = EventLoop.create(BodyThreads.PLATFORM)) { loop.runBlocking(() -> work()); }
 * }</pre>
 */
public enum BodyThreads {
    /**
     * One virtual thread per body (JDK 21+): an await parks a continuation. The default when
     * available.
     */
    VIRTUAL,
    /**
     * One pooled platform thread per running body: works on JDK 17, holds an OS thread while
     * awaiting.
     */
    PLATFORM;

    /** {@link #VIRTUAL} when this JDK has virtual threads, else {@link #PLATFORM}. */
    public static BodyThreads preferred() {
        return Async.ENGINE.loops.virtualThreadsAvailable() ? VIRTUAL : PLATFORM;
    }

    /** Throws {@code IllegalStateException} if this kind cannot run on this JDK. */
    void requireAvailable() {
        if (this == VIRTUAL && !Async.ENGINE.loops.virtualThreadsAvailable()) {
            throw new IllegalStateException(
                    "virtual threads need JDK 21 or later (running "
                            + Runtime.version()
                            + "); use BodyThreads.PLATFORM");
        }
    }
}
