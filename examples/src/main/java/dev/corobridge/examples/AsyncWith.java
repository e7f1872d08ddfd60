package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.AsyncCloseable;
import dev.corobridge.Task;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;

/**
 * {@code async with} (the guide's sessions and files): a resource whose closing is asynchronous.
 *
 * <pre>
 * async with Session("api") as session:
 *     await session.get("/users")
 * </pre>
 *
 * <p>In Java it is try-with-resources on an {@link AsyncCloseable}: leaving the block awaits {@code
 * closeAsync()}, and closing still runs to the end when the task is cancelled.
 */
public final class AsyncWith {
    private AsyncWith() {}

    /**
     * A session that logs its opening and closing; closing takes a while, like a network goodbye.
     */
    static final class Session implements AsyncCloseable<RuntimeException> {
        private final String name;

        Session(String name) {
            this.name = name;
            System.out.println("open " + name);
        }

        Task<String> get(String path) {
            return Async.launch(
                    () -> {
                        Async.sleep(Duration.ofMillis(50)).await();
                        return name + path + " -> 200";
                    });
        }

        @Override
        public CompletionStage<?> closeAsync() {
            System.out.println("closing " + name);
            return Async.launch(
                    () -> {
                        Async.sleep(Duration.ofMillis(50)).await();
                        System.out.println("closed " + name);
                    });
        }
    }

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    try (var session = new Session("api")) {
                        System.out.println(session.get("/users").await());
                    }
                    System.out.println("after the block: the session is closed");

                    Task<Void> slow =
                            Async.launch(
                                    () -> {
                                        try (var session = new Session("slow")) {
                                            session.get("/report").await();
                                            Async.sleep(Duration.ofSeconds(10)).await();
                                        }
                                    });
                    Async.sleep(Duration.ofMillis(100)).await();
                    slow.cancel();
                    try {
                        slow.await();
                    } catch (CancellationException e) {
                        System.out.println("cancelled, and its session was still closed");
                    }
                });
    }
}
