package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.EventLoop;
import java.time.Duration;

/**
 * The event loop itself (guide section 9).
 *
 * <pre>
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(main())
 *
 * asyncio.run(main())              # the modern way
 * </pre>
 *
 * <p>An {@link EventLoop} runs tasks one at a time, switching at awaits. {@code Async.run} creates
 * one, runs the main task, cancels what the main task left running, and closes the loop; {@code
 * runBlocking} waits for leftover tasks instead, and the loop stays yours to close. A closed loop
 * refuses to run.
 */
public final class EventLoopExplicit {
    private EventLoopExplicit() {}

    /** {@code async def main()}: starts a background task it does not await, and returns. */
    static String mainTask() throws Exception {
        Async.launch(
                EventLoopExplicit
                        ::background); // not awaited: what happens to it depends on the runner
        Async.sleep(Duration.ofMillis(50)).await();
        return "main done";
    }

    static void background() throws Exception {
        try {
            Async.sleep(Duration.ofMillis(200)).await();
            System.out.println("  background: finished");
        } finally {
            System.out.println("  background: cleanup");
        }
    }

    public static void main(String[] args) throws Exception {
        EventLoop closedLoop;
        try (EventLoop loop = EventLoop.create()) {
            System.out.println("loop.runBlocking(main): waits for the background task");
            String result = loop.runBlocking(EventLoopExplicit::mainTask);
            System.out.println("  -> " + result);
            closedLoop = loop;
        }
        System.out.println("loop closed: " + closedLoop.isClosed());

        System.out.println("Async.run(main): cancels the background task");
        String result = Async.run(EventLoopExplicit::mainTask);
        System.out.println("  -> " + result);

        try {
            closedLoop.runBlocking(EventLoopExplicit::mainTask);
        } catch (IllegalStateException e) {
            System.out.println("running a closed loop: " + e.getMessage());
        }
    }
}
