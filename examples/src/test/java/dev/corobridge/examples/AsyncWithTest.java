package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AsyncWithTest {
    static final List<String> OUTPUT =
            List.of(
                    "open api",
                    "api/users -> 200",
                    "closing api",
                    "closed api",
                    "after the block: the session is closed",
                    "open slow",
                    "closing slow",
                    "closed slow",
                    "cancelled, and its session was still closed");

    @Test
    @Timeout(10)
    void awaitsTheCloseEvenWhenCancelled() throws Exception {
        assertEquals(OUTPUT, Console.capture(AsyncWith::main).out());
    }
}
