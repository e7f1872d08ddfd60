package dev.corobridge;

import java.util.concurrent.CompletionStage;

/**
 * A resource whose closing is asynchronous: Python's {@code async with}. Inside a task body,
 * try-with-resources awaits {@link #closeAsync()} through {@link #close()}.
 *
 * <p><b>Cancellation.</b> Closing is not cancellable: if the task is cancelled while the resource
 * is open, or while it is closing, {@code close()} still waits until {@code closeAsync()} has
 * finished (only that task waits; the loop runs others). <b>Failure.</b> An exception from closing
 * is rethrown by {@code close()} unchanged; when the block also failed, Java adds it to the block's
 * exception as suppressed, as for any {@code AutoCloseable}. Outside a task body {@code close()}
 * blocks the calling thread until closing has finished.
 *
 * <p><b>The exception type.</b> {@code X} is the checked exception closing may fail with ({@code
 * RuntimeException} if none). {@code close()} declares {@code throws X}, so a try-with-resources
 * needs {@code catch (X e)} or {@code throws X} and no more, and {@code -Xlint:try} does not warn
 * that {@code close()} might throw {@code InterruptedException}: javac warns only when the declared
 * exceptions cover it, as {@code Exception} does, and {@code close()} waits uninterruptibly. Like a
 * {@code throws} clause, {@code X} is the implementation's promise: {@code close()} rethrows what
 * {@code closeAsync()} failed with unchanged, whatever it is.
 *
 * <pre>{@code
 * final class Connection implements AsyncCloseable<IOException> { ... }
 *
 * Async.run(() -> {
 *     try (Connection connection = Connection.open(url)) {   // async with open(url) as connection:
 *         connection.send("hello").await();
 *     }                                                      // awaits connection.closeAsync()
 * });
 * }</pre>
 *
 * @param <X> the checked exception that closing may fail with, or {@code RuntimeException}
 */
public interface AsyncCloseable<X extends Exception> extends AutoCloseable {
    /**
     * Starts closing this resource and returns a stage that completes when it is closed. Called
     * once by {@link #close()}; implementations need not guard against being called twice. The
     * stage fails only with an {@code X} or an unchecked exception.
     */
    CompletionStage<?> closeAsync();

    /**
     * Awaits {@link #closeAsync()}, non-cancellably and not interruptibly, and rethrows its
     * exception unchanged.
     *
     * @throws X the exception {@code closeAsync()} completed with
     */
    @Override
    default void close() throws X {
        Async.ENGINE.tasks.awaitNonCancellable(closeAsync().toCompletableFuture());
    }
}
