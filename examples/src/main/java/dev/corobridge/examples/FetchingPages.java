package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Outcome;
import dev.corobridge.Task;
import dev.corobridge.io.ClientSession;
import dev.corobridge.io.ServerResponse;
import dev.corobridge.io.WebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Network I/O (guide section 7.1): fetching many pages at once from a local server this example
 * starts, at most three in flight, each under a time limit; the one slow page is cancelled by its
 * timeout, which aborts its request.
 *
 * <pre>
 * async def fetch(session, url):
 *     async with asyncio.timeout(2):
 *         async with session.get(url) as resp:
 *             return await resp.text()
 *
 * async def main():
 *     connector = aiohttp.TCPConnector(limit_per_host=3)
 *     async with aiohttp.ClientSession(base_url=server, connector=connector) as session:
 *         pages = await asyncio.gather(*(fetch(session, url) for url in urls),
 *                                      return_exceptions=True)
 * </pre>
 *
 * <p>Prints one line per page in the order asked for (a size, or the timeout), then a summary: how
 * many arrived, and how many requests the server saw in flight at most: three; and, on the error
 * stream, how long each fetch took and all of them together (about the slow page's 2 s).
 */
public final class FetchingPages {
    private FetchingPages() {}

    static final List<String> PATHS =
            List.of(
                    "/pages/1",
                    "/pages/2",
                    "/slow",
                    "/pages/3",
                    "/pages/4",
                    "/pages/5",
                    "/pages/6");

    /**
     * Each fetch's limit. It counts from the fetch's start, its wait for a place under the limit
     * included (as {@code asyncio.timeout} around {@code session.get} does): generous, so that only
     * the slow page outlasts it.
     */
    static final Duration LIMIT = Duration.ofSeconds(2);

    public static void main(String[] args) throws Exception {
        int[] inFlight = {0};
        int[] most = {0};
        Async.run(
                () -> {
                    try (var server = startServer(inFlight, most);
                            var session =
                                    ClientSession.builder()
                                            .baseUri(server.uri().toString())
                                            .limitPerHost(3) // TCPConnector(limit_per_host=3)
                                            .build()) {
                        long start = System.nanoTime();
                        long[] millis = new long[PATHS.size()];
                        List<Task<String>> fetches = new ArrayList<>();
                        for (int i = 0; i < PATHS.size(); i++) {
                            int index = i;
                            fetches.add(
                                    Async.launch(
                                            () -> {
                                                long asked = System.nanoTime();
                                                try {
                                                    return fetch(session, PATHS.get(index));
                                                } finally {
                                                    millis[index] =
                                                            (System.nanoTime() - asked) / 1_000_000;
                                                }
                                            }));
                        }
                        List<Outcome<String>> pages = Async.gatherSettled(fetches).await();
                        int arrived = 0;
                        for (int i = 0; i < PATHS.size(); i++) {
                            if (pages.get(i) instanceof Outcome.Success<String> page) {
                                arrived++;
                                System.out.println(
                                        PATHS.get(i)
                                                + ": "
                                                + page.value().length()
                                                + " characters");
                            } else if (pages.get(i) instanceof Outcome.Failure<String> failed
                                    && failed.exception() instanceof TimeoutException) {
                                System.out.println(
                                        PATHS.get(i)
                                                + ": cancelled after "
                                                + LIMIT.toMillis()
                                                + " ms");
                            }
                        }
                        System.out.println(
                                arrived
                                        + " of "
                                        + PATHS.size()
                                        + " pages; at most "
                                        + most[0]
                                        + " requests in flight");
                        // Timings differ from run to run: on stderr, so that the output above does
                        // not.
                        long total = (System.nanoTime() - start) / 1_000_000;
                        System.err.println(
                                "timings (ms): "
                                        + java.util.Arrays.toString(millis)
                                        + ", "
                                        + total
                                        + " in all");
                    }
                });
    }

    /** {@code async def fetch(session, url)}: the page, or a {@code TimeoutException}. */
    static String fetch(ClientSession session, String path) throws Exception {
        return Async.timeout(
                        LIMIT, // async with asyncio.timeout(2):
                        () -> {
                            try (var response =
                                    session.get(path)
                                            .await()) { // async with session.get(url) as resp:
                                return response.text().await();
                            }
                        })
                .await();
    }

    /** The local server: pages answer after a short think, {@code /slow} after ten seconds. */
    static WebServer startServer(int[] inFlight, int[] most) throws Exception {
        return WebServer.builder()
                .get(
                        "/pages/{n}",
                        request -> {
                            inFlight[0]++; // handlers share one loop: no lock needed
                            most[0] = Math.max(most[0], inFlight[0]);
                            try {
                                Async.sleep(Duration.ofMillis(100)).await();
                                return ServerResponse.text(
                                        "page " + request.pathParameter("n") + " ".repeat(20));
                            } finally {
                                inFlight[0]--;
                            }
                        })
                .get(
                        "/slow",
                        request -> {
                            inFlight[0]++;
                            most[0] = Math.max(most[0], inFlight[0]);
                            try {
                                Async.sleep(Duration.ofSeconds(10)).await();
                                return ServerResponse.text("too late");
                            } finally {
                                inFlight[0]--;
                            }
                        })
                .shutdownGrace(Duration.ZERO)
                .start(0);
    }
}
