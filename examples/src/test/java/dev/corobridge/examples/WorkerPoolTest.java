package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerPoolTest {
    /** What asyncio prints for the program in WorkerPool's Javadoc (CPython 3.13). */
    static final List<String> OUTPUT =
            List.of(
                    "w0 did job 1",
                    "w2 did job 3",
                    "w1 did job 2",
                    "w0 did job 4",
                    "w1 did job 6",
                    "w2 did job 5",
                    "every job done",
                    "w0 stops",
                    "w1 stops",
                    "w2 stops");

    @Test
    @Timeout(10)
    void everyJobIsDoneOnceThenTheWorkersStop() throws Exception {
        assertEquals(OUTPUT, Console.capture(WorkerPool::main).out());
    }
}
