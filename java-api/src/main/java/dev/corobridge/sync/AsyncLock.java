package dev.corobridge.sync;

import dev.corobridge.Task;
import dev.corobridge.core.LockCore;
import org.jspecify.annotations.Nullable;

/**
 * A mutual-exclusion lock for tasks: asyncio's {@code Lock}. Not reentrant, and not owned by a
 * thread: the task that acquired it releases it, possibly after awaits in between, and waiters get
 * it first come, first served.
 *
 * <pre>{@code
 * var lock = new AsyncLock();                 // lock = asyncio.Lock()
 * Async.run(() -> {
 *     try (var held = lock.hold()) {          // async with lock:
 *         var balance = read();
 *         Async.sleep(Duration.ofMillis(10)).await();
 *         write(balance + 1);
 *     }
 * });
 * }</pre>
 */
public final class AsyncLock {
    static {
        SyncTasks.connect();
    }

    private final LockCore core = new LockCore();

    /** A lock that nobody holds. */
    public AsyncLock() {}

    /**
     * Acquires the lock: asyncio's {@code await lock.acquire()}. The task completes once the caller
     * holds the lock, at once if it is free and nobody waits for it. Cancelling the task while it
     * waits gives up the place in line; a lock handed to it meanwhile passes to the next waiter.
     */
    public Task<@Nullable Void> acquire() {
        return SyncTasks.task(core.acquireTask());
    }

    /**
     * Releases the lock; the first waiter, if any, takes it in its next turn.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        core.release();
    }

    /** True while some task holds the lock. */
    public boolean locked() {
        return core.locked();
    }

    /**
     * Inside a task body: awaits {@link #acquire()} and returns a {@link Held} whose {@code
     * close()} releases the lock, for try-with-resources ({@code async with lock:}).
     *
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it
     *     waits (the lock is then not held)
     */
    public Held hold() throws Exception {
        acquire().await();
        return new Held(core::release);
    }

    LockCore core() {
        return core;
    }
}
