package dev.corobridge.differential;

import dev.corobridge.Async;
import dev.corobridge.Outcome;
import dev.corobridge.Task;
import dev.corobridge.TaskGroup;
import dev.corobridge.differential.Program.AwaitTask;
import dev.corobridge.differential.Program.Call;
import dev.corobridge.differential.Program.Cancel;
import dev.corobridge.differential.Program.Gather;
import dev.corobridge.differential.Program.Group;
import dev.corobridge.differential.Program.Held;
import dev.corobridge.differential.Program.Hold;
import dev.corobridge.differential.Program.Log;
import dev.corobridge.differential.Program.Raise;
import dev.corobridge.differential.Program.Setup;
import dev.corobridge.differential.Program.Shield;
import dev.corobridge.differential.Program.Sleep;
import dev.corobridge.differential.Program.Spawn;
import dev.corobridge.differential.Program.Statement;
import dev.corobridge.differential.Program.Sync;
import dev.corobridge.differential.Program.Timeout;
import dev.corobridge.differential.Program.Try;
import dev.corobridge.differential.Program.WaitFor;
import dev.corobridge.sync.AsyncBarrier;
import dev.corobridge.sync.AsyncCondition;
import dev.corobridge.sync.AsyncEvent;
import dev.corobridge.sync.AsyncLock;
import dev.corobridge.sync.AsyncQueue;
import dev.corobridge.sync.AsyncSemaphore;
import dev.corobridge.sync.QueueShutDownException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs a {@link Program} with corobridge's Java API (what {@link JavaWriter} shows) and returns its
 * trail, described as {@link PythonWriter}'s prelude describes CPython's.
 */
final class CorobridgeRun {
    private final Program program;
    private final List<String> trail = Collections.synchronizedList(new ArrayList<>());

    // The shared primitives of a program with a setup (see Program), null otherwise.
    private final AsyncLock lock;
    private final AsyncSemaphore semaphore;
    private final AsyncEvent event;
    private final AsyncQueue<String> queue;
    private final AsyncCondition condition;
    private final AsyncBarrier barrier;

    private CorobridgeRun(Program program) {
        this.program = program;
        Setup setup = program.setup();
        boolean shared = setup != null;
        lock = shared ? new AsyncLock() : null;
        semaphore = shared ? new AsyncSemaphore(setup.permits()) : null;
        event = shared ? new AsyncEvent() : null;
        queue = shared ? queue(setup) : null;
        condition = shared ? new AsyncCondition() : null;
        barrier = shared ? new AsyncBarrier(setup.parties()) : null;
    }

    private static AsyncQueue<String> queue(Setup setup) {
        int capacity = setup.capacity();
        return switch (setup.queue()) {
            case FIFO -> capacity == 0 ? AsyncQueue.fifo() : AsyncQueue.fifo(capacity);
            case LIFO -> capacity == 0 ? AsyncQueue.lifo() : AsyncQueue.lifo(capacity);
            case PRIORITY ->
                    capacity == 0
                            ? AsyncQueue.priority(Comparator.naturalOrder())
                            : AsyncQueue.priority(capacity, Comparator.naturalOrder());
        };
    }

    /** The trail of {@code program} under {@code Async.run}, its main task's outcome last. */
    static List<String> trail(Program program) {
        CorobridgeRun run = new CorobridgeRun(program);
        String result;
        try {
            result = describe(Async.run(run::main));
        } catch (Exception e) {
            result = "!" + describe(e);
        }
        run.trail.add("main=" + result);
        return List.copyOf(run.trail);
    }

    /** The exception a program raises. */
    static final class Boom extends Exception {
        private static final long serialVersionUID = 1L;

        Boom(String label) {
            super(label, null, true, false);
        }
    }

    /** What Python's ExceptionGroup is to a task group's failures. */
    static final class GroupFailure extends Exception {
        private static final long serialVersionUID = 1L;

        final transient List<Throwable> failures;

        GroupFailure(List<Throwable> failures) {
            super("a task group failed", null, true, false);
            this.failures = failures;
        }

        void collectFailures(Map<Throwable, Boolean> found) {
            for (Throwable failure : failures) {
                if (failure instanceof GroupFailure inner) inner.collectFailures(found);
                else found.put(failure, true);
            }
        }
    }

    /** A function's local task variables and the task groups it is inside of. */
    private static final class Frame {
        final Map<Integer, Task<Object>> tasks = new HashMap<>();
        final Deque<TaskGroup> groups = new ArrayDeque<>();
    }

    private Object main() throws Exception {
        if (program.setup() != null) Async.launch(this::closer);
        return function(0);
    }

    /** Ends every wait, every {@code closeEvery} turns, as {@link PythonWriter}'s closer. */
    @SuppressWarnings("try") // try (var held = condition.hold()) is async with: held is unused
    private Object closer() throws Exception {
        boolean immediate = false;
        while (true) {
            for (int i = 0; i < program.setup().closeEvery(); i++) Async.yieldNow().await();
            log("close");
            event.set();
            queue.shutdown(immediate);
            immediate = true;
            try (var held = condition.hold()) {
                condition.signalAll();
            }
            barrier.reset().await();
        }
    }

    private Object function(int number) throws Exception {
        block(program.functions().get(number), new Frame());
        return "r" + number;
    }

    private void block(List<Statement> block, Frame frame) throws Exception {
        for (Statement statement : block) execute(statement, frame);
    }

    @SuppressWarnings("try") // try (var held = ...hold()) is async with: held is unused
    private void execute(Statement s, Frame frame) throws Exception {
        String label = s.label();
        if (s instanceof Log) {
            log(label);
        } else if (s instanceof Spawn spawn) {
            int function = spawn.function();
            Task<Object> task =
                    spawn.intoGroup()
                            ? frame.groups.peek().launch(() -> function(function))
                            : Async.launch(() -> function(function));
            frame.tasks.put(spawn.variable(), task);
        } else if (s instanceof AwaitTask a) {
            log(label, frame.tasks.get(a.variable()).await());
        } else if (s instanceof Call c) {
            log(label, function(c.function()));
        } else if (s instanceof Sleep) {
            Async.yieldNow().await();
            log(label);
        } else if (s instanceof Gather g) {
            List<CompletableFuture<Object>> tasks =
                    g.variables().stream().map(frame.tasks::get).collect(Collectors.toList());
            log(
                    label,
                    (g.returnExceptions() ? Async.gatherSettled(tasks) : Async.gather(tasks))
                            .await());
        } else if (s instanceof Cancel c) {
            frame.tasks.get(c.variable()).cancel();
            log(label);
        } else if (s instanceof WaitFor w) {
            Task<Object> task = frame.tasks.get(w.variable());
            log(label, Async.waitFor(task, Duration.ofMillis(w.limit().millis)).await());
        } else if (s instanceof Shield sh) {
            log(label, Async.shield(frame.tasks.get(sh.variable())).await());
        } else if (s instanceof Timeout t) {
            Async.timeout(
                            Duration.ofMillis(t.limit().millis),
                            () -> {
                                block(t.body(), frame);
                                return null;
                            })
                    .await();
            log(label);
        } else if (s instanceof Group g) {
            try {
                Async.taskGroup(
                                group -> {
                                    frame.groups.push(group);
                                    try {
                                        block(g.body(), frame);
                                    } finally {
                                        frame.groups.pop();
                                    }
                                })
                        .await();
            } catch (CancellationException e) {
                throw e;
            } catch (Exception e) {
                throw groupFailure(e);
            }
            log(label);
        } else if (s instanceof Try t) {
            try {
                block(t.body(), frame);
            } catch (CancellationException e) {
                if (t.logsCancellation()) log(label + "!c");
                throw e;
            } catch (Exception e) {
                log(label + "!", e);
            } finally {
                block(t.cleanup(), frame);
            }
        } else if (s instanceof Raise) {
            throw new Boom(label);
        } else if (s instanceof Hold h) {
            if (h.explicit()) {
                acquire(h.on());
                try {
                    block(h.body(), frame);
                } finally {
                    release(h.on());
                }
            } else {
                try (var held = hold(h.on())) {
                    block(h.body(), frame);
                }
            }
            log(label);
        } else if (s instanceof Sync sync) {
            sync(sync, label);
        } else {
            throw new AssertionError(s);
        }
    }

    private void acquire(Held held) throws Exception {
        switch (held) {
            case LOCK -> lock.acquire().await();
            case SEMAPHORE -> semaphore.acquire().await();
            case CONDITION -> condition.acquire().await();
        }
    }

    private void release(Held held) {
        switch (held) {
            case LOCK -> lock.release();
            case SEMAPHORE -> semaphore.release();
            case CONDITION -> condition.release();
        }
    }

    private dev.corobridge.sync.Held hold(Held held) throws Exception {
        return switch (held) {
            case LOCK -> lock.hold();
            case SEMAPHORE -> semaphore.hold();
            case CONDITION -> condition.hold();
        };
    }

    private void sync(Sync s, String label) throws Exception {
        switch (s.op()) {
            case LOCKED -> log(label, lock.locked());
            case SEMAPHORE_LOCKED -> log(label, semaphore.locked());
            case EVENT_SET -> {
                event.set();
                log(label);
            }
            case EVENT_CLEAR -> {
                event.clear();
                log(label);
            }
            case EVENT_IS_SET -> log(label, event.isSet());
            case EVENT_WAIT -> {
                event.whenSet().await();
                log(label);
            }
            case QUEUE_PUT -> {
                queue.put(label).await();
                log(label);
            }
            case QUEUE_GET -> {
                String item = queue.get().await();
                queue.taskDone();
                log(label, item);
            }
            case QUEUE_PUT_NOWAIT -> log(label, queue.offer(label));
            case QUEUE_GET_NOWAIT -> {
                String item = queue.poll();
                if (item != null) queue.taskDone();
                log(label, item);
            }
            case QUEUE_SIZE -> log(label, queue.size());
            case QUEUE_JOIN -> {
                queue.join().await();
                log(label);
            }
            case QUEUE_SHUTDOWN -> {
                queue.shutdown();
                log(label);
            }
            case QUEUE_SHUTDOWN_IMMEDIATE -> {
                queue.shutdown(true);
                log(label);
            }
            case CONDITION_LOCKED -> log(label, condition.locked());
            case CONDITION_WAIT -> {
                condition.whenSignalled().await();
                log(label);
            }
            case CONDITION_WAIT_FOR -> {
                condition.waitFor(event::isSet).await();
                log(label);
            }
            case CONDITION_NOTIFY -> {
                condition.signal();
                log(label);
            }
            case CONDITION_NOTIFY_ALL -> {
                condition.signalAll();
                log(label);
            }
            case BARRIER_WAIT -> log(label, barrier.arriveAndWait().await());
            case BARRIER_WAITING -> log(label, barrier.waiting());
            case BARRIER_BROKEN -> log(label, barrier.isBroken());
            case BARRIER_RESET -> {
                barrier.reset().await();
                log(label);
            }
            case BARRIER_ABORT -> {
                barrier.abort().await();
                log(label);
            }
        }
    }

    /** A group's first failure with the later ones it carries as suppressed, as one group. */
    private static GroupFailure groupFailure(Exception first) {
        List<Throwable> failures = new ArrayList<>();
        failures.add(first);
        for (Throwable later : first.getSuppressed()) {
            if (isProgramFailure(later)) failures.add(later);
        }
        return new GroupFailure(failures);
    }

    private static boolean isProgramFailure(Throwable e) {
        return e instanceof Boom
                || e instanceof GroupFailure
                || e instanceof BrokenBarrierException
                || e instanceof TimeoutException
                || (e instanceof IllegalStateException && !(e instanceof CancellationException));
    }

    private void log(String label) {
        trail.add(label);
    }

    private void log(String label, Object value) {
        trail.add(label + "=" + describe(value));
    }

    static String describe(Object value) {
        if (value == null) return "None";
        if (value instanceof Boolean b) return b ? "True" : "False";
        if (value instanceof List<?> list) {
            return list.stream()
                    .map(CorobridgeRun::describe)
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Outcome.Success<?> success) return describe(success.value());
        if (value instanceof Outcome.Failure<?> failure) return describe(failure.exception());
        if (value instanceof Outcome.Cancelled<?>) return "Cancelled";
        if (value instanceof GroupFailure group) {
            // As PythonWriter's prelude: the distinct failures, nested groups flattened.
            Map<Throwable, Boolean> found = new IdentityHashMap<>();
            group.collectFailures(found);
            return found.keySet().stream()
                    .map(CorobridgeRun::describe)
                    .sorted()
                    .collect(Collectors.joining(", ", "Group[", "]"));
        }
        if (value instanceof CancellationException) return "Cancelled";
        if (value instanceof TimeoutException) return "Timeout";
        if (value instanceof QueueShutDownException) return "QueueShutDown";
        if (value instanceof BrokenBarrierException) return "BrokenBarrier";
        if (value instanceof Boom boom) return "Boom(" + boom.getMessage() + ")";
        if (value instanceof IllegalStateException) return "RuntimeError";
        if (value instanceof Throwable e)
            return e.getClass().getSimpleName() + "(" + e.getMessage() + ")";
        return value.toString();
    }
}
