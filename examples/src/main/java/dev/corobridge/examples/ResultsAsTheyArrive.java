package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Progress;
import dev.corobridge.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Handling results as they arrive, with a progress bar: {@code asCompleted} gives each download as
 * it finishes, fastest first, and a failed one is handled on its own without stopping the rest. The
 * bar (on standard error) follows the same progress that the listener is told.
 *
 * <pre>
 * async def fetch(page, delay):
 *     await asyncio.sleep(delay)
 *     if page == 3:
 *         raise ConnectionError(f"page {page} unreachable")
 *     return f"page {page} after {int(delay * 1000)} ms"
 *
 * async def main():
 *     delays = [0.6, 0.2, 0.8, 0.4, 0.1, 0.7]
 *     tasks = [asyncio.create_task(fetch(page, delay)) for page, delay in enumerate(delays)]
 *     failed = 0
 *     with tqdm(total=len(tasks)) as bar:
 *         async for task in asyncio.as_completed(tasks):   # Python 3.13
 *             bar.update(1)
 *             try:
 *                 print(await task)
 *             except ConnectionError as e:
 *                 failed += 1
 *                 print(f"failed: {e}")
 *     print(f"{len(tasks) - failed} of {len(tasks)} pages fetched, {failed} failed")
 * </pre>
 */
public final class ResultsAsTheyArrive {
    private ResultsAsTheyArrive() {}

    // 100 ms apart at least, so that the order holds on a busy machine too.
    static final long[] DELAYS_MILLIS = {600, 200, 800, 400, 100, 700};

    /** {@code async def fetch(page, delay)}. */
    static String fetch(int page, long delayMillis) throws Exception {
        Async.sleep(Duration.ofMillis(delayMillis)).await();
        if (page == 3) {
            throw new IOException("page " + page + " unreachable");
        }
        return "page " + page + " after " + delayMillis + " ms";
    }

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    List<Task<String>> tasks = new ArrayList<>();
                    for (int page = 0; page < DELAYS_MILLIS.length; page++) {
                        int p = page;
                        tasks.add(Async.launch(() -> fetch(p, DELAYS_MILLIS[p])));
                    }
                    var last = new AtomicReference<Progress>();
                    try (var bar = ProgressBars.create("pages", tasks.size())) {
                        Iterable<Task<String>> arriving =
                                Async.asCompleted(
                                        tasks,
                                        progress -> {
                                            ProgressBars.stepTo(bar, progress.done());
                                            last.set(progress);
                                        });
                        for (Task<String> task : arriving) {
                            try {
                                System.out.println(task.await()); // done: returns at once
                            } catch (IOException e) {
                                System.out.println("failed: " + e.getMessage());
                            }
                        }
                    }
                    Progress summary = last.get();
                    System.out.println(
                            summary.succeeded()
                                    + " of "
                                    + summary.total()
                                    + " pages fetched, "
                                    + summary.failed()
                                    + " failed");
                });
    }
}
