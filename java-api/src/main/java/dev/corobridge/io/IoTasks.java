package dev.corobridge.io;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.core.TaskFuture;
import java.lang.invoke.MethodHandles;
import org.jspecify.annotations.Nullable;

/** The engine's tasks as the facade's {@link Task}s. */
final class IoTasks {
    static {
        // The engine makes Tasks once the facade has connected it, which Async does as it loads.
        try {
            MethodHandles.lookup().ensureInitialized(Async.class);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private IoTasks() {}

    @SuppressWarnings("unchecked")
    static <T extends @Nullable Object> Task<T> task(TaskFuture<T> future) {
        return (Task<T>) future;
    }
}
