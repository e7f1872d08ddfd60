package dev.corobridge.differential;

import java.util.ArrayList;
import java.util.List;

/**
 * A random task program: functions {@code f0} (the main task) to {@code fn}, each a block of
 * statements and a {@code return 'rK'} at its end. Written out for CPython ({@link PythonWriter})
 * and interpreted on corobridge ({@link CorobridgeRun}); both leave the same trail of labels.
 *
 * <p>A function only starts or calls functions with a higher number, so every program ends.
 */
record Program(long seed, List<List<Statement>> functions) {

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
                smaller.add(new Program(seed, copy));
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
     * one, and every group spawn is inside a group.
     */
    boolean isWellFormed() {
        for (List<Statement> body : functions) {
            if (!wellFormed(body, new ArrayList<>(), 0)) return false;
        }
        return true;
    }

    private static boolean wellFormed(List<Statement> block, List<Integer> visible, int groups) {
        List<Integer> scope = new ArrayList<>(visible);
        for (Statement statement : block) {
            for (int variable : variablesUsed(statement)) {
                if (!scope.contains(variable)) return false;
            }
            if (statement instanceof Spawn s) {
                if (s.intoGroup() && groups == 0) return false;
                scope.add(s.variable());
            }
            int inner = statement instanceof Group ? groups + 1 : groups;
            for (List<Statement> b : blocksOf(statement)) {
                if (!wellFormed(b, scope, inner)) return false;
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
        for (int f = 0; f < functions.size(); f++) {
            out.append("Object f").append(f).append("() throws Exception {\n");
            JavaWriter.block(out, functions.get(f), 1);
            out.append("    return \"r").append(f).append("\";\n}\n");
        }
        return out.toString();
    }
}
