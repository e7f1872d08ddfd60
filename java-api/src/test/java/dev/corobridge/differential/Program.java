package dev.corobridge.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * A random task program: functions {@code f0} (the main task) to {@code fn}, each a block of
 * statements and a {@code return 'rK'} at its end. Written out for CPython ({@link PythonWriter})
 * and interpreted on corobridge ({@link CorobridgeRun}); both leave the same trail of labels.
 *
 * <p>A function only starts or calls functions with a higher number, so every program ends.
 *
 * <p>A program with a {@link Setup} also shares one of each coordination primitive between its
 * tasks ({@code lock}, {@code sem}, {@code event}, {@code q}, {@code cond}, {@code barrier}), and
 * its main task first starts a <em>closer</em>: a task that, every {@link Setup#closeEvery()}
 * turns, logs {@code close}, sets the event, shuts the queue down (the first time so that gets take
 * the items left, then at once), notifies every condition waiter and resets the barrier. So every
 * wait ends, whether or not the program itself satisfies it; a lock or semaphore is held only
 * around statements that never wait for another task ({@link Hold}), so those waits end too.
 *
 * @param setup the shared primitives, or null for a program without them
 */
record Program(long seed, Setup setup, List<List<Statement>> functions) {

    /**
     * The primitives' parameters: {@code asyncio.Semaphore(permits)}, the queue's kind and capacity
     * (0 is unbounded), {@code asyncio.Barrier(parties)}, and the closer's period in turns.
     */
    record Setup(int permits, QueueKind queue, int capacity, int parties, int closeEvery) {}

    /** {@code asyncio.Queue}, {@code LifoQueue} or {@code PriorityQueue} (of strings). */
    enum QueueKind {
        FIFO("Queue", "fifo"),
        LIFO("LifoQueue", "lifo"),
        PRIORITY("PriorityQueue", "priority");

        final String python;
        final String java;

        QueueKind(String python, String java) {
            this.python = python;
            this.java = java;
        }
    }

    /** One statement; {@code label} (like {@code f2.3}) is what it writes into the trail. */
    sealed interface Statement {
        String label();
    }

    /** {@code log('L')}. */
    record Log(String label) implements Statement {}

    /** {@code tV = asyncio.create_task(fK())}, or {@code tg.create_task} inside a task group. */
    record Spawn(String label, int variable, int function, boolean intoGroup)
            implements Statement {}

    /** {@code log('L', await tV)}. */
    record AwaitTask(String label, int variable) implements Statement {}

    /** {@code log('L', await fK())}: the coroutine runs inline, in the calling task. */
    record Call(String label, int function) implements Statement {}

    /** {@code await asyncio.sleep(0); log('L')}. */
    record Sleep(String label) implements Statement {}

    /** {@code log('L', await asyncio.gather(tA, tB, return_exceptions=X))}. */
    record Gather(String label, List<Integer> variables, boolean returnExceptions)
            implements Statement {}

    /** {@code tV.cancel(); log('L')}. */
    record Cancel(String label, int variable) implements Statement {}

    /** {@code log('L', await asyncio.wait_for(tV, limit))}. */
    record WaitFor(String label, int variable, Limit limit) implements Statement {}

    /** {@code log('L', await asyncio.shield(tV))}. */
    record Shield(String label, int variable) implements Statement {}

    /** {@code async with asyncio.timeout(limit): body}, then {@code log('L')}. */
    record Timeout(String label, Limit limit, List<Statement> body) implements Statement {}

    /** {@code async with asyncio.TaskGroup() as tg: body}, then {@code log('L')}. */
    record Group(String label, List<Statement> body) implements Statement {}

    /**
     * {@code try: body / except CancelledError: log('L!c'); raise / except Exception as e:
     * log('L!', e) / finally: cleanup}; the first handler only if {@code logsCancellation}.
     */
    record Try(
            String label, List<Statement> body, boolean logsCancellation, List<Statement> cleanup)
            implements Statement {}

    /** {@code raise Boom('L')}. */
    record Raise(String label) implements Statement {}

    /**
     * {@code async with lock: body}, then {@code log('L')}; with {@code explicit}, {@code await
     * lock.acquire() / try: body / finally: lock.release()} instead. The body never waits for
     * another task (but for a condition's {@code wait()}, which lets the lock go meanwhile).
     */
    record Hold(String label, Held on, boolean explicit, List<Statement> body)
            implements Statement {}

    /** What a {@link Hold} holds. */
    enum Held {
        LOCK("lock"),
        SEMAPHORE("sem"),
        CONDITION("cond");

        final String python;

        Held(String python) {
            this.python = python;
        }
    }

    /** One operation on a shared primitive (see {@link SyncOp}). */
    record Sync(String label, SyncOp op) implements Statement {}

    /** The operations of {@link Sync}, as {@link PythonWriter} writes them. */
    enum SyncOp {
        /** {@code log('L', lock.locked())}. */
        LOCKED(false),
        /** {@code log('L', sem.locked())}. */
        SEMAPHORE_LOCKED(false),
        /** {@code event.set(); log('L')}. */
        EVENT_SET(false),
        /** {@code event.clear(); log('L')}. */
        EVENT_CLEAR(false),
        /** {@code log('L', event.is_set())}. */
        EVENT_IS_SET(false),
        /** {@code await event.wait(); log('L')}. */
        EVENT_WAIT(true),
        /** {@code await q.put('L'); log('L')}. */
        QUEUE_PUT(true),
        /** {@code item = await q.get(); q.task_done(); log('L', item)}. */
        QUEUE_GET(true),
        /** {@code log('L', put_nowait(q, 'L'))}: False if the queue is full. */
        QUEUE_PUT_NOWAIT(false),
        /** {@code log('L', get_nowait(q))}, task done: None if the queue is empty. */
        QUEUE_GET_NOWAIT(false),
        /** {@code log('L', q.qsize())}. */
        QUEUE_SIZE(false),
        /** {@code await q.join(); log('L')}. */
        QUEUE_JOIN(true),
        /** {@code q.shutdown(); log('L')}. */
        QUEUE_SHUTDOWN(false),
        /** {@code q.shutdown(immediate=True); log('L')}. */
        QUEUE_SHUTDOWN_IMMEDIATE(false),
        /** {@code log('L', cond.locked())}. */
        CONDITION_LOCKED(false),
        /** {@code await cond.wait(); log('L')}: only while holding {@code cond}. */
        CONDITION_WAIT(false),
        /**
         * {@code await cond.wait_for(event.is_set); log('L')}: only while holding {@code cond}; the
         * closer sets the event before it notifies.
         */
        CONDITION_WAIT_FOR(false),
        /** {@code cond.notify(); log('L')}: only while holding {@code cond}. */
        CONDITION_NOTIFY(false),
        /** {@code cond.notify_all(); log('L')}: only while holding {@code cond}. */
        CONDITION_NOTIFY_ALL(false),
        /** {@code log('L', await barrier.wait())}: the index of arrival. */
        BARRIER_WAIT(true),
        /** {@code log('L', barrier.n_waiting)}. */
        BARRIER_WAITING(false),
        /** {@code log('L', barrier.broken)}. */
        BARRIER_BROKEN(false),
        /** {@code await barrier.reset(); log('L')}. */
        BARRIER_RESET(true),
        /** {@code await barrier.abort(); log('L')}. */
        BARRIER_ABORT(true);

        /**
         * Waits for another task, or may (a barrier's reset and abort take its inner lock); never
         * inside a {@link Hold}.
         */
        final boolean waits;

        SyncOp(boolean waits) {
            this.waits = waits;
        }

        /** Only inside a {@link Hold} of the condition. */
        boolean needsCondition() {
            return this == CONDITION_WAIT
                    || this == CONDITION_WAIT_FOR
                    || this == CONDITION_NOTIFY
                    || this == CONDITION_NOTIFY_ALL;
        }
    }

    /** A time limit: zero (expires at once) or one that never expires while a program runs. */
    enum Limit {
        ZERO("0", 0),
        NEVER("10", 10_000);

        final String python;
        final long millis;

        Limit(String python, long millis) {
            this.python = python;
            this.millis = millis;
        }
    }

    int size() {
        int size = 0;
        for (List<Statement> body : functions) size += count(body);
        return size;
    }

    private static int count(List<Statement> block) {
        int size = 0;
        for (Statement statement : block) {
            size++;
            for (List<Statement> inner : blocksOf(statement)) size += count(inner);
        }
        return size;
    }

    static List<List<Statement>> blocksOf(Statement statement) {
        if (statement instanceof Timeout t) return List.of(t.body());
        if (statement instanceof Group g) return List.of(g.body());
        if (statement instanceof Try t) return List.of(t.body(), t.cleanup());
        if (statement instanceof Hold h) return List.of(h.body());
        return List.of();
    }

    /**
     * Every program one step smaller than this one: a statement removed, or a block statement
     * replaced by its body. Candidates may reference a task variable no longer created; {@link
     * #isWellFormed()} tells.
     */
    List<Program> smaller() {
        List<Program> smaller = new ArrayList<>();
        for (int f = 0; f < functions.size(); f++) {
            int function = f;
            for (List<Statement> replaced : Program.shrinkBlock(functions.get(f))) {
                List<List<Statement>> copy = new ArrayList<>(functions);
                copy.set(function, replaced);
                smaller.add(new Program(seed, setup, copy));
            }
        }
        smaller.removeIf(p -> !p.isWellFormed());
        return smaller;
    }

    private static List<List<Statement>> shrinkBlock(List<Statement> block) {
        List<List<Statement>> results = new ArrayList<>();
        for (int i = 0; i < block.size(); i++) {
            Statement statement = block.get(i);
            List<Statement> without = new ArrayList<>(block);
            without.remove(i);
            results.add(without);
            for (List<Statement> inner : blocksOf(statement)) {
                List<Statement> inlined = new ArrayList<>(block);
                inlined.remove(i);
                inlined.addAll(i, inner);
                results.add(inlined);
            }
            int index = i;
            for (Statement smaller : shrinkStatement(statement)) {
                List<Statement> copy = new ArrayList<>(block);
                copy.set(index, smaller);
                results.add(copy);
            }
        }
        return results;
    }

    private static List<Statement> shrinkStatement(Statement statement) {
        List<Statement> results = new ArrayList<>();
        if (statement instanceof Timeout t) {
            for (List<Statement> b : shrinkBlock(t.body()))
                results.add(new Timeout(t.label(), t.limit(), b));
        } else if (statement instanceof Group g) {
            for (List<Statement> b : shrinkBlock(g.body())) results.add(new Group(g.label(), b));
        } else if (statement instanceof Try t) {
            for (List<Statement> b : shrinkBlock(t.body()))
                results.add(new Try(t.label(), b, t.logsCancellation(), t.cleanup()));
            for (List<Statement> c : shrinkBlock(t.cleanup()))
                results.add(new Try(t.label(), t.body(), t.logsCancellation(), c));
        } else if (statement instanceof Hold h) {
            for (List<Statement> b : shrinkBlock(h.body()))
                results.add(new Hold(h.label(), h.on(), h.explicit(), b));
        } else if (statement instanceof Gather g && g.variables().size() > 1) {
            for (int i = 0; i < g.variables().size(); i++) {
                List<Integer> fewer = new ArrayList<>(g.variables());
                fewer.remove(i);
                results.add(new Gather(g.label(), fewer, g.returnExceptions()));
            }
        }
        return results;
    }

    /**
     * True when every task variable is created before it is used, in the same block or an enclosing
     * one, every group spawn is inside a group, and every condition operation inside a {@link Hold}
     * of the condition.
     */
    boolean isWellFormed() {
        for (List<Statement> body : functions) {
            if (!wellFormed(body, new ArrayList<>(), 0, null)) return false;
        }
        return true;
    }

    private static boolean wellFormed(
            List<Statement> block, List<Integer> visible, int groups, Held holding) {
        List<Integer> scope = new ArrayList<>(visible);
        for (Statement statement : block) {
            for (int variable : variablesUsed(statement)) {
                if (!scope.contains(variable)) return false;
            }
            if (statement instanceof Spawn s) {
                if (s.intoGroup() && groups == 0) return false;
                scope.add(s.variable());
            }
            if (statement instanceof Sync s && s.op().needsCondition() && holding != Held.CONDITION)
                return false;
            int inner = statement instanceof Group ? groups + 1 : groups;
            Held held = statement instanceof Hold h ? h.on() : holding;
            for (List<Statement> b : blocksOf(statement)) {
                if (!wellFormed(b, scope, inner, held)) return false;
            }
        }
        return true;
    }

    static List<Integer> variablesUsed(Statement statement) {
        if (statement instanceof AwaitTask a) return List.of(a.variable());
        if (statement instanceof Gather g) return g.variables();
        if (statement instanceof Cancel c) return List.of(c.variable());
        if (statement instanceof WaitFor w) return List.of(w.variable());
        if (statement instanceof Shield s) return List.of(s.variable());
        return List.of();
    }

    /** The program as Java-flavoured pseudo code, for a failure message. */
    String toJava() {
        StringBuilder out = new StringBuilder();
        if (setup != null) JavaWriter.setup(out, setup);
        for (int f = 0; f < functions.size(); f++) {
            out.append("Object f").append(f).append("() throws Exception {\n");
            JavaWriter.block(out, functions.get(f), 1);
            out.append("    return \"r").append(f).append("\";\n}\n");
        }
        return out.toString();
    }
}
