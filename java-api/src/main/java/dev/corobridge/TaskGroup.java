package dev.corobridge;

import dev.corobridge.core.Groups;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A set of tasks that succeed or fail together: asyncio's {@code TaskGroup}, Kotlin's {@code
 * coroutineScope}. Obtain one from {@link Async#taskGroup(TaskGroupBody)}.
 *
 * <p>The group's task finishes when its body and every task launched into it have finished. If any
 * of them fails, the others are cancelled, and the group fails with that first exception, later
 * failures attached as suppressed. Cancelling the group's task cancels them all.
 *
 * <pre>{@code
 * Async.taskGroup(group -> {
 *     Task<String> a = group.launch(() -> fetch("a"));
 *     Task<String> b = group.launch(() -> fetch("b"));
 * }).await();   // both done here, or the first failure rethrown and the other cancelled
 * }</pre>
 */
public final class TaskGroup {
    private final Groups.TaskGroupScope scope;

    TaskGroup(Groups.TaskGroupScope scope) {
        this.scope = scope;
    }

    /**
     * Starts {@code body} as a task of this group and returns at once.
     *
     * @throws IllegalStateException if the group has finished or is shutting down after a failure
     */
    public <T extends @Nullable Object> Task<T> launch(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return (Task<T>) scope.launch(null, body);
    }

    /** Starts a body that returns nothing; see {@link #launch(Callable)}. */
    public Task<@Nullable Void> launch(AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        return launch(Async.callable(body));
    }

    /** Starts {@code body} as a task named {@code name}; see {@link #launch(Callable)}. */
    public <T extends @Nullable Object> Task<T> launch(String name, Callable<T> body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        return (Task<T>) scope.launch(name, body);
    }

    /**
     * Ends the group early, without an error: asyncio's {@code tg.cancel()} (Python 3.15). The
     * tasks still running in it are cancelled, and so is the group's body, at its next await; the
     * group's task then completes normally once they have all finished. Does nothing if the group
     * has finished or is already shutting down after a failure.
     *
     * <pre>{@code
     * Async.taskGroup(group -> {
     *     for (var mirror : mirrors) {
     *         group.launch(() -> {
     *             if (fetch(mirror)) group.cancel();   // the first success ends the search
     *         });
     *     }
     * }).await();                                      // completes normally
     * }</pre>
     */
    public void cancel() {
        scope.cancel();
    }

    /** Starts a body that returns nothing as a task named {@code name}. */
    public Task<@Nullable Void> launch(String name, AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        return launch(name, Async.callable(body));
    }
}
