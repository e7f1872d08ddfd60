/**
 * I/O as tasks. HTTP: {@link dev.corobridge.io.ClientSession}, aiohttp's {@code ClientSession} over
 * the JDK's {@link java.net.http.HttpClient}: every request is a {@link dev.corobridge.Task} that
 * cancelling aborts, bounded by the session's limits and timeouts.
 *
 * <pre>{@code
 * // async with aiohttp.ClientSession() as session:
 * //     async with session.get(url) as resp:
 * //         return await resp.text()
 * try (var session = ClientSession.create();
 *         var response = session.get(url).await()) {
 *     return response.text().await();
 * }
 * }</pre>
 */
@NullMarked
package dev.corobridge.io;

import org.jspecify.annotations.NullMarked;
