package dev.corobridge.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.corobridge.Async;
import dev.corobridge.BodyThreads;
import dev.corobridge.Loops;
import dev.corobridge.ReturnWhen;
import dev.corobridge.Task;
import dev.corobridge.Trail;
import dev.corobridge.differential.CPython;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coordination primitives wake, hand over and survive cancellation as asyncio's do: each
 * program here is also written for asyncio (src/test/resources/asyncio/sync), and both must print
 * the lines written here, in this order. The asyncio side runs on CPython 3.13 or later when one is
 * found (Queue.shutdown is 3.13's); the Java side is checked either way.
 */
@Timeout(30)
@SuppressWarnings("try") // try (var held = lock.hold()) is async with: held is unused
class SyncParityTest {
    private static final Optional<CPython> PYTHON = CPython.find(new StringBuilder());

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aLockServesItsWaitersInTurn(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var lock = new AsyncLock();
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (String name : List.of("a", "b", "c")) {
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            out.add(name + " waits");
                                            try (var held = lock.hold()) {
                                                out.add(name + " holds");
                                                Async.yieldNow().await();
                                                out.add(name + " releases");
                                            }
                                        }));
                    }
                    Async.yieldNow().await();
                    out.add("locked " + py(lock.locked()));
                    Async.gather(tasks).await();
                    out.add("locked " + py(lock.locked()));
                });
        assertParity(
                "lock_fifo.py",
                out,
                "a waits",
                "a holds",
                "b waits",
                "c waits",
                "locked True",
                "a releases",
                "b holds",
                "b releases",
                "c holds",
                "c releases",
                "locked False");
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aLockHandedToAWaiterCancelledBeforeItsTurnPassesOn(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var lock = new AsyncLock();
                    lock.acquire().await();
                    var b = Async.launch(() -> acquirer(lock, "b", out));
                    var c = Async.launch(() -> acquirer(lock, "c", out));
                    Async.yieldNow().await();
                    lock.release(); // b is woken ...
                    b.cancel(); // ... and cancelled before its turn: c must get the lock
                    out.add("released and cancelled");
                    Async.gatherSettled(b, c).await();
                    out.add("locked " + py(lock.locked()));
                });
        assertParity(
                "lock_cancel_race.py",
                out,
                "released and cancelled",
                "b cancelled",
                "c holds",
                "locked False");
    }

    private static void acquirer(AsyncLock lock, String name, Trail out) throws Exception {
        try {
            lock.acquire().await();
        } catch (CancellationException e) {
            out.add(name + " cancelled");
            throw e;
        }
        out.add(name + " holds");
        lock.release();
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void anEventWakesItsWaitersBeforeTasksStartedAfterIt(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var event = new AsyncEvent();
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (String name : List.of("a", "b")) {
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            out.add(name + " waits");
                                            event.whenSet().await();
                                            out.add(name + " woke");
                                        }));
                    }
                    Async.yieldNow().await();
                    event.set();
                    tasks.add(Async.launch(() -> out.add("late runs")));
                    event.clear(); // the waiters woken by set() still wake
                    out.add("set " + py(event.isSet()));
                    Async.gather(tasks).await();
                    out.add("done");
                });
        assertParity(
                "event_set.py",
                out,
                "a waits",
                "b waits",
                "set False",
                "a woke",
                "b woke",
                "late runs",
                "done");
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aSemaphoreCapsHowManyRunAtOnce(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var sem = new AsyncSemaphore(2);
                    var running = new ArrayList<String>();
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (int i = 0; i < 5; i++) {
                        String name = "j" + i;
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            try (var permit = sem.hold()) {
                                                running.add(name);
                                                out.add(
                                                        name
                                                                + " starts, "
                                                                + running.size()
                                                                + " running");
                                                Async.yieldNow().await();
                                                Async.yieldNow().await();
                                                running.remove(name);
                                                out.add(name + " ends");
                                            }
                                        }));
                    }
                    Async.yieldNow().await();
                    out.add("locked " + py(sem.locked()));
                    tasks.get(3).cancel(); // waiting for a permit: it leaves the line
                    Async.gatherSettled(tasks).await();
                    out.add("locked " + py(sem.locked()));
                });
        assertParity(
                "semaphore_cap.py",
                out,
                "j0 starts, 1 running",
                "j1 starts, 2 running",
                "locked True",
                "j0 ends",
                "j1 ends",
                "j2 starts, 1 running",
                "j4 starts, 2 running",
                "j2 ends",
                "j4 ends",
                "locked False");
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aPermitHandedToAWaiterCancelledBeforeItsTurnPassesOn(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var sem = new AsyncSemaphore(1);
                    sem.acquire().await();
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (String name : List.of("b", "c", "d")) {
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            try {
                                                sem.acquire().await();
                                            } catch (CancellationException e) {
                                                out.add(name + " cancelled");
                                                throw e;
                                            }
                                            out.add(name + " acquired");
                                        }));
                    }
                    Async.yieldNow().await();
                    sem.release(); // b gets the permit ...
                    tasks.get(0).cancel(); // ... and is cancelled before its turn
                    Async.yieldNow().await();
                    Async.yieldNow().await();
                    out.add("locked " + py(sem.locked()));
                    sem.release();
                    Async.gatherSettled(tasks).await();
                    out.add("locked " + py(sem.locked()));
                });
        assertParity(
                "semaphore_cancel_race.py",
                out,
                "b cancelled",
                "c acquired",
                "locked True",
                "d acquired",
                "locked True");
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aBoundedQueueFeedsWorkersUntilItIsShutDown(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    AsyncQueue<Integer> q = AsyncQueue.fifo(2);
                    var consumers = new ArrayList<Task<@Nullable Void>>();
                    for (String name : List.of("c1", "c2")) {
                        consumers.add(Async.launch(() -> consumer(q, name, out)));
                    }
                    for (int i = 0; i < 5; i++) {
                        q.put(i).await();
                        out.add("put " + i + " size " + q.size());
                    }
                    q.shutdown();
                    out.add("producer shut the queue down");
                    q.join().await();
                    out.add("joined");
                    Async.gather(consumers).await();
                });
        assertParity(
                "queue_workers.py",
                out,
                "put 0 size 1",
                "put 1 size 2",
                "c1 got 0",
                "c2 got 1",
                "put 2 size 1",
                "put 3 size 2",
                "c1 got 2",
                "c2 got 3",
                "put 4 size 1",
                "producer shut the queue down",
                "c1 got 4",
                "c2 sees the shutdown",
                "c1 sees the shutdown",
                "joined");
    }

    private static void consumer(AsyncQueue<Integer> q, String name, Trail out) throws Exception {
        try {
            while (true) {
                int item = q.get().await();
                out.add(name + " got " + item);
                Async.yieldNow().await();
                q.taskDone();
            }
        } catch (QueueShutDownException e) {
            out.add(name + " sees the shutdown");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void anImmediateShutdownDropsTheItemsAndRefusesEveryone(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    AsyncQueue<Integer> q = AsyncQueue.lifo(2);
                    for (int i = 0; i < 2; i++) {
                        q.offer(i);
                    }
                    var blocked =
                            Async.launch(
                                    () -> {
                                        try {
                                            q.put(9).await();
                                            out.add("put 9");
                                        } catch (QueueShutDownException e) {
                                            out.add("put 9 refused");
                                        }
                                    });
                    var joiner = Async.launch(() -> q.join().await());
                    Async.yieldNow().await();
                    out.add("full " + py(q.isFull()) + " size " + q.size());
                    out.add("got " + q.poll());
                    q.taskDone();
                    q.shutdown(true);
                    out.add("size " + q.size());
                    blocked.await();
                    joiner.await();
                    out.add("joined");
                    try {
                        q.poll();
                    } catch (QueueShutDownException e) {
                        out.add("get refused");
                    }
                });
        assertParity(
                "queue_shutdown_immediate.py",
                out,
                "full True size 2",
                "got 1",
                "size 0",
                "put 9 refused",
                "joined",
                "get refused");
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aConditionWakesOneOrAllInTurn(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var cond = new AsyncCondition();
                    var items = new ArrayList<Integer>();
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (String name : List.of("a", "b", "c")) {
                        tasks.add(
                                Async.launch(
                                        () -> {
                                            try (var held = cond.hold()) {
                                                out.add(name + " waits");
                                                cond.waitFor(() -> !items.isEmpty()).await();
                                                out.add(name + " takes " + items.remove(0));
                                            }
                                        }));
                    }
                    Async.yieldNow().await();
                    try (var held = cond.hold()) {
                        items.add(1);
                        cond.signal();
                        out.add("one signalled");
                    }
                    Async.yieldNow().await();
                    try (var held = cond.hold()) {
                        items.addAll(List.of(2, 3));
                        cond.signalAll();
                        out.add("all signalled");
                    }
                    Async.gather(tasks).await();
                    out.add("locked " + py(cond.locked()));
                });
        assertParity(
                "condition_signal.py",
                out,
                "a waits",
                "b waits",
                "c waits",
                "one signalled",
                "a takes 1",
                "all signalled",
                "b takes 2",
                "c takes 3",
                "locked False");
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aCancelledConditionWaitTakesTheLockBackAndPassesItsSignalOn(BodyThreads kind)
            throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var cond = new AsyncCondition();
                    var a = Async.launch(() -> conditionWaiter(cond, "a", out));
                    var b = Async.launch(() -> conditionWaiter(cond, "b", out));
                    Async.yieldNow().await();
                    cond.acquire().await();
                    cond.signal(1); // a is signalled ...
                    a.cancel(); // ... and cancelled: the signal goes on to b
                    out.add("signalled and cancelled, lock held");
                    Async.yieldNow().await();
                    Async.yieldNow().await();
                    out.add("a done " + py(a.isDone() && bodyEnded(a)));
                    cond.release();
                    Async.gatherSettled(a, b).await();
                    out.add("locked " + py(cond.locked()));
                });
        assertParity(
                "condition_cancel.py",
                out,
                "signalled and cancelled, lock held",
                "a done False",
                "a cancelled, holding True",
                "b woke",
                "locked False");
    }

    /**
     * Whether a cancelled task's body has ended: its future completes at cancel() (the JDK's
     * contract), its body's cleanup afterwards; asyncio's done() is the latter.
     */
    private static boolean bodyEnded(Task<?> task) {
        return !Async.allTasks().contains(task);
    }

    private static void conditionWaiter(AsyncCondition cond, String name, Trail out)
            throws Exception {
        try (var held = cond.hold()) {
            try {
                cond.whenSignalled().await();
                out.add(name + " woke");
            } catch (CancellationException e) {
                out.add(name + " cancelled, holding " + py(cond.locked()));
                throw e;
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aBarrierLetsItsPartiesGoAndBreaksOnResetAndAbort(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var barrier = new AsyncBarrier(3);
                    var tasks = new ArrayList<Task<@Nullable Void>>();
                    for (int i = 0; i < 3; i++) {
                        String name = "p" + i;
                        tasks.add(Async.launch(() -> party(barrier, name, out)));
                    }
                    Async.yieldNow().await();
                    out.add("waiting " + barrier.waiting());
                    Async.gather(tasks).await();
                    out.add("waiting " + barrier.waiting());
                    tasks.clear();
                    for (int i = 0; i < 2; i++) {
                        String name = "q" + i;
                        tasks.add(Async.launch(() -> party(barrier, name, out)));
                    }
                    Async.yieldNow().await();
                    out.add("waiting " + barrier.waiting());
                    barrier.reset().await();
                    Async.gather(tasks).await();
                    barrier.abort().await();
                    out.add("broken " + py(barrier.isBroken()));
                    party(barrier, "late", out);
                });
        assertParity(
                "barrier.py",
                out,
                "p0 arrives",
                "p1 arrives",
                "p2 arrives",
                "p2 passes as 2",
                "waiting 0",
                "p0 passes as 0",
                "p1 passes as 1",
                "waiting 0",
                "q0 arrives",
                "q1 arrives",
                "waiting 2",
                "q0 finds it broken",
                "q1 finds it broken",
                "broken True",
                "late arrives",
                "late finds it broken");
    }

    private static void party(AsyncBarrier barrier, String name, Trail out) throws Exception {
        out.add(name + " arrives");
        try {
            int index = barrier.arriveAndWait().await();
            out.add(name + " passes as " + index);
        } catch (java.util.concurrent.BrokenBarrierException e) {
            out.add(name + " finds it broken");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void waitSplitsTasksIntoDoneAndPending(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var tasks = new java.util.LinkedHashMap<String, Task<String>>();
                    tasks.put("a", Async.launch(() -> job("a", 6, false, null)));
                    tasks.put("b", Async.launch(() -> job("b", 1, false, null)));
                    tasks.put("c", Async.launch(() -> job("c", 3, true, null)));
                    for (var when :
                            List.of(
                                    ReturnWhen.FIRST_COMPLETED,
                                    ReturnWhen.FIRST_EXCEPTION,
                                    ReturnWhen.ALL_COMPLETED)) {
                        var waited = Async.wait(tasks.values(), when).await();
                        out.add(
                                when.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                                        + ": done ["
                                        + names(tasks, waited.done())
                                        + "] pending ["
                                        + names(tasks, waited.pending())
                                        + "]");
                    }
                    var slow = Async.sleep(java.time.Duration.ofSeconds(10));
                    var waited =
                            Async.wait(
                                            List.of(slow),
                                            ReturnWhen.ALL_COMPLETED,
                                            java.time.Duration.ofMillis(50))
                                    .await();
                    out.add(
                            "timed out: done "
                                    + waited.done().size()
                                    + " pending "
                                    + waited.pending().size()
                                    + " cancelled "
                                    + py(slow.isCancelled()));
                    slow.cancel();
                    try {
                        tasks.get("c").await();
                    } catch (IllegalArgumentException e) {
                        out.add("c failed with " + e.getMessage());
                    }
                });
        assertParity(
                "wait.py",
                out,
                "first completed: done [b] pending [a c]",
                "first exception: done [b c] pending [a]",
                "all completed: done [a b c] pending []",
                "timed out: done 0 pending 1 cancelled False",
                "c failed with c");
    }

    private static String names(
            java.util.Map<String, Task<String>> tasks, java.util.Set<Task<String>> chosen) {
        var names = new ArrayList<String>();
        tasks.forEach(
                (name, task) -> {
                    if (chosen.contains(task)) names.add(name);
                });
        return String.join(" ", names);
    }

    private static String job(String name, int turns, boolean fail, @Nullable Trail out)
            throws Exception {
        for (int i = 0; i < turns; i++) {
            Async.yieldNow().await();
        }
        if (fail) throw new IllegalArgumentException(name);
        if (out != null) out.add(name + " finishes");
        return name;
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void asCompletedGivesTheTasksAsTheyComplete(BodyThreads kind) throws Exception {
        var out = new Trail();
        Loops.run(
                kind,
                () -> {
                    var tasks =
                            List.of(
                                    Async.launch(() -> job("a", 3, false, out)),
                                    Async.launch(() -> job("b", 1, false, out)),
                                    Async.launch(() -> job("c", 2, false, out)));
                    for (var task : Async.asCompleted(tasks)) {
                        out.add("got " + task.await());
                    }
                    var slow = Async.sleep(java.time.Duration.ofSeconds(10));
                    try {
                        for (var task :
                                Async.asCompleted(List.of(slow), java.time.Duration.ofMillis(50))) {
                            out.add("never " + task);
                        }
                    } catch (Exception e) { // the iteration throws it unchecked
                        if (!(e instanceof java.util.concurrent.TimeoutException)) throw e;
                        out.add("timed out");
                    }
                    slow.cancel();
                });
        assertParity(
                "as_completed.py",
                out,
                "b finishes",
                "c finishes",
                "a finishes",
                "got b",
                "got c",
                "got a",
                "timed out");
    }

    private static String py(boolean value) {
        return value ? "True" : "False";
    }

    private static void assertParity(String script, Trail out, String... expected)
            throws Exception {
        assertEquals(List.of(expected), out.events(), "corobridge's lines for " + script);
        if (PYTHON.isEmpty()) {
            return; // the Java side is checked; the differential test reports the missing oracle
        }
        String source;
        try (InputStream in = SyncParityTest.class.getResourceAsStream("/asyncio/sync/" + script)) {
            assertNotNull(in, script);
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(List.of(expected), PYTHON.get().run(source), "asyncio's lines for " + script);
    }
}
