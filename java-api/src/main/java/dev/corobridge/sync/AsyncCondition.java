package dev.corobridge.sync;

import dev.corobridge.Task;
import dev.corobridge.core.ConditionCore;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A condition variable for tasks: asyncio's {@code Condition}. A task holding the condition's lock
 * waits for a signal with {@link #whenSignalled()} (the lock is released meanwhile and held again
 * when the wait ends, even if it ends by cancellation); another task holding the lock wakes waiters
 * with {@link #signal()} or {@link #signalAll()}, in the order they began to wait.
 *
 * <pre>{@code
 * var ready = new AsyncCondition();
 * // consumer                                   // producer
 * try (var held = ready.hold()) {                try (var held = ready.hold()) {
 *     ready.waitFor(() -> !items.isEmpty())          items.add(item);
 *          .await();                                 ready.signal();
 *     use(items.remove(0));                      }
 * }
 * }</pre>
 */
public final class AsyncCondition {
    static {
        SyncTasks.connect();
    }

    private final AsyncLock lock;
    private final ConditionCore core;

    /** A condition with a lock of its own. */
    public AsyncCondition() {
        this(new AsyncLock());
    }

    /** A condition over {@code lock}, which other conditions or tasks may share. */
    public AsyncCondition(AsyncLock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.core = new ConditionCore(lock.core());
    }

    /** Acquires the condition's lock; see {@link AsyncLock#acquire()}. */
    public Task<@Nullable Void> acquire() {
        return lock.acquire();
    }

    /** Releases the condition's lock; see {@link AsyncLock#release()}. */
    public void release() {
        lock.release();
    }

    /** True while some task holds the condition's lock. */
    public boolean locked() {
        return lock.locked();
    }

    /** Inside a task body: holds the condition's lock until the {@link Held} is closed. */
    public Held hold() throws Exception {
        return lock.hold();
    }

    /**
     * Releases the lock and waits for a signal: asyncio's {@code await cond.wait()}. The task
     * completes once the lock is held again. A wait may end without its condition being true: check
     * it again, or use {@link #waitFor}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public Task<@Nullable Void> whenSignalled() {
        return SyncTasks.task(core.whenSignalledTask());
    }

    /**
     * Waits until {@code predicate} is true, checking it now and after each signal, with the lock
     * held: asyncio's {@code await cond.wait_for(predicate)}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public Task<@Nullable Void> waitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return SyncTasks.task(core.waitForTask(predicate::getAsBoolean));
    }

    /**
     * Wakes the first waiting task: asyncio's {@code notify()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code count} waiting tasks: asyncio's {@code notify(n)}.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     * @throws IllegalStateException if the lock is not held
     */
    public void signal(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot wake " + count + " tasks: give 0 or more");
        }
        core.signal(count);
    }

    /**
     * Wakes every waiting task: asyncio's {@code notify_all()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signalAll() {
        core.signalAll();
    }

    /** The engine's books, for the suspending forms in {@code SuspendingSync}. */
    ConditionCore core() {
        return core;
    }

    AsyncLock lock() {
        return lock;
    }
}
