package dev.corobridge.stream;

import dev.corobridge.core.StreamCursor;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * Iterates an {@link AsyncStream} inside a task body: {@link #hasNext()} awaits the next element
 * (only the calling task waits; the loop runs the others). An {@link AutoCloseable}: {@link
 * #close()} stops the stream's producer, like Python's {@code aclose()} on an async generator.
 *
 * <p><b>Stopping early.</b> A {@code for} loop left by {@code break}, {@code return} or an
 * exception does not close its iterator. The producer is then stopped when the iterating task's
 * body returns (it is a child of that task, and a task finishes only after its children). To stop
 * it at once, and have its {@code finally} blocks run before the next statement, close the
 * iterator:
 *
 * <pre>{@code
 * try (AsyncIterator<String> lines = stream.iterator()) {
 *     while (lines.hasNext()) {
 *         String line = lines.next();
 *         if (line.isEmpty()) break;        // close() below stops the producer now
 *         System.out.println(line);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Failures.</b> {@code hasNext()} and {@code next()} rethrow the stream's own exception,
 * unwrapped, checked ones too, although {@link Iterator} does not declare them: catch {@code
 * Exception} around the loop. Cancellation of the iterating task arrives as {@code
 * CancellationException} and stops the producer.
 *
 * <p>Not thread-safe, like any {@link Iterator}; meant for the task body that created it.
 *
 * @param <T> the type of the elements
 */
public final class AsyncIterator<T extends @Nullable Object> implements Iterator<T>, AutoCloseable {
    private final StreamCursor<T> cursor;

    AsyncIterator(StreamCursor<T> cursor) {
        this.cursor = cursor;
    }

    /**
     * Awaits the next element and returns whether there is one. The first call starts the stream's
     * producer.
     */
    @Override
    public boolean hasNext() {
        return cursor.hasNext();
    }

    /** Awaits and returns the next element; {@code NoSuchElementException} at the end. */
    @Override
    public T next() {
        return cursor.next();
    }

    /**
     * Stops the stream: cancels its producer and awaits its cleanup ({@code finally} blocks of a
     * generator). Does nothing if the stream has ended or was closed.
     */
    @Override
    public void close() {
        cursor.close();
    }
}
