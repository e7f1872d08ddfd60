package dev.corobridge.stream;

import dev.corobridge.core.StreamEmitter;
import org.jspecify.annotations.Nullable;

/**
 * What an async generator's body emits through: {@link #emit(Object)} is Python's {@code yield}.
 * Given to the {@link GeneratorBody} by {@link AsyncStream#generate(GeneratorBody)}.
 *
 * <p><b>Threading.</b> Only the generator's own body may call {@code emit}: it awaits, so it needs
 * the body's thread.
 *
 * <pre>{@code
 * AsyncStream<Integer> countdown = AsyncStream.generate(out -> {
 *     for (int i = 3; i > 0; i--) out.emit(i);
 * });
 * }</pre>
 *
 * @param <T> the type of the elements
 */
public final class Emitter<T extends @Nullable Object> {
    private final StreamEmitter<T> emitter;

    Emitter(StreamEmitter<T> emitter) {
        this.emitter = emitter;
    }

    /**
     * Hands {@code value} to the consumer and suspends the generator until the consumer asks for
     * the next element: Python's {@code yield value}. Without a {@link AsyncStream#buffer(int)
     * buffer} the generator is paused here while the consumer works on {@code value}; with one, it
     * returns at once while the buffer has room.
     *
     * <p>Cancellable: if the consumer stops (a {@code break} followed by {@link
     * AsyncIterator#close()} or the end of its body, {@link AsyncStream#take(long)}, cancellation),
     * this throws {@code CancellationException}, and the generator's {@code finally} blocks run
     * (they may await).
     *
     * @throws IllegalStateException if called from anything but the generator's own body
     */
    public void emit(T value) {
        emitter.emit(value);
    }
}
