/**
 * asyncio's coordination toolkit for task bodies: {@link dev.corobridge.sync.AsyncLock}, {@link
 * dev.corobridge.sync.AsyncSemaphore} and {@link dev.corobridge.sync.BoundedSemaphore}, {@link
 * dev.corobridge.sync.AsyncEvent} and {@link dev.corobridge.sync.AsyncQueue}.
 *
 * <p>Each behaves as its asyncio namesake, wake-up order and cancellation included: waiters are
 * served first come, first served; a waiter that is woken resumes in a turn of its own; a waiting
 * operation that is cancelled leaves the queue of waiters and loses nobody's permit, item or
 * wake-up, even when its cancellation races a release. Every waiting operation returns a {@link
 * dev.corobridge.Task} that has started; one that need not wait returns a task that has completed.
 * On a parallel dispatcher the primitives stay correct: their state is guarded by a monitor.
 *
 * <p>From Kotlin, await the tasks by suspending: {@code lock.acquire().awaitOwned()} (see {@code
 * dev.corobridge.kotlin}).
 *
 * <pre>{@code
 * var downloads = new AsyncSemaphore(10);          // asyncio.Semaphore(10)
 * Async.run(() -> {
 *     var tasks = new ArrayList<Task<String>>();
 *     for (var url : urls) {
 *         tasks.add(Async.launch(() -> {
 *             try (var permit = downloads.hold()) { // async with downloads:
 *                 return fetch(url);
 *             }
 *         }));
 *     }
 *     return Async.gather(tasks).await();
 * });
 * }</pre>
 */
@NullMarked
package dev.corobridge.sync;

import org.jspecify.annotations.NullMarked;
