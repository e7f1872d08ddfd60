package dev.corobridge.sync;

import dev.corobridge.Task;
import dev.corobridge.core.EventCore;
import org.jspecify.annotations.Nullable;

/**
 * A flag that tasks wait for: asyncio's {@code Event}. {@link #set()} wakes every task waiting,
 * each in a turn of its own in the order they began to wait; a task that runs before them (one
 * started after the {@code set()}) may see the flag first.
 *
 * <pre>{@code
 * var ready = new AsyncEvent();                  // ready = asyncio.Event()
 * Async.launch(() -> { load(); ready.set(); });
 * ready.whenSet().await();                       // await ready.wait()
 * }</pre>
 */
public final class AsyncEvent {
    static {
        SyncTasks.connect();
    }

    private final EventCore core = new EventCore();

    /** An event that is not set. */
    public AsyncEvent() {}

    /** Sets the flag and wakes every waiting task; does nothing if it is set already. */
    public void set() {
        core.set();
    }

    /** Clears the flag: later {@link #whenSet()} calls wait until the next {@link #set()}. */
    public void clear() {
        core.clear();
    }

    /** True while the flag is set. */
    public boolean isSet() {
        return core.isSet();
    }

    /**
     * Waits for the flag: asyncio's {@code await event.wait()}. The task completes once the flag is
     * set, at once if it is set now; a task woken by a {@code set()} completes even if the flag was
     * cleared again before its turn.
     */
    public Task<@Nullable Void> whenSet() {
        return SyncTasks.task(core.whenSetTask());
    }

    /** The engine's books, for the suspending forms in {@code SuspendingSync}. */
    EventCore core() {
        return core;
    }
}
