package dev.corobridge.sync;

import dev.corobridge.Task;
import dev.corobridge.core.SemaphoreCore;
import org.jspecify.annotations.Nullable;

/**
 * A counter of permits for tasks: asyncio's {@code Semaphore}, the usual way to cap how many tasks
 * do something at once. Waiters are served first come, first served: while any waits, a new {@code
 * acquire()} queues behind it even if a permit is free.
 *
 * <pre>{@code
 * var downloads = new AsyncSemaphore(10);          // at most 10 at once
 * Async.launch(() -> {
 *     try (var permit = downloads.hold()) {        // async with downloads:
 *         return fetch(url);
 *     }
 * });
 * }</pre>
 *
 * @see BoundedSemaphore
 */
public sealed class AsyncSemaphore permits BoundedSemaphore {
    static {
        SyncTasks.connect();
    }

    private final SemaphoreCore core;

    /**
     * A semaphore with {@code permits} permits.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public AsyncSemaphore(int permits) {
        this(permits, SemaphoreCore.UNBOUNDED);
    }

    AsyncSemaphore(int permits, int bound) {
        if (permits < 0) {
            throw new IllegalArgumentException(
                    "a semaphore needs 0 or more permits, was given " + permits);
        }
        core = new SemaphoreCore(permits, bound);
    }

    /**
     * Takes a permit: asyncio's {@code await sem.acquire()}. The task completes once the caller has
     * one, at once if one is free and nobody waits. Cancelling the task while it waits gives up its
     * place; a permit handed to it meanwhile goes back.
     */
    public Task<@Nullable Void> acquire() {
        return SyncTasks.task(core.acquireTask());
    }

    /** Gives a permit back; the first waiter, if any, gets it in its next turn. */
    public void release() {
        core.release();
    }

    /** True when an {@code acquire()} would wait: no permit is free, or tasks are waiting. */
    public boolean locked() {
        return core.locked();
    }

    /** The permits free now. */
    public int available() {
        return core.available();
    }

    /**
     * Inside a task body: awaits {@link #acquire()} and returns a {@link Held} whose {@code
     * close()} gives the permit back, for try-with-resources ({@code async with sem:}).
     */
    public Held hold() throws Exception {
        acquire().await();
        return new Held(core::release);
    }

    /** The engine's books, for the suspending forms in {@code SuspendingSync}. */
    SemaphoreCore core() {
        return core;
    }
}
