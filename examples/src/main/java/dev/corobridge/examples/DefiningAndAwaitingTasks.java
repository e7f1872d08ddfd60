package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Defining an async function and awaiting it (guide sections 1 and 4).
 *
 * <pre>
 * async def fetch_data():
 *     return 123
 *
 * result = await fetch_data()      # await only works inside an async function
 *
 * async def foo():
 *     return 100
 *
 * print(foo())                     # &lt;coroutine object foo at 0x...&gt;: not run, not a value
 * asyncio.run(foo())               # 100
 * </pre>
 *
 * <p>In Java an {@code async def} is a plain method run inside a task. A reference to it ({@code
 * Callable}) is the coroutine object: nothing runs until it is started, by {@link Async#run} or
 * {@link Async#launch}. Launching gives a {@link Task}, which is not the value either: {@link
 * Task#await()} gives the value.
 */
public final class DefiningAndAwaitingTasks {
    private DefiningAndAwaitingTasks() {}

    /**
     * {@code async def fetch_data(): return 123}, with an await to show it really is asynchronous.
     */
    static int fetchData() throws Exception {
        System.out.println("fetch_data: running");
        Async.sleep(Duration.ofMillis(100)).await();
        System.out.println("fetch_data: returning 123");
        return 123;
    }

    /** {@code async def foo(): return 100}. */
    static int foo() {
        return 100;
    }

    public static void main(String[] args) throws Exception {
        Callable<Integer> fetchData =
                DefiningAndAwaitingTasks::fetchData; // like fetch_data() without await
        System.out.println("fetch_data defined: nothing has run yet");

        Async.run(
                () -> {
                    Task<Integer> task =
                            Async.launch(
                                    "fetch_data", fetchData); // asyncio.create_task(fetch_data())
                    System.out.println(
                            "launched: " + task); // starts at our next await, so still pending
                    int result = task.await(); // result = await fetch_data()
                    System.out.println("awaited: " + task);
                    System.out.println("result = " + result);
                });

        // Outside any loop, launch runs the body in the background and the Task is a plain future.
        Task<Integer> foo = Async.launch("foo", DefiningAndAwaitingTasks::foo);
        try {
            foo.await(); // "await" outside an async function
        } catch (IllegalStateException e) {
            System.out.println("await outside a task: " + e.getMessage());
        }
        System.out.println("foo.join() = " + foo.join()); // outside a task, block instead

        int value = Async.run(DefiningAndAwaitingTasks::foo); // asyncio.run(foo())
        System.out.println("Async.run(foo) = " + value);
    }
}
