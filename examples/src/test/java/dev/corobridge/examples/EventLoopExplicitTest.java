package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EventLoopExplicitTest {
    static final List<String> OUTPUT =
            List.of(
                    "loop.runBlocking(main): waits for the background task",
                    "  background: finished",
                    "  background: cleanup",
                    "  -> main done",
                    "loop closed: true",
                    "Async.run(main): cancels the background task",
                    "  background: cleanup",
                    "  -> main done",
                    "running a closed loop: the event loop is closed; create a new one (EventLoop.create()) or use Async.run(...)");

    @Test
    @Timeout(10)
    void runBlockingWaitsAsyncRunCancelsClosedLoopRefuses() throws Exception {
        assertEquals(OUTPUT, Console.capture(EventLoopExplicit::main).out());
    }
}
