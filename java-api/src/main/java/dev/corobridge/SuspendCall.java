package dev.corobridge;

import org.jspecify.annotations.Nullable;

/**
 * A call of a Kotlin {@code suspend} function from Java, for {@link Async#suspending(SuspendCall)}:
 * pass {@code continuation} as the function's last argument and return what the function returns,
 * its value or the "suspended" marker, exactly as the function returned it. Its one method, {@code
 * call(Continuation<? super T> continuation) throws Exception}, is declared by the engine's
 * interface of the same name, which this one names for Java users.
 *
 * <pre>{@code
 * // Kotlin: suspend fun fetch(id: Int): User
 * Task<User> user = Async.suspending(continuation -> userService.fetch(42, continuation));
 * }</pre>
 *
 * @param <T> the suspend function's return type
 */
@FunctionalInterface
// The engine's SuspendCall is exported to this module only; clients never name it: one definition
// of the call, handed to the engine as it is.
@SuppressWarnings("exports")
public interface SuspendCall<T extends @Nullable Object>
        extends dev.corobridge.core.SuspendCall<T> {}
