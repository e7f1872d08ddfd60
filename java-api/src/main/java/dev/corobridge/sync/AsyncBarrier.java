package dev.corobridge.sync;

import dev.corobridge.Task;
import dev.corobridge.core.BarrierCore;
import java.util.concurrent.BrokenBarrierException;
import org.jspecify.annotations.Nullable;

/**
 * A meeting point for a fixed number of tasks: asyncio's {@code Barrier}. Each task that calls
 * {@link #arriveAndWait()} waits until {@link #parties()} have; then all go on, each with its index
 * of arrival, and the barrier can be used again once they have left. Waits on a barrier that is
 * {@link #reset() reset} or {@link #abort() aborted} fail with {@link BrokenBarrierException}.
 *
 * <pre>{@code
 * var start = new AsyncBarrier(3);
 * for (int i = 0; i < 3; i++) {
 *     Async.launch(() -> {
 *         prepare();
 *         int index = start.arriveAndWait().await();   // await barrier.wait()
 *         run(index);
 *     });
 * }
 * }</pre>
 */
public final class AsyncBarrier {
    static {
        SyncTasks.connect();
    }

    private final BarrierCore core;

    /**
     * A barrier for {@code parties} tasks.
     *
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public AsyncBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException(
                    "a barrier needs 1 party or more, was given " + parties);
        }
        core =
                new BarrierCore(
                        parties,
                        () -> new BrokenBarrierException("the barrier was reset or aborted"));
    }

    /**
     * Arrives at the barrier and waits for the others: asyncio's {@code await barrier.wait()}. The
     * task completes with this arrival's index, from 0 to {@code parties() - 1}, once all have
     * arrived; it fails with {@link BrokenBarrierException} if the barrier is reset or aborted
     * meanwhile, or is broken now.
     */
    public Task<Integer> arriveAndWait() {
        return SyncTasks.task(core.arriveTask());
    }

    /**
     * Puts the barrier back to empty: the tasks waiting fail with {@link BrokenBarrierException},
     * and new arrivals wait for the barrier to fill again.
     */
    public Task<@Nullable Void> reset() {
        return SyncTasks.task(core.resetTask());
    }

    /** Breaks the barrier: the tasks waiting, and every later arrival, fail. */
    public Task<@Nullable Void> abort() {
        return SyncTasks.task(core.abortTask());
    }

    /** The number of tasks the barrier waits for. */
    public int parties() {
        return core.getParties();
    }

    /** The tasks waiting for the barrier to fill (0 while it lets them go or is broken). */
    public int waiting() {
        return core.waiting();
    }

    /** True once the barrier has been aborted. */
    public boolean isBroken() {
        return core.isBroken();
    }

    /** The engine's books, for the suspending forms in {@code SuspendingSync}. */
    BarrierCore core() {
        return core;
    }
}
