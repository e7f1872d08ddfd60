/**
 * The asyncio guide, section by section, in Java: one small runnable class per idea.
 *
 * <p>Run one with {@code mvn -pl examples compile exec:java -Dexec.args=HelloWorld}, all of them
 * with {@code -Dexec.args=all}, or list them with {@code -Dexec.args=list} (see {@link
 * dev.corobridge.examples.Examples}).
 *
 * <table>
 * <caption>Guide sections and the examples that port them</caption>
 * <tr><th>Guide section</th><th>Example</th></tr>
 * <tr><td>1. async / await; 4. async def vs def</td>
 * <td>{@link dev.corobridge.examples.DefiningAndAwaitingTasks}</td></tr>
 * <tr><td>2. the idea; 3. the smallest program</td><td>{@link dev.corobridge.examples.HelloWorld}</td></tr>
 * <tr><td>5. concurrency with tasks</td><td>{@link dev.corobridge.examples.ConcurrentDownloads}</td></tr>
 * <tr><td>6. asyncio.sleep</td><td>{@link dev.corobridge.examples.SleepLetsOthersRun}</td></tr>
 * <tr><td>9. the event loop</td><td>{@link dev.corobridge.examples.EventLoopExplicit}</td></tr>
 * <tr><td>10. errors</td><td>{@link dev.corobridge.examples.ErrorHandling}</td></tr>
 * </table>
 */
@NullMarked
package dev.corobridge.examples;

import org.jspecify.annotations.NullMarked;
