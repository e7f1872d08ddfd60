package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TasksThreadsProcessesTest {
    static final List<String> OUTPUT =
            List.of(
                    "-- three blocking calls on the loop",
                    "they ran one after another",
                    "the heartbeat stalled",
                    "-- the same calls through Async.toThread",
                    "they ran side by side",
                    "the heartbeat kept beating",
                    "-- counting primes below 3000000 on Async.compute",
                    "primes: 216816",
                    "the heartbeat kept beating",
                    "-- a process beside a thread and the CPU work",
                    "process: done",
                    "thread: done",
                    "compute: 41538 primes",
                    "the heartbeat kept beating");

    @Test
    @Timeout(60)
    void blockingStallsTheLoopThreadsAndComputeAndProcessesDoNot() throws Exception {
        var run = Console.capture(TasksThreadsProcesses::main);
        assertEquals(OUTPUT, run.out());
        assertEquals(4, run.err().stream().filter(line -> line.contains("heartbeats")).count());
    }
}
