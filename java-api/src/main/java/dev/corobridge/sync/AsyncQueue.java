package dev.corobridge.sync;

import dev.corobridge.Task;
import dev.corobridge.core.QueueCore;
import dev.corobridge.core.QueueStorage;
import java.util.Comparator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A queue between tasks: asyncio's {@code Queue}, {@code LifoQueue} and {@code PriorityQueue}. A
 * bounded queue makes {@link #put} wait for room, and {@link #get} waits for an item; waiters are
 * served first come, first served. {@link #taskDone()} and {@link #join()} count the items dealt
 * with, and {@link #shutdown()} ends the queue (Python 3.13's {@code Queue.shutdown}).
 *
 * <pre>{@code
 * AsyncQueue<String> urls = AsyncQueue.fifo(100);      // asyncio.Queue(maxsize=100)
 * for (int i = 0; i < 4; i++) {
 *     Async.launch(() -> {                             // a worker
 *         while (true) {
 *             var url = urls.get().await();
 *             try {
 *                 fetch(url);
 *             } finally {
 *                 urls.taskDone();
 *             }
 *         }
 *     });
 * }
 * for (var url : list) urls.put(url).await();
 * urls.join().await();                                 // every item dealt with
 * }</pre>
 *
 * @param <T> the type of the items; {@code null} is not an item
 */
public final class AsyncQueue<T> {
    static {
        SyncTasks.connect();
    }

    private final QueueCore<T> core;

    private AsyncQueue(int capacity, QueueStorage<T> storage) {
        core = new QueueCore<>(capacity, storage, QueueShutDownException::new);
    }

    /** An unbounded first-in, first-out queue: {@code asyncio.Queue()}. */
    public static <T> AsyncQueue<T> fifo() {
        return new AsyncQueue<>(0, QueueStorage.fifo());
    }

    /**
     * A first-in, first-out queue of at most {@code capacity} items: {@code
     * asyncio.Queue(maxsize)}.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive (use {@link #fifo()} for
     *     an unbounded queue)
     */
    public static <T> AsyncQueue<T> fifo(int capacity) {
        return new AsyncQueue<>(checkedCapacity(capacity), QueueStorage.fifo());
    }

    /** An unbounded last-in, first-out queue: {@code asyncio.LifoQueue()}. */
    public static <T> AsyncQueue<T> lifo() {
        return new AsyncQueue<>(0, QueueStorage.lifo());
    }

    /**
     * A last-in, first-out queue of at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public static <T> AsyncQueue<T> lifo(int capacity) {
        return new AsyncQueue<>(checkedCapacity(capacity), QueueStorage.lifo());
    }

    /**
     * An unbounded queue that gives the least item first by {@code order}: {@code
     * asyncio.PriorityQueue()}. Items that compare equal leave in no particular order.
     */
    public static <T> AsyncQueue<T> priority(Comparator<? super T> order) {
        Objects.requireNonNull(order, "order");
        return new AsyncQueue<>(0, QueueStorage.priority(order));
    }

    /**
     * A priority queue of at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public static <T> AsyncQueue<T> priority(int capacity, Comparator<? super T> order) {
        Objects.requireNonNull(order, "order");
        return new AsyncQueue<>(checkedCapacity(capacity), QueueStorage.priority(order));
    }

    private static int checkedCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "a bounded queue holds 1 item or more, was given a capacity of "
                            + capacity
                            + "; use the factory without a capacity for an unbounded queue");
        }
        return capacity;
    }

    /**
     * Puts {@code item} in the queue: asyncio's {@code await q.put(item)}. The task completes once
     * the item is in, at once if there is room; it fails with {@link QueueShutDownException} if the
     * queue is shut down, now or while it waits. Cancelling it while it waits leaves the item out.
     */
    public Task<@Nullable Void> put(T item) {
        return SyncTasks.task(core.putTask(Objects.requireNonNull(item, "item")));
    }

    /**
     * Takes the next item: asyncio's {@code await q.get()}. The task completes with it once there
     * is one; it fails with {@link QueueShutDownException} once the queue is shut down and empty.
     * Cancelling it while it waits takes nothing.
     */
    public Task<T> get() {
        return SyncTasks.task(core.getTask());
    }

    /**
     * Puts {@code item} in the queue if there is room now: asyncio's {@code put_nowait}, which
     * never waits.
     *
     * @return false if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     */
    public boolean offer(T item) {
        return core.offer(Objects.requireNonNull(item, "item"));
    }

    /**
     * Takes the next item if there is one now: asyncio's {@code get_nowait}, which never waits.
     *
     * @return the item, or null if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public @Nullable T poll() {
        return core.poll();
    }

    /** The number of items in the queue. */
    public int size() {
        return core.size();
    }

    public boolean isEmpty() {
        return core.isEmpty();
    }

    /** True when a bounded queue holds its capacity; never for an unbounded one. */
    public boolean isFull() {
        return core.isFull();
    }

    /** The most items the queue holds, or 0 if it is unbounded (asyncio's {@code maxsize}). */
    public int capacity() {
        return core.capacity();
    }

    /**
     * Tells the queue that an item taken from it has been dealt with: asyncio's {@code
     * task_done()}. {@link #join()} completes once every item put has been.
     *
     * @throws IllegalStateException if called more often than items were put
     */
    public void taskDone() {
        core.taskDone();
    }

    /**
     * Waits until every item put in the queue has been dealt with ({@link #taskDone()}): asyncio's
     * {@code await q.join()}. Completes at once if none is outstanding.
     */
    public Task<@Nullable Void> join() {
        return SyncTasks.task(core.joinTask());
    }

    /**
     * Shuts the queue down: puts fail from now on, and gets once the queue is empty. Every task
     * waiting to put or get wakes up to see it. Python 3.13's {@code q.shutdown()}.
     */
    public void shutdown() {
        core.shutdown(false);
    }

    /**
     * Shuts the queue down; with {@code immediate}, gets fail at once too: the items left are
     * dropped and counted as dealt with, which may complete {@link #join()}.
     */
    public void shutdown(boolean immediate) {
        core.shutdown(immediate);
    }

    /** The engine's books, for the suspending forms in {@code SuspendingSync}. */
    QueueCore<T> core() {
        return core;
    }
}
