package dev.corobridge.differential;

import dev.corobridge.differential.Program.AwaitTask;
import dev.corobridge.differential.Program.Call;
import dev.corobridge.differential.Program.Cancel;
import dev.corobridge.differential.Program.Gather;
import dev.corobridge.differential.Program.Group;
import dev.corobridge.differential.Program.Limit;
import dev.corobridge.differential.Program.Log;
import dev.corobridge.differential.Program.Raise;
import dev.corobridge.differential.Program.Shield;
import dev.corobridge.differential.Program.Sleep;
import dev.corobridge.differential.Program.Spawn;
import dev.corobridge.differential.Program.Statement;
import dev.corobridge.differential.Program.Timeout;
import dev.corobridge.differential.Program.Try;
import dev.corobridge.differential.Program.WaitFor;
import java.util.ArrayList;
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
        RAISE
    }

    static final Set<Verb> ALL = EnumSet.allOf(Verb.class);

    private static final int MAX_FUNCTIONS = 6;
    private static final int MAX_DEPTH = 2;

    private final Set<Verb> verbs;

    ProgramGenerator(Set<Verb> verbs) {
        this.verbs = EnumSet.copyOf(verbs);
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

        Program program(long seed) {
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
                spawnsClosed = false;
                functions.set(f, block(new Scope(spawner[f], 0), 1 + random.nextInt(5), 0));
            }
            return new Program(seed, List.copyOf(functions));
        }

        private String label() {
            return "f" + function + "." + nextLabel++;
        }

        /**
         * Where a statement goes: whether a cancellation can reach it ({@code cancellable}: a leaf,
         * or inside a timeout or task group), how many task groups it is in, and the task variables
         * it may use (with whether each is a spawner's task).
         */
        private final class Scope {
            final boolean spawnerContext;
            final int groups;
            final List<Integer> variables = new ArrayList<>();
            final List<Boolean> spawnerTask = new ArrayList<>();

            Scope(boolean spawnerContext, int groups) {
                this.spawnerContext = spawnerContext;
                this.groups = groups;
            }

            Scope inner(boolean cancellable, int groups) {
                Scope inner = new Scope(spawnerContext && !cancellable, groups);
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
            }
            return block;
        }

        private Statement statement(Scope scope, int depth) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Statement statement = attempt(scope, depth, pickVerb());
                if (statement == null) continue;
                if (!(statement instanceof Spawn || statement instanceof Log)) spawnsClosed = true;
                return statement;
            }
            return new Log(label());
        }

        private Verb pickVerb() {
            while (true) {
                Verb[] all = Verb.values();
                Verb verb = all[random.nextInt(all.length)];
                // Starting and awaiting tasks is what most programs do.
                if (random.nextInt(3) == 0) verb = random.nextBoolean() ? Verb.SPAWN : Verb.SLEEP;
                if (verbs.contains(verb)) return verb;
            }
        }

        private Statement attempt(Scope scope, int depth, Verb verb) {
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
                default:
                    throw new AssertionError(verb);
            }
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
            return candidates.isEmpty() ? -1 : candidates.get(random.nextInt(candidates.size()));
        }

        private Limit limit() {
            return random.nextBoolean() ? Limit.ZERO : Limit.NEVER;
        }
    }
}
