package dev.corobridge;

import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * How a task ended: its value, its exception, or its cancellation. Returned by {@link
 * Async#gatherSettled(java.util.Collection)}, like {@code asyncio.gather(...,
 * return_exceptions=True)}.
 *
 * <pre>{@code
 * for (var outcome : Async.gatherSettled(tasks).await()) {
 *     if (outcome instanceof Outcome.Success<String> s) System.out.println("ok " + s.value());
 *     else if (outcome instanceof Outcome.Failure<String> f) System.out.println("error " + f.exception());
 *     else System.out.println("cancelled");
 * }
 * }</pre>
 *
 * @param <T> the task's value type
 */
public sealed interface Outcome<T extends @Nullable Object>
        permits Outcome.Success, Outcome.Failure, Outcome.Cancelled {

    /** The task returned {@code value}. */
    record Success<T extends @Nullable Object>(T value) implements Outcome<T> {}

    /** The task threw {@code exception} (the task's own exception, never a wrapper). */
    record Failure<T extends @Nullable Object>(Throwable exception) implements Outcome<T> {}

    /** The task was cancelled. */
    record Cancelled<T extends @Nullable Object>(CancellationException exception)
            implements Outcome<T> {}
}
