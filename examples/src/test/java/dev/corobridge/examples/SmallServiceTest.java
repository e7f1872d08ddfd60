package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SmallServiceTest {
    static final List<String> OUTPUT =
            List.of(
                    "200 {\"id\": \"1\", \"name\": \"Ada\", \"orders\": [\"book\", \"lamp\"]}",
                    "200 {\"id\": \"2\", \"name\": \"Grace\", \"orders\": []}",
                    "404 {\"detail\": \"no such user\"}",
                    "the query and the call ran at once");

    @Test
    @Timeout(30)
    void answersEachUserWithTheQueryAndTheCallRunAtOnce() throws Exception {
        assertEquals(OUTPUT, Console.capture(SmallService::main).out());
    }
}
