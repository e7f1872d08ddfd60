package dev.corobridge.differential;

import dev.corobridge.differential.Program.AwaitTask;
import dev.corobridge.differential.Program.Call;
import dev.corobridge.differential.Program.Gather;
import dev.corobridge.differential.Program.Group;
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
import java.util.List;
import java.util.stream.Collectors;

/** Writes programs as one CPython script that runs each under asyncio and prints its trail. */
final class PythonWriter {
    private PythonWriter() {}

    /**
     * The prelude: how values and exceptions are described (as {@link CorobridgeRun} describes
     * them), and how a program runs. {@code asyncio.Runner} is what {@code asyncio.run} is made of;
     * running it by hand marks where the main task's run ends and the leftovers' cancellation
     * begins, whose order asyncio leaves unspecified (a set's). A task group's abort order is a
     * set's too: here it is creation order, the order corobridge cancels in.
     */
    private static final String PRELUDE =
            """
            import asyncio, itertools, json, sys, weakref

            class Boom(Exception):
                pass

            class _CreationOrder(dict):
                def add(self, task): self[task] = None
                def discard(self, task): self.pop(task, None)

            # asyncio.run cancels the tasks still running in a set's order: here in creation order.
            _created = weakref.WeakKeyDictionary()
            def _task_factory(loop, coro, **kwargs):
                task = asyncio.Task(coro, loop=loop, **kwargs)
                _created[task] = next(_counter)
                return task
            _counter = itertools.count()
            def _new_loop():
                loop = asyncio.new_event_loop()
                loop.set_task_factory(_task_factory)
                return loop
            _all_tasks = asyncio.tasks.all_tasks
            asyncio.tasks.all_tasks = lambda loop=None: sorted(_all_tasks(loop), key=_created.get)

            _group_init = asyncio.TaskGroup.__init__
            def _ordered_group_init(self):
                _group_init(self)
                self._tasks = _CreationOrder()
            asyncio.TaskGroup.__init__ = _ordered_group_init

            # A group is described by the distinct failures in it, nested groups flattened: corobridge
            # gives a group's failures as the first one with the others suppressed on it, and one
            # exception object can be in two groups (a child's failure re-raised by the body).
            def _failures(group, found):
                for e in group.exceptions:
                    if isinstance(e, BaseExceptionGroup): _failures(e, found)
                    else: found[id(e)] = e
                return found.values()

            def desc(v):
                if isinstance(v, BaseExceptionGroup):
                    return 'Group[' + ', '.join(sorted(desc(e) for e in _failures(v, {}))) + ']'
                if isinstance(v, asyncio.CancelledError): return 'Cancelled'
                if isinstance(v, asyncio.QueueShutDown): return 'QueueShutDown'
                if isinstance(v, asyncio.BrokenBarrierError): return 'BrokenBarrier'
                if isinstance(v, TimeoutError): return 'Timeout'
                if isinstance(v, Boom): return 'Boom(' + str(v) + ')'
                if isinstance(v, RuntimeError): return 'RuntimeError'
                if isinstance(v, BaseException): return type(v).__name__ + '(' + str(v) + ')'
                if isinstance(v, list): return '[' + ', '.join(desc(x) for x in v) + ']'
                return str(v)

            # A queue's operations that never wait, as corobridge's offer and poll (with task_done).
            def put_nowait(q, item):
                try:
                    q.put_nowait(item)
                    return True
                except asyncio.QueueFull:
                    return False

            def get_nowait(q):
                try:
                    item = q.get_nowait()
                except asyncio.QueueEmpty:
                    return None
                q.task_done()
                return item

            def run_program(number, main, trail):
                runner = asyncio.Runner(loop_factory=_new_loop)
                try:
                    try:
                        result = desc(runner.run(main()))
                    except BaseException as e:
                        result = '!' + desc(e)
                    trail.append('--- leftovers')
                finally:
                    runner.close()
                trail.append('main=' + result)
                print(json.dumps({'program': number, 'trail': trail}), flush=True)

            """;

    /** The whole script for {@code programs}; program {@code i} prints as number {@code i}. */
    static String script(List<Program> programs) {
        StringBuilder out = new StringBuilder(PRELUDE);
        for (int i = 0; i < programs.size(); i++) {
            program(out, i, programs.get(i));
        }
        return out.toString();
    }

    private static void program(StringBuilder out, int number, Program program) {
        out.append("def program_").append(number).append("():\n");
        out.append("    trail = []\n");
        out.append("    def log(label, *value):\n");
        out.append("        trail.append(label + ('=' + desc(value[0]) if value else ''))\n");
        functions(out, program, 1);
        out.append("    run_program(").append(number).append(", f0, trail)\n");
        out.append("program_").append(number).append("()\n\n");
    }

    /** The shared primitives and the closer (see {@link Program}), then the functions. */
    private static void functions(StringBuilder out, Program program, int depth) {
        Setup setup = program.setup();
        if (setup != null) {
            line(out, depth, "lock = asyncio.Lock()");
            line(out, depth, "sem = asyncio.Semaphore(" + setup.permits() + ")");
            line(out, depth, "event = asyncio.Event()");
            line(out, depth, "q = asyncio." + setup.queue().python + "(" + setup.capacity() + ")");
            line(out, depth, "cond = asyncio.Condition()");
            line(out, depth, "barrier = asyncio.Barrier(" + setup.parties() + ")");
            line(out, depth, "kept = []");
            line(out, depth, "async def closer():");
            line(out, depth + 1, "immediate = False");
            line(out, depth + 1, "while True:");
            line(out, depth + 2, "for _ in range(" + setup.closeEvery() + "):");
            line(out, depth + 3, "await asyncio.sleep(0)");
            line(out, depth + 2, "log('close')");
            line(out, depth + 2, "event.set()");
            line(out, depth + 2, "q.shutdown(immediate=immediate)");
            line(out, depth + 2, "immediate = True");
            line(out, depth + 2, "async with cond:");
            line(out, depth + 3, "cond.notify_all()");
            line(out, depth + 2, "await barrier.reset()");
        }
        List<List<Statement>> functions = program.functions();
        for (int f = 0; f < functions.size(); f++) {
            line(out, depth, "async def f" + f + "():");
            if (f == 0 && setup != null) {
                line(out, depth + 1, "kept.append(asyncio.create_task(closer()))");
            }
            block(out, functions.get(f), depth + 1, 0);
            line(out, depth + 1, "return 'r" + f + "'");
        }
    }

    private static void block(StringBuilder out, List<Statement> block, int depth, int groups) {
        if (block.isEmpty()) line(out, depth, "pass");
        for (Statement statement : block) statement(out, statement, depth, groups);
    }

    private static void statement(StringBuilder out, Statement s, int depth, int groups) {
        String label = "'" + s.label() + "'";
        if (s instanceof Log) {
            line(out, depth, "log(" + label + ")");
        } else if (s instanceof Spawn spawn) {
            String where = spawn.intoGroup() ? "tg" + groups : "asyncio";
            line(
                    out,
                    depth,
                    "t"
                            + spawn.variable()
                            + " = "
                            + where
                            + ".create_task(f"
                            + spawn.function()
                            + "())");
        } else if (s instanceof AwaitTask a) {
            line(out, depth, "log(" + label + ", await t" + a.variable() + ")");
        } else if (s instanceof Call c) {
            line(out, depth, "log(" + label + ", await f" + c.function() + "())");
        } else if (s instanceof Sleep) {
            line(out, depth, "await asyncio.sleep(0); log(" + label + ")");
        } else if (s instanceof Gather g) {
            String tasks =
                    g.variables().stream().map(v -> "t" + v).collect(Collectors.joining(", "));
            line(
                    out,
                    depth,
                    "log("
                            + label
                            + ", await asyncio.gather("
                            + tasks
                            + ", return_exceptions="
                            + (g.returnExceptions() ? "True" : "False")
                            + "))");
        } else if (s instanceof Program.Cancel c) {
            line(out, depth, "t" + c.variable() + ".cancel(); log(" + label + ")");
        } else if (s instanceof WaitFor w) {
            line(
                    out,
                    depth,
                    "log("
                            + label
                            + ", await asyncio.wait_for(t"
                            + w.variable()
                            + ", "
                            + w.limit().python
                            + "))");
        } else if (s instanceof Shield sh) {
            line(out, depth, "log(" + label + ", await asyncio.shield(t" + sh.variable() + "))");
        } else if (s instanceof Timeout t) {
            line(out, depth, "async with asyncio.timeout(" + t.limit().python + "):");
            block(out, t.body(), depth + 1, groups);
            line(out, depth, "log(" + label + ")");
        } else if (s instanceof Group g) {
            line(out, depth, "async with asyncio.TaskGroup() as tg" + (groups + 1) + ":");
            block(out, g.body(), depth + 1, groups + 1);
            line(out, depth, "log(" + label + ")");
        } else if (s instanceof Try t) {
            line(out, depth, "try:");
            block(out, t.body(), depth + 1, groups);
            if (t.logsCancellation()) {
                line(out, depth, "except asyncio.CancelledError:");
                line(out, depth + 1, "log('" + t.label() + "!c'); raise");
            }
            line(out, depth, "except Exception as e:");
            line(out, depth + 1, "log('" + t.label() + "!', e)");
            line(out, depth, "finally:");
            block(out, t.cleanup(), depth + 1, groups);
        } else if (s instanceof Raise) {
            line(out, depth, "raise Boom(" + label + ")");
        } else if (s instanceof Hold h) {
            String held = h.on().python;
            if (h.explicit()) {
                line(out, depth, "await " + held + ".acquire()");
                line(out, depth, "try:");
                block(out, h.body(), depth + 1, groups);
                line(out, depth, "finally:");
                line(out, depth + 1, held + ".release()");
            } else {
                line(out, depth, "async with " + held + ":");
                block(out, h.body(), depth + 1, groups);
            }
            line(out, depth, "log(" + label + ")");
        } else if (s instanceof Sync sync) {
            line(out, depth, sync(sync, label));
        } else {
            throw new AssertionError(s);
        }
    }

    private static String sync(Sync s, String label) {
        return switch (s.op()) {
            case LOCKED -> "log(" + label + ", lock.locked())";
            case SEMAPHORE_LOCKED -> "log(" + label + ", sem.locked())";
            case EVENT_SET -> "event.set(); log(" + label + ")";
            case EVENT_CLEAR -> "event.clear(); log(" + label + ")";
            case EVENT_IS_SET -> "log(" + label + ", event.is_set())";
            case EVENT_WAIT -> "await event.wait(); log(" + label + ")";
            case QUEUE_PUT -> "await q.put(" + label + "); log(" + label + ")";
            case QUEUE_GET -> "item = await q.get(); q.task_done(); log(" + label + ", item)";
            case QUEUE_PUT_NOWAIT -> "log(" + label + ", put_nowait(q, " + label + "))";
            case QUEUE_GET_NOWAIT -> "log(" + label + ", get_nowait(q))";
            case QUEUE_SIZE -> "log(" + label + ", q.qsize())";
            case QUEUE_JOIN -> "await q.join(); log(" + label + ")";
            case QUEUE_SHUTDOWN -> "q.shutdown(); log(" + label + ")";
            case QUEUE_SHUTDOWN_IMMEDIATE -> "q.shutdown(immediate=True); log(" + label + ")";
            case CONDITION_LOCKED -> "log(" + label + ", cond.locked())";
            case CONDITION_WAIT -> "await cond.wait(); log(" + label + ")";
            case CONDITION_WAIT_FOR -> "await cond.wait_for(event.is_set); log(" + label + ")";
            case CONDITION_NOTIFY -> "cond.notify(); log(" + label + ")";
            case CONDITION_NOTIFY_ALL -> "cond.notify_all(); log(" + label + ")";
            case BARRIER_WAIT -> "log(" + label + ", await barrier.wait())";
            case BARRIER_WAITING -> "log(" + label + ", barrier.n_waiting)";
            case BARRIER_BROKEN -> "log(" + label + ", barrier.broken)";
            case BARRIER_RESET -> "await barrier.reset(); log(" + label + ")";
            case BARRIER_ABORT -> "await barrier.abort(); log(" + label + ")";
        };
    }

    private static void line(StringBuilder out, int depth, String text) {
        out.append("    ".repeat(depth)).append(text).append('\n');
    }

    /** A single program, for a failure message. */
    static String source(Program program) {
        StringBuilder out = new StringBuilder();
        functions(out, program, 0);
        return out.toString();
    }
}
