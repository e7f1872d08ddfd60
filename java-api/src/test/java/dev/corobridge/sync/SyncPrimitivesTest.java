package dev.corobridge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.BodyThreads;
import dev.corobridge.Dispatcher;
import dev.corobridge.Loops;
import dev.corobridge.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviours CPython's test_locks and test_queues check, in our own words: bookkeeping, bad
 * input, and cancellation that loses no permit, item or wake-up; and the same primitives under real
 * parallelism.
 */
@Timeout(30)
@SuppressWarnings("try") // try (var held = lock.hold()) is async with: held is unused
class SyncPrimitivesTest {

    @Test
    void badInputFailsAtTheCallSite() {
        var negative = assertThrows(IllegalArgumentException.class, () -> new AsyncSemaphore(-1));
        assertTrue(negative.getMessage().contains("-1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-2));
        var zero = assertThrows(IllegalArgumentException.class, () -> AsyncQueue.fifo(0));
        assertTrue(zero.getMessage().contains("unbounded"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AsyncQueue.lifo(-1));
        assertThrows(
                IllegalArgumentException.class,
                () -> AsyncQueue.priority(0, Comparator.<Integer>naturalOrder()));
        assertThrows(NullPointerException.class, () -> AsyncQueue.priority(null));
        AsyncQueue<String> queue = AsyncQueue.fifo();
        assertThrows(NullPointerException.class, () -> queue.offer(nullString()));
        assertThrows(NullPointerException.class, () -> queue.put(nullString()));
        assertEquals(0, queue.size(), "a refused item is not in the queue");
    }

    /** A null where the signature says there is none: what careless callers pass. */
    @SuppressWarnings("nullness")
    private static String nullString() {
        return null;
    }

    @Test
    void releasingWhatIsNotHeldIsRefused() {
        var lock = new AsyncLock();
        var e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().contains("not held"), e.getMessage());

        var bounded = new BoundedSemaphore(1);
        var over = assertThrows(IllegalStateException.class, bounded::release);
        assertTrue(over.getMessage().contains("more often than acquired"), over.getMessage());
        assertEquals(1, bounded.available(), "the refused release changed nothing");

        var plain = new AsyncSemaphore(1);
        plain.release(); // asyncio's Semaphore allows it: the cap goes up
        assertEquals(2, plain.available());

        AsyncQueue<Integer> queue = AsyncQueue.fifo();
        queue.offer(1);
        queue.taskDone();
        var done = assertThrows(IllegalStateException.class, queue::taskDone);
        assertTrue(done.getMessage().contains("more often"), done.getMessage());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void operationsThatNeedNotWaitCompleteAtOnce(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    var lock = new AsyncLock();
                    assertTrue(lock.acquire().isDone());
                    assertTrue(lock.locked());
                    var waiting = lock.acquire();
                    assertFalse(waiting.isDone());
                    lock.release();
                    waiting.await();
                    assertTrue(lock.locked());
                    lock.release();
                    assertFalse(lock.locked());

                    var event = new AsyncEvent();
                    event.set();
                    assertTrue(event.whenSet().isDone());

                    AsyncQueue<String> queue = AsyncQueue.fifo(1);
                    assertTrue(queue.put("a").isDone());
                    assertTrue(queue.isFull());
                    assertFalse(queue.offer("b"));
                    assertEquals("a", queue.get().await());
                    assertNull(queue.poll());
                    assertFalse(queue.join().isDone(), "one item was taken, not yet done");
                    queue.taskDone();
                    assertTrue(queue.join().isDone());
                    assertEquals(1, queue.capacity());
                    assertEquals(0, AsyncQueue.fifo().capacity());
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aSemaphoreWithWaitersIsLockedEvenWithAPermitFree(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    var sem = new AsyncSemaphore(0);
                    var first = sem.acquire();
                    sem.release(); // handed to the waiter, whose turn has not come yet
                    assertTrue(sem.locked());
                    var second = sem.acquire();
                    assertFalse(second.isDone(), "a newcomer queues behind the waiter (FIFO)");
                    first.await();
                    sem.release();
                    second.await();
                    assertTrue(sem.locked());
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aHeldLockIsReleasedWhenTheBlockThrows(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    var lock = new AsyncLock();
                    var failed =
                            Async.launch(
                                    () -> {
                                        try (var held = lock.hold()) {
                                            Async.yieldNow().await();
                                            throw new IllegalStateException("inside the lock");
                                        }
                                    });
                    var e = assertThrows(IllegalStateException.class, failed::await);
                    assertEquals("inside the lock", e.getMessage());
                    assertFalse(lock.locked());
                    try (var held = lock.hold()) {
                        assertTrue(lock.locked());
                    }
                    assertFalse(lock.locked());
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void anItemPutForACancelledGetterGoesToTheNextOne(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    AsyncQueue<String> queue = AsyncQueue.fifo();
                    var first = Async.launch(() -> queue.get().await());
                    var second = Async.launch(() -> queue.get().await());
                    Async.yieldNow().await();
                    queue.offer("x"); // wakes the first getter ...
                    first.cancel(); // ... which is cancelled before its turn
                    assertEquals("x", second.await());
                    assertThrows(CancellationException.class, first::await);
                    assertEquals(0, queue.size());
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void roomMadeForACancelledPutterGoesToTheNextOne(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    AsyncQueue<String> queue = AsyncQueue.fifo(1);
                    queue.offer("held");
                    var first = Async.launch(() -> queue.put("first").await());
                    var second = Async.launch(() -> queue.put("second").await());
                    Async.yieldNow().await();
                    assertEquals("held", queue.poll()); // wakes the first putter ...
                    first.cancel(); // ... which is cancelled before its turn
                    second.await();
                    assertThrows(CancellationException.class, first::await);
                    assertEquals(List.of("second"), drain(queue));
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aGetThatTimesOutLeavesTheLineAndLosesNothing(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    AsyncQueue<String> queue = AsyncQueue.fifo();
                    assertThrows(
                            TimeoutException.class,
                            () -> Async.waitFor(queue.get(), Duration.ofMillis(20)).await());
                    queue.offer("kept");
                    assertEquals(1, queue.size(), "no waiter took it");
                    assertEquals("kept", queue.get().await());

                    var lock = new AsyncLock();
                    lock.acquire().await();
                    assertThrows(
                            TimeoutException.class,
                            () -> Async.waitFor(lock.acquire(), Duration.ofMillis(20)).await());
                    lock.release();
                    assertFalse(lock.locked(), "the timed-out waiter did not take the lock");
                    assertTrue(lock.acquire().isDone());
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aShutdownWakesEveryWaiter(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    AsyncQueue<Integer> empty = AsyncQueue.fifo();
                    var getters = List.of(empty.get(), empty.get());
                    AsyncQueue<Integer> full = AsyncQueue.fifo(1);
                    full.offer(1);
                    var putter = full.put(2);
                    empty.shutdown();
                    full.shutdown();
                    for (var getter : getters) {
                        assertThrows(QueueShutDownException.class, getter::await);
                    }
                    assertThrows(QueueShutDownException.class, putter::await);
                    assertEquals(1, full.get().await(), "a plain shutdown still gives what is in");
                    assertThrows(QueueShutDownException.class, () -> full.get().await());
                    assertThrows(QueueShutDownException.class, () -> full.offer(3));
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void lifoAndPriorityQueuesGiveTheirOrder(BodyThreads kind) throws Exception {
        Loops.run(
                kind,
                () -> {
                    AsyncQueue<Integer> lifo = AsyncQueue.lifo();
                    AsyncQueue<Integer> priority = AsyncQueue.priority(Comparator.reverseOrder());
                    for (int i : List.of(3, 1, 2)) {
                        lifo.put(i).await();
                        priority.put(i).await();
                    }
                    assertEquals(List.of(2, 1, 3), drain(lifo));
                    assertEquals(List.of(3, 2, 1), drain(priority));
                });
    }

    private static <T> List<T> drain(AsyncQueue<T> queue) throws Exception {
        var items = new ArrayList<T>();
        while (!queue.isEmpty()) {
            items.add(queue.get().await());
        }
        return items;
    }

    // --- real parallelism: the primitives' books are guarded, not left to the loop

    private static final Dispatcher PARALLEL = Dispatcher.defaultDispatcher();

    @Test
    void aLockExcludesUnderParallelism() throws Exception {
        var lock = new AsyncLock();
        var inside = new AtomicInteger();
        var most = new AtomicInteger();
        int[] counter = {0};
        Async.run(
                PARALLEL,
                () -> {
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (int t = 0; t < 16; t++) {
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            for (int i = 0; i < 200; i++) {
                                                try (var held = lock.hold()) {
                                                    most.accumulateAndGet(
                                                            inside.incrementAndGet(), Math::max);
                                                    int seen = counter[0];
                                                    if (i % 50 == 0) Async.yieldNow().await();
                                                    counter[0] = seen + 1;
                                                    inside.decrementAndGet();
                                                }
                                            }
                                        }));
                    }
                    Async.gather(tasks).await();
                });
        assertEquals(16 * 200, counter[0], "no increment was lost");
        assertEquals(1, most.get(), "never two tasks inside");
        assertFalse(lock.locked());
    }

    @Test
    void aSemaphoreCapsUnderParallelismAndLosesNoPermit() throws Exception {
        var sem = new AsyncSemaphore(3);
        var inside = new AtomicInteger();
        var most = new AtomicInteger();
        Async.run(
                PARALLEL,
                () -> {
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (int t = 0; t < 32; t++) {
                        int id = t;
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            for (int i = 0; i < 100; i++) {
                                                try (var permit = sem.hold()) {
                                                    most.accumulateAndGet(
                                                            inside.incrementAndGet(), Math::max);
                                                    try {
                                                        if ((i + id) % 7 == 0) {
                                                            Async.yieldNow().await();
                                                        }
                                                    } finally { // a cancelled task leaves too
                                                        inside.decrementAndGet();
                                                    }
                                                }
                                            }
                                        }));
                    }
                    // Cancelled waiters must not take permits with them.
                    for (int t = 0; t < 32; t += 5) tasks.get(t).cancel();
                    Async.gatherSettled(tasks).await();
                });
        assertTrue(most.get() <= 3, "at most 3 inside, saw " + most.get());
        assertEquals(3, sem.available(), "every permit came back");
    }

    @Test
    void aQueueUnderParallelismDeliversEveryItemOnce() throws Exception {
        AsyncQueue<Integer> queue = AsyncQueue.fifo(8);
        var seen = ConcurrentHashMap.<Integer>newKeySet();
        var duplicates = new AtomicInteger();
        int producers = 4;
        int perProducer = 2_000;
        Async.run(
                PARALLEL,
                () -> {
                    var consumers = new ArrayList<Task<@Nullable Void>>();
                    for (int c = 0; c < 4; c++) {
                        consumers.add(
                                Async.launch(
                                        () -> {
                                            try {
                                                while (true) {
                                                    if (!seen.add(queue.get().await())) {
                                                        duplicates.incrementAndGet();
                                                    }
                                                    queue.taskDone();
                                                }
                                            } catch (QueueShutDownException end) {
                                                // drained
                                            }
                                        }));
                    }
                    var puts = new ArrayList<Task<@Nullable Void>>();
                    for (int p = 0; p < producers; p++) {
                        int base = p * perProducer;
                        puts.add(
                                Async.launch(
                                        () -> {
                                            for (int i = 0; i < perProducer; i++) {
                                                queue.put(base + i).await();
                                            }
                                        }));
                    }
                    Async.gather(puts).await();
                    queue.join().await();
                    queue.shutdown();
                    Async.gather(consumers).await();
                });
        assertEquals(producers * perProducer, seen.size(), "no item lost");
        assertEquals(0, duplicates.get(), "no item twice");
    }
}
