package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SleepLetsOthersRunTest {
    static final List<String> OUTPUT =
            List.of(
                    "-- awaiting Async.sleep lets the ticker run",
                    "sleeper: await Async.sleep(1 s)",
                    "ticker: tick 1",
                    "ticker: tick 2",
                    "ticker: tick 3",
                    "sleeper: awake",
                    "-- Thread.sleep blocks the loop: the ticker waits",
                    "sleeper: Thread.sleep(500 ms)",
                    "sleeper: awake",
                    "ticker: tick 1",
                    "ticker: tick 2",
                    "ticker: tick 3");

    @Test
    @Timeout(10)
    void tickerTicksWhileTheSleeperAwaitsButNotWhileItBlocks() throws Exception {
        assertEquals(OUTPUT, Console.capture(SleepLetsOthersRun::main).out());
    }
}
