package dev.corobridge.examples;

import dev.corobridge.Async;
import java.time.Duration;

/**
 * The smallest asyncio program (guide sections 2 and 3).
 *
 * <pre>
 * async def hello():
 *     print("Hello")
 *     await asyncio.sleep(1)
 *     print("World")
 *
 * asyncio.run(hello())
 * </pre>
 *
 * <p>While {@code hello} waits on the sleep it holds no thread of the loop: the loop could run
 * other tasks meanwhile (see {@link ConcurrentDownloads} and {@link SleepLetsOthersRun}).
 */
public final class HelloWorld {
    private HelloWorld() {}

    /** {@code async def hello()}: an async function is any method run inside a task. */
    static void hello() throws Exception {
        System.out.println("Hello");
        Async.sleep(Duration.ofSeconds(1)).await(); // await asyncio.sleep(1)
        System.out.println("World");
    }

    public static void main(String[] args) throws Exception {
        Async.run(HelloWorld::hello); // asyncio.run(hello())
    }
}
