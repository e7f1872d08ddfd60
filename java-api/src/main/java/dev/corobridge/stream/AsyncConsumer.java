package dev.corobridge.stream;

import org.jspecify.annotations.Nullable;

/**
 * An action on each element of a stream that runs in a task body and so may await: the body of
 * {@code async for x in stream: ...}. Like {@link java.util.function.Consumer}, but it may throw
 * anything.
 *
 * <pre>{@code
 * AsyncConsumer<String> save = url -> Async.await(client.sendAsync(request(url), discarding()));
 * Task<Void> done = urls.collect(save);
 * }</pre>
 *
 * @param <T> the type of the elements
 */
@FunctionalInterface
public interface AsyncConsumer<T extends @Nullable Object> {
    /** Handles one element; inside a task body, so it may await. */
    void accept(T value) throws Exception;
}
