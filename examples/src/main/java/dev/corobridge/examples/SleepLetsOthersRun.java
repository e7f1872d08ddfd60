package dev.corobridge.examples;

import dev.corobridge.Async;
import java.time.Duration;

/**
 * {@code asyncio.sleep} is the model of asynchronous I/O (guide section 6): while one task awaits
 * it, the loop runs the others.
 *
 * <pre>
 * await asyncio.sleep(1)   # "I am waiting and need no CPU: run the other tasks meanwhile"
 * </pre>
 *
 * <p>A ticker ticks three times while a sleeper awaits a one-second sleep. Then the same with
 * {@code Thread.sleep}: it blocks the loop itself, so the ticker cannot start until the sleeper is
 * done.
 */
public final class SleepLetsOthersRun {
    private SleepLetsOthersRun() {}

    static void sleeper() throws Exception {
        System.out.println("sleeper: await Async.sleep(1 s)");
        Async.sleep(Duration.ofSeconds(1)).await(); // the loop runs the ticker meanwhile
        System.out.println("sleeper: awake");
    }

    static void blockingSleeper() throws Exception {
        System.out.println("sleeper: Thread.sleep(500 ms)");
        Thread.sleep(500); // blocks: no other task of this loop can run
        System.out.println("sleeper: awake");
    }

    static void ticker() throws Exception {
        for (int i = 1; i <= 3; i++) {
            Async.sleep(Duration.ofMillis(100)).await();
            System.out.println("ticker: tick " + i);
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("-- awaiting Async.sleep lets the ticker run");
        Async.run(
                () ->
                        Async.gather(
                                        Async.launch(SleepLetsOthersRun::sleeper),
                                        Async.launch(SleepLetsOthersRun::ticker))
                                .await());

        System.out.println("-- Thread.sleep blocks the loop: the ticker waits");
        Async.run(
                () ->
                        Async.gather(
                                        Async.launch(SleepLetsOthersRun::blockingSleeper),
                                        Async.launch(SleepLetsOthersRun::ticker))
                                .await());
    }
}
