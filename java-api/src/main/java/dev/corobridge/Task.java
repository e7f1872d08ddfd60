package dev.corobridge;

import dev.corobridge.core.TaskFuture;
import org.jspecify.annotations.Nullable;

/**
 * A running piece of work: asyncio's {@code Task}, and a {@link
 * java.util.concurrent.CompletableFuture}, so it composes with everything that takes a {@code
 * CompletionStage}.
 *
 * <p><b>Awaiting.</b> {@link #await()} inside a task body suspends only that task and returns the
 * value or rethrows the task's own exception, unwrapped. {@code join()} and {@code get()} keep
 * their JDK meaning: they block the calling thread and wrap failures. Inside a task body, on a
 * pending task of the same event loop, they throw {@code IllegalStateException} instead of blocking
 * that loop forever (the task could only finish while the loop runs): use {@link #await()} there.
 * Dependent stages ({@code thenApply}, {@code whenComplete}, ...) are {@code Task}s too and, unless
 * given an executor, run on the thread that completes this task. For a task of an event loop that
 * is the thread holding the loop's run permit: the loop's own thread, or a Java body's thread,
 * which runs the loop's ready work itself between its awaits; {@link #cancel()} completes the task
 * at once, so after a cancel they run on the cancelling thread.
 *
 * <p><b>Cancellation.</b> {@link #cancel()} completes this future at once with a {@code
 * CancellationException} (the JDK contract) and cancels the coroutine underneath together with
 * every task it started. The body sees a {@code CancellationException} at its next await, once; its
 * {@code finally} blocks run and may themselves await. {@link #await()} of a cancelled task returns
 * only after that cleanup, like asyncio's {@code t.cancel(); await t}; if the cleanup failed (a
 * {@code finally} or a resource's closing threw), {@code await()} and {@code gatherSettled} give
 * that exception, as asyncio does, while {@code join()} and {@code get()} keep the JDK's {@code
 * CancellationException} and the failure is then reported. Cancelling a task that has completed
 * leaves it, and the work it derives from, as they are. {@code obtrudeValue} and {@code
 * obtrudeException} are refused ({@code UnsupportedOperationException}): a task's outcome belongs
 * to its work; {@code complete} and {@code completeExceptionally} end that work.
 *
 * <p><b>Failure.</b> A task that fails without anybody retrieving its exception (await, join, get,
 * gather) is reported when its loop ends, like asyncio's "Task exception was never retrieved". A
 * dependent stage takes over that duty: the task's failure then counts as retrieved, and the
 * stage's own failure (the task's, passed on by {@code thenRun}, or one its function threw) is
 * reported unless someone retrieves the stage. A {@code whenComplete} action that receives the
 * failure counts as retrieving it; {@code exceptionally} and {@code handle} recover from it.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     Task<Integer> answer = Async.launch(() -> 42);   // asyncio.create_task(...)
 *     System.out.println(answer.name() + " -> " + answer.await());
 * });
 * }</pre>
 *
 * @param <T> the type of the task's value
 */
// The engine's TaskFuture is exported to this module only; clients use Task and CompletableFuture.
@SuppressWarnings("exports")
public class Task<T extends @Nullable Object> extends TaskFuture<T> {
    Task() {}

    /**
     * Waits for this task inside a task body and returns its value, or rethrows its exception
     * unchanged (checked ones too). Only the calling task waits; the loop runs the others
     * meanwhile. Like asyncio's {@code await task}.
     *
     * <p>Cancellable: if the calling task is cancelled while waiting, this throws {@code
     * CancellationException} and leaves this task running. The rethrown exception gets the awaiting
     * call site attached as a suppressed {@code AwaitedAt} entry, so a failure deep in a task tree
     * shows where it was awaited.
     *
     * @return the task's value
     * @throws IllegalStateException outside a task body: use {@code Async.run(...)} or {@link
     *     #join()} there
     * @throws Exception the task's own exception; {@code CancellationException} if it was cancelled
     */
    public T await() throws Exception {
        return Async.ENGINE.tasks.await(this);
    }

    /**
     * Requests cancellation, like asyncio's {@code task.cancel()}: the same as {@code
     * cancel(false)}.
     *
     * @return true if the task is now cancelled, false if it had already completed otherwise (the
     *     JDK contract)
     */
    public boolean cancel() {
        return cancel(false);
    }

    /**
     * A new incomplete {@code Task}: dependent stages ({@code thenApply}, ...) are {@code Task}s
     * too.
     */
    @Override
    protected <U extends @Nullable Object> Task<U> newTask() {
        return new Task<>();
    }
}
