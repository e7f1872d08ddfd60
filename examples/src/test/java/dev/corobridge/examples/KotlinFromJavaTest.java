package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KotlinFromJavaTest {
    static final List<String> OUTPUT =
            List.of(
                    "temperatures: [4, 19, 24]",
                    "error: no station in Atlantis",
                    "Oslo Mon: 7°C",
                    "Oslo Tue: 7°C",
                    "Oslo Wed: 7°C",
                    "  (forecast stream closed: cancelled)");

    @Test
    @Timeout(10)
    void callsTheKotlinServiceAndIteratesItsFlow() throws Exception {
        assertEquals(OUTPUT, Console.capture(KotlinFromJava::main).out());
    }
}
