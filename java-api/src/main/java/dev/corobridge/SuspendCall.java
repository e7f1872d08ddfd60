package dev.corobridge;

import kotlin.coroutines.Continuation;
import org.jspecify.annotations.Nullable;

/**
 * A call of a Kotlin {@code suspend} function from Java, for {@link Async#suspending(SuspendCall)}:
 * pass {@code continuation} as the function's last argument and return what the function returns.
 *
 * <pre>{@code
 * // Kotlin: suspend fun fetch(id: Int): User
 * Task<User> user = Async.suspending(continuation -> userService.fetch(42, continuation));
 * }</pre>
 *
 * @param <T> the suspend function's return type
 */
@FunctionalInterface
public interface SuspendCall<T extends @Nullable Object> {
    /**
     * Calls the suspend function with {@code continuation}; returns its value or the "suspended"
     * marker, exactly as the function returned it.
     */
    @Nullable Object call(Continuation<? super T> continuation) throws Exception;
}
