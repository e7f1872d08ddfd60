package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HelloWorldTest {
    static final List<String> OUTPUT = List.of("Hello", "World");

    @Test
    @Timeout(10)
    void printsHelloThenWorldAfterTheSleep() throws Exception {
        long start = System.nanoTime();
        var captured = Console.capture(HelloWorld::main);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(OUTPUT, captured.out());
        assertTrue(elapsed.compareTo(Duration.ofSeconds(1)) >= 0, "slept only " + elapsed);
    }
}
