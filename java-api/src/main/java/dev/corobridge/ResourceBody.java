package dev.corobridge;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@link Async#using(java.util.concurrent.Callable, ResourceBody)}: works with an open
 * resource and returns a result.
 *
 * <pre>{@code
 * ResourceBody<Connection, String> greet = connection -> connection.send("hello").await();
 * }</pre>
 *
 * @param <R> the resource type
 * @param <T> the result type
 */
@FunctionalInterface
public interface ResourceBody<R, T extends @Nullable Object> {
    /** Runs with the open {@code resource}; it may await. */
    T apply(R resource) throws Exception;
}
