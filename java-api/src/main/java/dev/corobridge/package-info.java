/**
 * Python's asyncio for Java, on Kotlin coroutines: {@link dev.corobridge.Async} is where everything
 * starts.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     var tasks = List.of(Async.launch(() -> download(0)), Async.launch(() -> download(1)));
 *     Async.gather(tasks).await();
 * });
 * }</pre>
 */
@NullMarked
package dev.corobridge;

import org.jspecify.annotations.NullMarked;
