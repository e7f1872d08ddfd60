package dev.corobridge.differential;

import dev.corobridge.differential.Program.AwaitTask;
import dev.corobridge.differential.Program.Call;
import dev.corobridge.differential.Program.Cancel;
import dev.corobridge.differential.Program.Gather;
import dev.corobridge.differential.Program.Group;
import dev.corobridge.differential.Program.Hold;
import dev.corobridge.differential.Program.Log;
import dev.corobridge.differential.Program.Raise;
import dev.corobridge.differential.Program.Shield;
import dev.corobridge.differential.Program.Sleep;
import dev.corobridge.differential.Program.Spawn;
import dev.corobridge.differential.Program.Statement;
import dev.corobridge.differential.Program.Sync;
import dev.corobridge.differential.Program.Timeout;
import dev.corobridge.differential.Program.Try;
import dev.corobridge.differential.Program.WaitFor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a program as the corobridge code that {@link CorobridgeRun} runs, for failure messages.
 */
final class JavaWriter {
    private JavaWriter() {}

    /** The shared primitives and the closer of a program with a setup, as CorobridgeRun's. */
    static void setup(StringBuilder out, Program.Setup setup) {
        out.append("var lock = new AsyncLock();\n");
        out.append("var sem = new AsyncSemaphore(").append(setup.permits()).append(");\n");
        out.append("var event = new AsyncEvent();\n");
        String capacity = setup.capacity() == 0 ? "" : Integer.toString(setup.capacity());
        String order = setup.queue() == Program.QueueKind.PRIORITY ? "naturalOrder()" : "";
        String arguments =
                capacity.isEmpty() || order.isEmpty() ? capacity + order : capacity + ", " + order;
        out.append("AsyncQueue<String> q = AsyncQueue.")
                .append(setup.queue().java)
                .append("(")
                .append(arguments)
                .append(");\n");
        out.append("var cond = new AsyncCondition();\n");
        out.append("var barrier = new AsyncBarrier(").append(setup.parties()).append(");\n");
        out.append("Object closer() throws Exception {   // launched first by f0\n");
        out.append("    boolean immediate = false;\n");
        out.append("    while (true) {\n");
        out.append("        for (int i = 0; i < ")
                .append(setup.closeEvery())
                .append("; i++) Async.yieldNow().await();\n");
        out.append("        log(\"close\");\n");
        out.append("        event.set();\n");
        out.append("        q.shutdown(immediate);\n");
        out.append("        immediate = true;\n");
        out.append("        try (var held = cond.hold()) {\n");
        out.append("            cond.signalAll();\n");
        out.append("        }\n");
        out.append("        barrier.reset().await();\n");
        out.append("    }\n");
        out.append("}\n");
    }

    static void block(StringBuilder out, List<Statement> block, int depth) {
        for (Statement statement : block) statement(out, statement, depth);
    }

    private static void statement(StringBuilder out, Statement s, int depth) {
        String label = "\"" + s.label() + "\"";
        if (s instanceof Log) {
            line(out, depth, "log(" + label + ");");
        } else if (s instanceof Spawn spawn) {
            String where = spawn.intoGroup() ? "group" : "Async";
            line(
                    out,
                    depth,
                    "var t"
                            + spawn.variable()
                            + " = "
                            + where
                            + ".launch(() -> f"
                            + spawn.function()
                            + "());");
        } else if (s instanceof AwaitTask a) {
            line(out, depth, "log(" + label + ", t" + a.variable() + ".await());");
        } else if (s instanceof Call c) {
            line(out, depth, "log(" + label + ", f" + c.function() + "());");
        } else if (s instanceof Sleep) {
            line(out, depth, "Async.yieldNow().await(); log(" + label + ");");
        } else if (s instanceof Gather g) {
            String tasks =
                    g.variables().stream().map(v -> "t" + v).collect(Collectors.joining(", "));
            String verb = g.returnExceptions() ? "gatherSettled" : "gather";
            line(out, depth, "log(" + label + ", Async." + verb + "(" + tasks + ").await());");
        } else if (s instanceof Cancel c) {
            line(out, depth, "t" + c.variable() + ".cancel(); log(" + label + ");");
        } else if (s instanceof WaitFor w) {
            line(
                    out,
                    depth,
                    "log("
                            + label
                            + ", Async.waitFor(t"
                            + w.variable()
                            + ", "
                            + limit(w.limit())
                            + ").await());");
        } else if (s instanceof Shield sh) {
            line(out, depth, "log(" + label + ", Async.shield(t" + sh.variable() + ").await());");
        } else if (s instanceof Timeout t) {
            line(out, depth, "Async.timeout(" + limit(t.limit()) + ", () -> {");
            block(out, t.body(), depth + 1);
            line(out, depth, "}).await(); log(" + label + ");");
        } else if (s instanceof Group g) {
            line(out, depth, "Async.taskGroup(group -> {");
            block(out, g.body(), depth + 1);
            line(out, depth, "}).await(); log(" + label + ");");
        } else if (s instanceof Try t) {
            line(out, depth, "try {");
            block(out, t.body(), depth + 1);
            if (t.logsCancellation()) {
                line(out, depth, "} catch (CancellationException e) {");
                line(out, depth + 1, "log(\"" + t.label() + "!c\"); throw e;");
            }
            line(out, depth, "} catch (Exception e) {   // not a CancellationException");
            line(out, depth + 1, "log(\"" + t.label() + "!\", e);");
            line(out, depth, "} finally {");
            block(out, t.cleanup(), depth + 1);
            line(out, depth, "}");
        } else if (s instanceof Raise) {
            line(out, depth, "throw new Boom(" + label + ");");
        } else if (s instanceof Hold h) {
            String held = h.on().python;
            if (h.explicit()) {
                line(out, depth, held + ".acquire().await();");
                line(out, depth, "try {");
                block(out, h.body(), depth + 1);
                line(out, depth, "} finally {");
                line(out, depth + 1, held + ".release();");
                line(out, depth, "}");
            } else {
                line(out, depth, "try (var held = " + held + ".hold()) {");
                block(out, h.body(), depth + 1);
                line(out, depth, "}");
            }
            line(out, depth, "log(" + label + ");");
        } else if (s instanceof Sync sync) {
            line(out, depth, sync(sync, label));
        } else {
            throw new AssertionError(s);
        }
    }

    private static String sync(Sync s, String label) {
        return switch (s.op()) {
            case LOCKED -> "log(" + label + ", lock.locked());";
            case SEMAPHORE_LOCKED -> "log(" + label + ", sem.locked());";
            case EVENT_SET -> "event.set(); log(" + label + ");";
            case EVENT_CLEAR -> "event.clear(); log(" + label + ");";
            case EVENT_IS_SET -> "log(" + label + ", event.isSet());";
            case EVENT_WAIT -> "event.whenSet().await(); log(" + label + ");";
            case QUEUE_PUT -> "q.put(" + label + ").await(); log(" + label + ");";
            case QUEUE_GET -> "var item = q.get().await(); q.taskDone(); log(" + label + ", item);";
            case QUEUE_PUT_NOWAIT -> "log(" + label + ", q.offer(" + label + "));";
            case QUEUE_GET_NOWAIT ->
                    "var item = q.poll(); if (item != null) q.taskDone(); log("
                            + label
                            + ", item);";
            case QUEUE_SIZE -> "log(" + label + ", q.size());";
            case QUEUE_JOIN -> "q.join().await(); log(" + label + ");";
            case QUEUE_SHUTDOWN -> "q.shutdown(); log(" + label + ");";
            case QUEUE_SHUTDOWN_IMMEDIATE -> "q.shutdown(true); log(" + label + ");";
            case CONDITION_LOCKED -> "log(" + label + ", cond.locked());";
            case CONDITION_WAIT -> "cond.whenSignalled().await(); log(" + label + ");";
            case CONDITION_WAIT_FOR -> "cond.waitFor(event::isSet).await(); log(" + label + ");";
            case CONDITION_NOTIFY -> "cond.signal(); log(" + label + ");";
            case CONDITION_NOTIFY_ALL -> "cond.signalAll(); log(" + label + ");";
            case BARRIER_WAIT -> "log(" + label + ", barrier.arriveAndWait().await());";
            case BARRIER_WAITING -> "log(" + label + ", barrier.waiting());";
            case BARRIER_BROKEN -> "log(" + label + ", barrier.isBroken());";
            case BARRIER_RESET -> "barrier.reset().await(); log(" + label + ");";
            case BARRIER_ABORT -> "barrier.abort().await(); log(" + label + ");";
        };
    }

    private static String limit(Program.Limit limit) {
        return limit == Program.Limit.ZERO ? "Duration.ZERO" : "Duration.ofSeconds(10)";
    }

    private static void line(StringBuilder out, int depth, String text) {
        out.append("    ".repeat(depth)).append(text).append('\n');
    }
}
