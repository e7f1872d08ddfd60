package dev.corobridge.sync;

/**
 * A lock or permit held by the calling task, for try-with-resources: asyncio's {@code async with
 * lock:}. Closing it releases what it holds, once; it throws nothing checked.
 *
 * <pre>{@code
 * try (var held = lock.hold()) {   // async with lock:
 *     balance += amount;
 * }
 * }</pre>
 */
public final class Held implements AutoCloseable {
    private final Runnable release;
    private boolean released;

    Held(Runnable release) {
        this.release = release;
    }

    /** Releases what this holds; later calls do nothing. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        release.run();
    }
}
