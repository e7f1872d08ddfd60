package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Running tasks concurrently (guide section 5): three downloads of one second each take one second
 * in all.
 *
 * <pre>
 * async def download(i):
 *     print(f"Start {i}")
 *     await asyncio.sleep(1)
 *     print(f"End {i}")
 *
 * async def main():
 *     tasks = [asyncio.create_task(download(i)) for i in range(3)]
 *     await asyncio.gather(*tasks)
 *
 * asyncio.run(main())
 * </pre>
 *
 * <p>Prints {@code Start 0}, {@code Start 1}, {@code Start 2}, then about one second later {@code
 * End 0}, {@code End 1}, {@code End 2}.
 */
public final class ConcurrentDownloads {
    private ConcurrentDownloads() {}

    /** {@code async def download(i)}. */
    static void download(int i) throws Exception {
        System.out.println("Start " + i);
        Async.sleep(Duration.ofSeconds(1)).await(); // suspends this task only
        System.out.println("End " + i);
    }

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    List<Task<Void>> tasks =
                            IntStream.range(0, 3)
                                    .mapToObj(
                                            i ->
                                                    Async.launch(
                                                            () ->
                                                                    download(
                                                                            i))) // asyncio.create_task(download(i))
                                    .toList();
                    Async.gather(tasks).await(); // await asyncio.gather(*tasks)
                });
    }
}
