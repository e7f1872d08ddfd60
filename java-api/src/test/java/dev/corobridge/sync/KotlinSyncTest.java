package dev.corobridge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import kotlin.Unit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kotlin coroutines and Java bodies sharing one primitive: the suspending forms stand in the same
 * line, keep the same books and give up their place when cancelled.
 */
@Timeout(30)
@SuppressWarnings("try") // try (var held = lock.hold()) is async with: held is unused
class KotlinSyncTest {
    private final KotlinSide kotlin = new KotlinSide();

    @Test
    void javaBodiesAndKotlinCoroutinesExcludeEachOtherOnOneLock() throws Exception {
        var lock = new AsyncLock();
        int[] counter = {0};
        Async.run(
                () -> {
                    var tasks = new ArrayList<Task<?>>();
                    for (int i = 0; i < 4; i++) {
                        tasks.add(
                                Async.<Unit>suspending(
                                        c -> kotlin.incrementUnderLock(lock, counter, 50, c)));
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            for (int n = 0; n < 50; n++) {
                                                try (var held = lock.hold()) {
                                                    int seen = counter[0];
                                                    Async.yieldNow().await();
                                                    counter[0] = seen + 1;
                                                }
                                            }
                                        }));
                    }
                    Async.gather(tasks).await();
                });
        assertEquals(400, counter[0], "no increment lost");
        assertFalse(lock.locked());
    }

    @Test
    void kotlinAndJavaWaitersAreServedInArrivalOrder() throws Exception {
        var lock = new AsyncLock();
        Async.run(
                () -> {
                    lock.acquire().await();
                    var waiters = new ArrayList<Task<?>>();
                    for (int i = 0; i < 3; i++) {
                        String name = "kotlin " + i;
                        waiters.add(
                                Async.<Unit>suspending(c -> kotlin.takeLockAndNote(lock, name, c)));
                        String other = "java " + i;
                        waiters.add(
                                Async.launch(
                                        () -> {
                                            try (var held = lock.hold()) {
                                                kotlin.getTrail().add(other);
                                            }
                                        }));
                    }
                    Async.yieldNow().await(); // every waiter is in line
                    lock.release();
                    Async.gather(waiters).await();
                });
        assertEquals(
                List.of("kotlin 0", "java 0", "kotlin 1", "java 1", "kotlin 2", "java 2"),
                kotlin.getTrail());
    }

    @Test
    void aCancelledKotlinWaiterPassesTheLockOn() throws Exception {
        var lock = new AsyncLock();
        Async.run(
                () -> {
                    lock.acquire().await();
                    var kotlinWaiter = Async.<Unit>suspending(c -> kotlin.waitForLock(lock, c));
                    var javaWaiter =
                            Async.launch(
                                    () -> {
                                        try (var held = lock.hold()) {
                                            kotlin.getTrail().add("java acquired");
                                        }
                                    });
                    Async.yieldNow().await();
                    lock.release(); // hands the lock to the Kotlin waiter ...
                    kotlinWaiter.cancel(); // ... cancelled before its turn: the next one gets it
                    Async.gatherSettled(List.of(kotlinWaiter, javaWaiter)).await();
                    assertTrue(kotlinWaiter.isCancelled());
                });
        assertEquals(List.of("kotlin cancelled", "java acquired"), kotlin.getTrail());
        assertFalse(lock.locked(), "no permit lost");
    }

    @Test
    void aKotlinProducerFeedsJavaAndKotlinConsumersUntilShutdown() throws Exception {
        AsyncQueue<Integer> queue = AsyncQueue.fifo(2);
        List<Integer> taken = new CopyOnWriteArrayList<>();
        int[] counts = new int[2];
        Async.run(
                () -> {
                    Task<Integer> kotlinConsumer =
                            Async.suspending(c -> kotlin.consumeUntilShutDown(queue, taken, c));
                    var javaConsumer =
                            Async.launch(
                                    () -> {
                                        try {
                                            while (true) {
                                                taken.add(queue.get().await());
                                                queue.taskDone();
                                                counts[1]++;
                                            }
                                        } catch (QueueShutDownException end) {
                                            return;
                                        }
                                    });
                    Async.<Unit>suspending(c -> kotlin.produce(queue, 0, 100, c)).await();
                    queue.join().await();
                    queue.shutdown();
                    counts[0] = kotlinConsumer.await();
                    javaConsumer.await();
                });
        assertEquals(100, taken.size());
        assertEquals(100, new HashSet<>(taken).size(), "every item once");
        // As on asyncio (CPython 3.13 prints [100, 0] for this program): the first consumer
        // finds an item each time it asks once they flow, so the second one never gets a turn.
        assertEquals(List.of(100, 0), List.of(counts[0], counts[1]));
        assertEquals(List.of("kotlin consumer saw shutdown"), kotlin.getTrail());
    }

    @Test
    void aSemaphoreCapsKotlinAndJavaHoldersTogether() throws Exception {
        var semaphore = new AsyncSemaphore(2);
        int[] inside = {0};
        int[] most = {0};
        Async.run(
                () -> {
                    var tasks = new ArrayList<Task<?>>();
                    for (int i = 0; i < 10; i++) {
                        tasks.add(
                                Async.<Unit>suspending(
                                        c -> kotlin.permitsInside(semaphore, inside, most, c)));
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            try (var permit = semaphore.hold()) {
                                                inside[0]++;
                                                most[0] = Math.max(most[0], inside[0]);
                                                Async.yieldNow().await();
                                                inside[0]--;
                                            }
                                        }));
                    }
                    Async.gather(tasks).await();
                });
        assertEquals(2, most[0], "two inside at most, and two at some point");
        assertEquals(2, semaphore.available());
    }

    @Test
    void anEventWakesAKotlinWaiter() throws Exception {
        var event = new AsyncEvent();
        Async.run(
                () -> {
                    var waiter = Async.<Unit>suspending(c -> kotlin.waitForEvent(event, c));
                    Async.yieldNow().await();
                    assertEquals(List.of(), kotlin.getTrail());
                    event.set();
                    waiter.await();
                });
        assertEquals(List.of("kotlin saw the event"), kotlin.getTrail());
    }

    @Test
    void aConditionWakesAKotlinWaiterWithTheLockHeld() throws Exception {
        var condition = new AsyncCondition();
        boolean[] ready = {false};
        Async.run(
                () -> {
                    var waiter =
                            Async.<Unit>suspending(c -> kotlin.waitUntilReady(condition, ready, c));
                    Async.yieldNow().await();
                    try (var held = condition.hold()) {
                        condition.signalAll(); // not ready yet: the waiter waits again
                    }
                    Async.yieldNow().await();
                    try (var held = condition.hold()) {
                        ready[0] = true;
                        condition.signal();
                    }
                    waiter.await();
                });
        assertEquals(List.of("kotlin ready, locked=true"), kotlin.getTrail());
        assertFalse(condition.locked());
    }

    @Test
    void aCancelledKotlinConditionWaitHoldsTheLockAgainBeforeItEnds() throws Exception {
        var condition = new AsyncCondition();
        Async.run(
                () -> {
                    var waiter = Async.<Unit>suspending(c -> kotlin.waitForSignal(condition, c));
                    Async.yieldNow().await();
                    condition.acquire().await(); // the waiter must wait for this to re-acquire
                    waiter.cancel();
                    Async.sleep(java.time.Duration.ofMillis(5)).await();
                    assertEquals(List.of(), kotlin.getTrail(), "still waiting for the lock");
                    condition.release();
                    assertThrows(CancellationException.class, waiter::await);
                });
        assertEquals(List.of("kotlin after wait, locked=true"), kotlin.getTrail());
        assertFalse(condition.locked());
    }

    @Test
    void kotlinAndJavaPartiesShareABarrier() throws Exception {
        var barrier = new AsyncBarrier(4);
        var indices = new ArrayList<@Nullable Integer>();
        Async.run(
                () -> {
                    var tasks = new ArrayList<Task<Integer>>();
                    for (int i = 0; i < 2; i++) {
                        tasks.add(Async.suspending(c -> kotlin.arrive(barrier, c)));
                        tasks.add(barrier.arriveAndWait());
                    }
                    indices.addAll(Async.gather(tasks).await());
                });
        assertEquals(List.of(0, 1, 2, 3), indices.stream().sorted().toList());
        assertFalse(barrier.isBroken());
    }

    @Test
    void theSuspendingFormsWorkOffAnyCorobridgeLoop() {
        int items = 500;
        long expected = (long) (2 * items) * (2 * items - 1) / 2;
        assertEquals(expected, kotlin.pipelineOffTheLoop(items));
    }
}
