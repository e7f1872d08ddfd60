package dev.corobridge;

import java.util.concurrent.CompletionStage;

/**
 * A resource whose closing is asynchronous: Python's {@code async with}. Inside a task body,
 * try-with-resources awaits {@link #closeAsync()} through {@link #close()}.
 *
 * <p><b>Cancellation.</b> Closing is not cancellable: if the task is cancelled while the resource
 * is open, or while it is closing, {@code close()} still waits until {@code closeAsync()} has
 * finished (only that task waits; the loop runs others). <b>Failure.</b> An exception from closing
 * is rethrown by {@code close()}; when the block also failed, Java adds it to the block's exception
 * as suppressed, as for any {@code AutoCloseable}. Outside a task body {@code close()} blocks the
 * calling thread until closing has finished.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     try (Connection connection = Connection.open(url)) {   // async with open(url) as connection:
 *         connection.send("hello").await();
 *     }                                                      // awaits connection.closeAsync()
 * });
 * }</pre>
 */
@SuppressWarnings("try") // close() rethrows whatever closeAsync() failed with, like AutoCloseable
public interface AsyncCloseable extends AutoCloseable {
    /**
     * Starts closing this resource and returns a stage that completes when it is closed. Called
     * once by {@link #close()}; implementations need not guard against being called twice.
     */
    CompletionStage<?> closeAsync();

    /**
     * Awaits {@link #closeAsync()}, non-cancellably, and rethrows its exception unchanged.
     *
     * @throws Exception the exception {@code closeAsync()} completed with
     */
    @Override
    default void close() throws Exception {
        Async.ENGINE.awaitNonCancellable(closeAsync().toCompletableFuture());
    }
}
