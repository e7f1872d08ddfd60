package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.sync.AsyncSemaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Capping concurrency with a semaphore, the way a crawler limits its requests: six downloads, never
 * more than two in flight.
 *
 * <pre>
 * limit = asyncio.Semaphore(2)
 *
 * async def download(i):
 *     async with limit:
 *         print(f"download {i} starts")
 *         await asyncio.sleep(0.1)
 *         return f"page {i}"
 *
 * async def main():
 *     pages = await asyncio.gather(*(download(i) for i in range(6)))
 * </pre>
 *
 * <p>Prints the downloads starting in the order they were asked for (the semaphore serves its
 * waiters first come, first served), then how many ran at once at most: two.
 */
public final class RateLimitedDownloads {
    private RateLimitedDownloads() {}

    public static void main(String[] args) throws Exception {
        var limit = new AsyncSemaphore(2); // asyncio.Semaphore(2)
        int[] inFlight = {0};
        int[] most = {0};
        List<String> pages =
                Async.run(
                        () -> {
                            List<Task<String>> downloads = new ArrayList<>();
                            for (int i = 0; i < 6; i++) {
                                int page = i;
                                downloads.add(
                                        Async.launch(() -> download(page, limit, inFlight, most)));
                            }
                            return Async.gather(downloads).await();
                        });
        System.out.println("got " + pages.size() + " pages; at most " + most[0] + " at once");
    }

    /** {@code async def download(i)}, under the limit. */
    @SuppressWarnings("try") // the permit is held for the block: async with limit
    static String download(int i, AsyncSemaphore limit, int[] inFlight, int[] most)
            throws Exception {
        try (var permit = limit.hold()) { // async with limit:
            inFlight[0]++;
            most[0] = Math.max(most[0], inFlight[0]);
            System.out.println("download " + i + " starts");
            Async.sleep(Duration.ofMillis(100)).await();
            inFlight[0]--;
            return "page " + i;
        }
    }
}
