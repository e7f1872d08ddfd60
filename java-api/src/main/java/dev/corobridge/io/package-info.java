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
 *
 * <p>Databases: {@link dev.corobridge.io.Database}, JDBC statements and transactions as tasks.
 * Files: {@link dev.corobridge.io.AsyncFiles} and {@link dev.corobridge.io.AsyncFile}, aiofiles's
 * reads, writes and lines. Child processes: {@link dev.corobridge.io.Command} and {@link
 * dev.corobridge.io.Subprocess}, asyncio's {@code create_subprocess_exec}. Blocking calls run on
 * I/O threads, never on a loop, and cancelling a task stops its call: it closes the file, it
 * cancels the statement, it ends the process.
 *
 * <pre>{@code
 * String text = AsyncFiles.readString(Path.of("data.txt")).await();
 * ProcessResult sorted = Command.of("sort").input(text).run().await();
 * }</pre>
 */
@NullMarked
package dev.corobridge.io;

import org.jspecify.annotations.NullMarked;
