/**
 * Python's {@code async for} for Java: {@link dev.corobridge.stream.AsyncStream}, a stream that a
 * task body iterates with a plain {@code for} loop, awaiting each element, and async generators
 * with back-pressure.
 *
 * <pre>{@code
 * AsyncStream<Integer> ticks = AsyncStream.generate(out -> {
 *     for (int i = 0; i < 3; i++) {
 *         Async.sleep(Duration.ofMillis(100)).await();
 *         out.emit(i);                       // yield i
 *     }
 * });
 * Async.run(() -> {
 *     for (int tick : ticks) {               // async for tick in ticks()
 *         System.out.println(tick);
 *     }
 * });
 * }</pre>
 */
@NullMarked
package dev.corobridge.stream;

import org.jspecify.annotations.NullMarked;
