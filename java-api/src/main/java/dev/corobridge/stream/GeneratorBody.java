package dev.corobridge.stream;

import org.jspecify.annotations.Nullable;

/**
 * The body of an async generator (Python's {@code async def gen(): ... yield x}): a task body that
 * hands out elements with {@link Emitter#emit(Object)} and may await anything in between.
 *
 * <pre>{@code
 * GeneratorBody<String> lines = out -> {
 *     out.emit("first");
 *     Async.sleep(Duration.ofMillis(10)).await();
 *     out.emit("second");
 * };
 * AsyncStream<String> stream = AsyncStream.generate(lines);
 * }</pre>
 *
 * @param <T> the type of the elements
 */
@FunctionalInterface
public interface GeneratorBody<T extends @Nullable Object> {
    /** Runs the generator; the stream ends when it returns and fails if it throws. */
    void run(Emitter<T> emitter) throws Exception;
}
