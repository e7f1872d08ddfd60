package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.stream.AsyncIterator;
import dev.corobridge.stream.AsyncStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code async for} over an async generator (the guide's closing "async for").
 *
 * <pre>
 * async def ticker(delay, to):
 *     for i in range(to):
 *         yield i
 *         await asyncio.sleep(delay)
 *
 * async def main():
 *     async for i in ticker(0.01, 3):
 *         print(i)
 * </pre>
 *
 * <p>{@link AsyncStream#generate} is {@code async def} with {@code yield}: its body may await, and
 * {@code emit} waits until the loop asks for the next element. Inside a task body a plain {@code
 * for} loop awaits each element. {@code filter}, {@code map} and {@code take} build new streams
 * lazily; a generator runs only while someone iterates it, and closing the iterator (or reaching
 * the {@code take} limit) stops it, running its {@code finally}.
 */
public final class AsyncFor {
    private AsyncFor() {}

    /** {@code async def ticker(delay, to)}: yields 0, 1, ... to - 1, one every {@code delay}. */
    static AsyncStream<Integer> ticker(Duration delay, int to) {
        return AsyncStream.generate(
                out -> {
                    try {
                        for (int i = 0; i < to; i++) {
                            out.emit(i); // yield i
                            Async.sleep(delay).await();
                        }
                    } finally {
                        System.out.println("  ticker: finally");
                    }
                });
    }

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    Duration delay = Duration.ofMillis(10);

                    System.out.println("-- async for i in ticker(0.01, 3)");
                    for (int i : ticker(delay, 3)) {
                        System.out.println(i);
                    }

                    System.out.println("-- filter and map: the squares of the even ticks");
                    AsyncStream<String> squares =
                            ticker(delay, 6)
                                    .filter(i -> i % 2 == 0)
                                    .map(i -> i + " squared is " + i * i);
                    for (String line : squares) {
                        System.out.println(line);
                    }

                    System.out.println("-- break out early: closing the iterator stops the ticker");
                    try (AsyncIterator<Integer> ticks = ticker(delay, 1_000).iterator()) {
                        while (ticks.hasNext()) {
                            int i = ticks.next();
                            System.out.println(i);
                            if (i == 1) {
                                break;
                            }
                        }
                    }
                    System.out.println("after the loop");

                    System.out.println("-- take(2) and toList()");
                    List<Integer> firstTwo = ticker(delay, 1_000).take(2).toList().await();
                    System.out.println(firstTwo);
                });
    }
}
