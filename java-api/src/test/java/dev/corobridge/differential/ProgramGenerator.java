package dev.corobridge.differential;

import dev.corobridge.differential.Program.AwaitTask;
import dev.corobridge.differential.Program.Call;
import dev.corobridge.differential.Program.Cancel;
import dev.corobridge.differential.Program.Gather;
import dev.corobridge.differential.Program.Group;
import dev.corobridge.differential.Program.Held;
import dev.corobridge.differential.Program.Hold;
import dev.corobridge.differential.Program.Limit;
import dev.corobridge.differential.Program.Log;
import dev.corobridge.differential.Program.QueueKind;
import dev.corobridge.differential.Program.Raise;
import dev.corobridge.differential.Program.Setup;
import dev.corobridge.differential.Program.Shield;
import dev.corobridge.differential.Program.Sleep;
import dev.corobridge.differential.Program.Spawn;
import dev.corobridge.differential.Program.Statement;
import dev.corobridge.differential.Program.Sync;
import dev.corobridge.differential.Program.SyncOp;
import dev.corobridge.differential.Program.Timeout;
import dev.corobridge.differential.Program.Try;
import dev.corobridge.differential.Program.WaitFor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random task programs over a chosen set of {@link Verb}s.
 *
 * <p>One rule keeps them inside what asyncio and corobridge both define the same way: cancelling a
 * task in corobridge also cancels the tasks it started (structured concurrency, DESIGN semantic 4),
 * in asyncio it does not. So functions come in two kinds. A <em>spawner</em> may start tasks of its
 * own, and its task is never cancelled before the main task returns: it is never the target of
 * {@code cancel} or {@code wait_for}, never a task group's child, and never awaited where a
 * cancellation can arrive. A <em>leaf</em> starts tasks only into task groups, and anything may
 * happen to it. {@code f0}, the main task, is a spawner.
 *
 * <p>And a spawner starts its tasks (and calls spawners) before anything else it does but logging:
 * so no task is started during {@code asyncio.run}'s final cancellation by a task that survived it
 * (by catching a task group's failure), which asyncio gives an unspecified few turns before the
 * loop closes and corobridge runs to its end.
 *
 * <p>The coordination primitives ({@link Verb#LOCK} and after) are shared by a program's tasks. A
 * lock, semaphore or condition is held ({@link Hold}) around a block that never waits for another
 * task: sleeps, logs, cancels, raises and the primitives' operations that do not wait, and, in a
 * condition's block, its {@code wait} and {@code notify}. Holds do not nest. Everything else that
 * waits is ended by the program's closer if nothing else ends it (see {@link Program}).
 */
final class ProgramGenerator {

    /** What a program can do; the differential test draws from {@link #ALL}. */
    enum Verb {
        SPAWN,
        AWAIT,
        CALL,
        SLEEP,
        GATHER,
        GATHER_SETTLED,
        CANCEL,
        WAIT_FOR,
        SHIELD,
        TIMEOUT,
        TASK_GROUP,
        TRY,
        RAISE,
        LOCK,
        SEMAPHORE,
        EVENT,
        QUEUE,
        CONDITION,
        BARRIER
    }

    /** The verbs on tasks alone. */
    static final Set<Verb> TASKS = EnumSet.range(Verb.SPAWN, Verb.RAISE);

    /** The verbs on the coordination primitives. */
    static final Set<Verb> PRIMITIVES = EnumSet.range(Verb.LOCK, Verb.BARRIER);

    static final Set<Verb> ALL = EnumSet.allOf(Verb.class);

    private static final SyncOp[] EVENT_OPS = {
        SyncOp.EVENT_SET, SyncOp.EVENT_CLEAR, SyncOp.EVENT_IS_SET, SyncOp.EVENT_WAIT
    };

    /** Shutting the queue down is rarer: it ends the queue for the rest of the program. */
    private static final SyncOp[] QUEUE_OPS = {
        SyncOp.QUEUE_PUT,
        SyncOp.QUEUE_PUT,
        SyncOp.QUEUE_GET,
        SyncOp.QUEUE_GET,
        SyncOp.QUEUE_PUT_NOWAIT,
        SyncOp.QUEUE_GET_NOWAIT,
        SyncOp.QUEUE_SIZE,
        SyncOp.QUEUE_JOIN,
        SyncOp.QUEUE_SHUTDOWN,
        SyncOp.QUEUE_SHUTDOWN_IMMEDIATE
    };

    /** Aborting is rarer: the barrier stays broken until the closer resets it. */
    private static final SyncOp[] BARRIER_OPS = {
        SyncOp.BARRIER_WAIT,
        SyncOp.BARRIER_WAIT,
        SyncOp.BARRIER_WAIT,
        SyncOp.BARRIER_WAITING,
        SyncOp.BARRIER_BROKEN,
        SyncOp.BARRIER_RESET,
        SyncOp.BARRIER_ABORT
    };

    private static final SyncOp[] CONDITION_OPS = {
        SyncOp.CONDITION_WAIT,
        SyncOp.CONDITION_WAIT_FOR,
        SyncOp.CONDITION_NOTIFY,
        SyncOp.CONDITION_NOTIFY_ALL,
        SyncOp.CONDITION_LOCKED
    };

    private static final int MAX_FUNCTIONS = 6;
    private static final int MAX_DEPTH = 2;

    private final Set<Verb> verbs;

    /**
     * The verbs drawn from: all up to the last one chosen, so that a set of task verbs draws the
     * programs it drew before there were primitives.
     */
    private final Verb[] drawn;

    ProgramGenerator(Set<Verb> verbs) {
        this.verbs = EnumSet.copyOf(verbs);
        int last = 0;
        for (Verb verb : verbs) last = Math.max(last, verb.ordinal());
        this.drawn = Arrays.copyOf(Verb.values(), last + 1);
    }

    Program generate(long seed) {
        return new Build(new Random(seed)).program(seed);
    }

    /** One program being built. */
    private final class Build {
        private final Random random;
        private int functionCount;
        private boolean[] spawner;
        private List<List<Statement>> functions;
        private int function; // the one being written
        private int nextLabel;
        private int nextVariable;
        private boolean spawnsClosed; // the function being written has done something else

        Build(Random random) {
            this.random = random;
        }

        private boolean shared; // the program shares primitives
        private Verb[] focus; // the primitives it uses most: one or two, so that tasks meet there
        private int lastCallee; // the function the one being written last started or called

        Program program(long seed) {
            Setup setup = null;
            shared = !Collections.disjoint(verbs, PRIMITIVES);
            if (shared) {
                setup =
                        new Setup(
                                1 + random.nextInt(3),
                                QueueKind.values()[random.nextInt(QueueKind.values().length)],
                                random.nextInt(4),
                                1 + random.nextInt(3),
                                3 + random.nextInt(25));
                List<Verb> primitives = new ArrayList<>(PRIMITIVES);
                primitives.retainAll(verbs);
                Collections.shuffle(primitives, random);
                focus =
                        primitives
                                .subList(0, Math.min(primitives.size(), 1 + random.nextInt(2)))
                                .toArray(new Verb[0]);
            }
            functionCount = 2 + random.nextInt(MAX_FUNCTIONS - 1);
            spawner = new boolean[functionCount];
            spawner[0] = true;
            for (int f = 1; f < functionCount; f++) spawner[f] = random.nextInt(5) < 2;
            functions = new ArrayList<>();
            for (int f = 0; f < functionCount; f++) functions.add(List.of());
            for (int f = functionCount - 1; f >= 0; f--) {
                function = f;
                nextLabel = 0;
                nextVariable = 0;
                lastCallee = -1;
                spawnsClosed = false;
                Scope top = new Scope(spawner[f], 0, null);
                List<Statement> body = block(top, 1 + random.nextInt(5), 0);
                if (shared && f == 0 && !(body.get(body.size() - 1) instanceof Raise)) {
                    body.add(gatherAll(top));
                }
                functions.set(f, body);
            }
            return new Program(seed, setup, List.copyOf(functions));
        }

        private String label() {
            return "f" + function + "." + nextLabel++;
        }

        /**
         * Where a statement goes: whether a cancellation can reach it ({@code cancellable}: a leaf,
         * or inside a timeout or task group), how many task groups it is in, and the task variables
         * it may use (with whether each is a spawner's task); and what it holds, if it is in a
         * {@link Hold}.
         */
        private final class Scope {
            final boolean spawnerContext;
            final int groups;
            final Held holding;
            final List<Integer> variables = new ArrayList<>();
            final List<Boolean> spawnerTask = new ArrayList<>();

            Scope(boolean spawnerContext, int groups, Held holding) {
                this.spawnerContext = spawnerContext;
                this.groups = groups;
                this.holding = holding;
            }

            Scope inner(boolean cancellable, int groups) {
                return inner(cancellable, groups, holding);
            }

            Scope inner(boolean cancellable, int groups, Held holding) {
                Scope inner = new Scope(spawnerContext && !cancellable, groups, holding);
                for (int i = 0; i < variables.size(); i++) {
                    if (!inner.spawnerContext && spawnerTask.get(i)) continue;
                    inner.variables.add(variables.get(i));
                    inner.spawnerTask.add(spawnerTask.get(i));
                }
                return inner;
            }

            /** A variable, or -1; with {@code leafOnly}, only a leaf's task. */
            int pick(boolean leafOnly) {
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < variables.size(); i++) {
                    if (!leafOnly || !spawnerTask.get(i)) candidates.add(variables.get(i));
                }
                return candidates.isEmpty()
                        ? -1
                        : candidates.get(random.nextInt(candidates.size()));
            }
        }

        private List<Statement> block(Scope scope, int length, int depth) {
            List<Statement> block = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                Statement statement = statement(scope, depth);
                block.add(statement);
                if (statement instanceof Raise) break;
                if (shared && wakes(statement) && random.nextInt(3) == 0) {
                    // A task woken, and cancelled before its turn: what it was handed passes on.
                    int variable = scope.pick(true);
                    if (variable >= 0) block.add(new Cancel(label(), variable));
                }
            }
            return block;
        }

        /** True for a statement after which a waiting task may have been woken. */
        private boolean wakes(Statement statement) {
            if (statement instanceof Hold) return true;
            if (!(statement instanceof Sync sync)) return false;
            return switch (sync.op()) {
                case EVENT_SET,
                        QUEUE_PUT_NOWAIT,
                        QUEUE_GET_NOWAIT,
                        QUEUE_SHUTDOWN,
                        QUEUE_SHUTDOWN_IMMEDIATE,
                        CONDITION_NOTIFY,
                        CONDITION_NOTIFY_ALL ->
                        true;
                default -> false;
            };
        }

        /**
         * With primitives, the main task ends by awaiting all the tasks it started, so that they
         * meet at the primitives for longer than until it returns.
         */
        private Statement gatherAll(Scope top) {
            if (top.variables.isEmpty()) return new Log(label());
            return new Gather(label(), List.copyOf(top.variables), true);
        }

        private Statement statement(Scope scope, int depth) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Statement statement = attempt(scope, depth, pickVerb(scope));
                if (statement == null) continue;
                if (!(statement instanceof Spawn || statement instanceof Log)) spawnsClosed = true;
                return statement;
            }
            return new Log(label());
        }

        private Verb pickVerb(Scope scope) {
            if (shared) {
                // Tasks that meet at the primitives: spawners start more of them, and the
                // primitives are a third of what the rest do.
                if (scope.spawnerContext && !spawnsClosed && random.nextBoolean())
                    return Verb.SPAWN;
                if (random.nextInt(3) == 0) {
                    Verb[] primitives = PRIMITIVES.toArray(new Verb[0]);
                    Verb verb = primitives[random.nextInt(primitives.length)];
                    if (verbs.contains(verb)) return verb;
                }
            }
            while (true) {
                Verb verb = drawn[random.nextInt(drawn.length)];
                // Starting and awaiting tasks is what most programs do.
                if (random.nextInt(3) == 0) verb = random.nextBoolean() ? Verb.SPAWN : Verb.SLEEP;
                if (verbs.contains(verb)) return verb;
            }
        }

        private Statement attempt(Scope scope, int depth, Verb verb) {
            if (scope.holding != null) return whileHolding(scope, verb);
            switch (verb) {
                case SPAWN:
                    return spawn(scope);
                case AWAIT:
                    {
                        int variable = scope.pick(false);
                        return variable < 0 ? null : new AwaitTask(label(), variable);
                    }
                case CALL:
                    {
                        int callee = callee(scope.spawnerContext && !spawnsClosed);
                        return callee < 0 ? null : new Call(label(), callee);
                    }
                case SLEEP:
                    return new Sleep(label());
                case GATHER:
                case GATHER_SETTLED:
                    {
                        List<Integer> gathered = new ArrayList<>();
                        int count = 1 + random.nextInt(3);
                        for (int i = 0; i < count; i++) {
                            int variable = scope.pick(false);
                            if (variable >= 0) gathered.add(variable);
                        }
                        if (gathered.isEmpty()) return null;
                        return new Gather(label(), gathered, verb == Verb.GATHER_SETTLED);
                    }
                case CANCEL:
                    {
                        int variable = scope.pick(true);
                        return variable < 0 ? null : new Cancel(label(), variable);
                    }
                case WAIT_FOR:
                    {
                        int variable = scope.pick(true);
                        return variable < 0 ? null : new WaitFor(label(), variable, limit());
                    }
                case SHIELD:
                    {
                        int variable = scope.pick(false);
                        return variable < 0 ? null : new Shield(label(), variable);
                    }
                case TIMEOUT:
                    {
                        if (depth >= MAX_DEPTH) return null;
                        String label = label();
                        Limit limit = limit();
                        return new Timeout(
                                label, limit, nested(scope.inner(true, scope.groups), depth));
                    }
                case TASK_GROUP:
                    {
                        if (depth >= MAX_DEPTH) return null;
                        String label = label();
                        return new Group(label, nested(scope.inner(true, scope.groups + 1), depth));
                    }
                case TRY:
                    {
                        if (depth >= MAX_DEPTH) return null;
                        String label = label();
                        List<Statement> body = nested(scope.inner(false, scope.groups), depth);
                        boolean logsCancellation = random.nextBoolean();
                        List<Statement> cleanup = new ArrayList<>();
                        int cleanupLength = random.nextInt(3);
                        for (int i = 0; i < cleanupLength; i++) {
                            cleanup.add(
                                    random.nextBoolean() ? new Sleep(label()) : new Log(label()));
                        }
                        return new Try(label, body, logsCancellation, cleanup);
                    }
                case RAISE:
                    return random.nextInt(3) == 0 ? new Raise(label()) : null;
                case LOCK:
                    return holdOr(scope, depth, Held.LOCK, SyncOp.LOCKED);
                case SEMAPHORE:
                    return holdOr(scope, depth, Held.SEMAPHORE, SyncOp.SEMAPHORE_LOCKED);
                case CONDITION:
                    return holdOr(scope, depth, Held.CONDITION, SyncOp.CONDITION_LOCKED);
                case EVENT:
                    return sync(EVENT_OPS, false);
                case QUEUE:
                    return sync(QUEUE_OPS, false);
                case BARRIER:
                    return sync(BARRIER_OPS, false);
                default:
                    throw new AssertionError(verb);
            }
        }

        /** Mostly a hold of {@code held} (if not too deep), else {@code state}. */
        private Statement holdOr(Scope scope, int depth, Held held, SyncOp state) {
            if (depth >= MAX_DEPTH || random.nextInt(4) == 0) return new Sync(label(), state);
            String label = label();
            boolean explicit = random.nextInt(3) == 0;
            List<Statement> body = new ArrayList<>();
            body.add(new Log(label()));
            // A condition is mostly held to wait on it or to notify its waiters.
            if (held == Held.CONDITION && random.nextInt(3) > 0)
                body.add(sync(CONDITION_OPS, false));
            body.addAll(nested(scope.inner(false, scope.groups, held), depth));
            return new Hold(label, held, explicit, body);
        }

        /** A statement in a {@link Hold}'s body: one that never waits for another task. */
        private Statement whileHolding(Scope scope, Verb verb) {
            switch (verb) {
                case SLEEP:
                    return new Sleep(label());
                case CANCEL:
                    {
                        int variable = scope.pick(true);
                        return variable < 0 ? null : new Cancel(label(), variable);
                    }
                case RAISE:
                    return random.nextInt(3) == 0 ? new Raise(label()) : null;
                case LOCK:
                    return new Sync(label(), SyncOp.LOCKED);
                case SEMAPHORE:
                    return new Sync(label(), SyncOp.SEMAPHORE_LOCKED);
                case CONDITION:
                    return scope.holding == Held.CONDITION
                            ? sync(CONDITION_OPS, true)
                            : new Sync(label(), SyncOp.CONDITION_LOCKED);
                case EVENT:
                    return sync(EVENT_OPS, true);
                case QUEUE:
                    return sync(QUEUE_OPS, true);
                case BARRIER:
                    return sync(BARRIER_OPS, true);
                default:
                    return null;
            }
        }

        /** One of {@code ops}, or null for one that waits when {@code noWaiting}. */
        private Statement sync(SyncOp[] ops, boolean noWaiting) {
            SyncOp op = ops[random.nextInt(ops.length)];
            return noWaiting && op.waits ? null : new Sync(label(), op);
        }

        private List<Statement> nested(Scope scope, int depth) {
            return block(scope, 1 + random.nextInt(3), depth + 1);
        }

        private Statement spawn(Scope scope) {
            boolean intoGroup = scope.groups > 0 && (!scope.spawnerContext || random.nextBoolean());
            if (!intoGroup && (!scope.spawnerContext || spawnsClosed)) return null;
            int callee = callee(!intoGroup);
            if (callee < 0) return null;
            int variable = nextVariable++;
            scope.variables.add(variable);
            scope.spawnerTask.add(spawner[callee]);
            return new Spawn(label(), variable, callee, intoGroup);
        }

        /** A function after the current one; a leaf unless {@code spawnerAllowed}; or -1. */
        private int callee(boolean spawnerAllowed) {
            List<Integer> candidates = new ArrayList<>();
            for (int f = function + 1; f < functionCount; f++) {
                if (spawnerAllowed || !spawner[f]) candidates.add(f);
            }
            if (candidates.isEmpty()) return -1;
            // With primitives, half the time the last function again: workers that meet there.
            if (shared && candidates.contains(lastCallee) && random.nextBoolean())
                return lastCallee;
            lastCallee = candidates.get(random.nextInt(candidates.size()));
            return lastCallee;
        }

        private Limit limit() {
            return random.nextBoolean() ? Limit.ZERO : Limit.NEVER;
        }
    }
}
