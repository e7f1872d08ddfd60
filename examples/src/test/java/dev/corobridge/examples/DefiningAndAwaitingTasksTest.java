package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DefiningAndAwaitingTasksTest {
    static final List<String> OUTPUT =
            List.of(
                    "fetch_data defined: nothing has run yet",
                    "launched: Task[fetch_data, pending]",
                    "fetch_data: running",
                    "fetch_data: returning 123",
                    "awaited: Task[fetch_data, done]",
                    "result = 123",
                    "await outside a task: await() can only be called inside a task body: wrap the code in "
                            + "Async.run(() -> ...) to start an event loop, or block this thread with join() or get() instead;"
                            + " Kotlin suspend code awaits with awaitOwned() or awaitShared() from dev.corobridge.kotlin",
                    "foo.join() = 100",
                    "Async.run(foo) = 100");

    @Test
    @Timeout(10)
    void showsTheTaskThenItsValue() throws Exception {
        assertEquals(OUTPUT, Console.capture(DefiningAndAwaitingTasks::main).out());
    }
}
