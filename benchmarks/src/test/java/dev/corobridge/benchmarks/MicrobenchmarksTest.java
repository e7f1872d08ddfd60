package dev.corobridge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every JMH benchmark method, called once in-process, returns its checksum: the microbenchmarks
 * cannot rot between runs of JMH.
 */
class MicrobenchmarksTest {
    @Test
    @Timeout(30)
    void roundTripsReturnTheSumOfTheirValues() throws Exception {
        var benchmark = new RoundTripBenchmark();
        assertEquals(RoundTripBenchmark.ROUND_TRIPS, benchmark.corobridgeKotlinBody());
        assertEquals(RoundTripBenchmark.ROUND_TRIPS, benchmark.kotlinxAsyncAwait());
    }

    @Test
    @Timeout(30)
    void gathersFinishEveryTaskAtEverySize() throws Exception {
        int total = 1_000;
        for (int size : new int[] {10, 1_000}) {
            assertEquals(total, GatherBenchmark.corobridgeJavaBodies(size, total), "java " + size);
            assertEquals(
                    total, GatherBenchmark.corobridgeFutureStyle(size, total), "future " + size);
            assertEquals(total, KotlinMicro.gathersYielding(size, total), "kotlinx " + size);
        }
    }

    @Test
    @Timeout(30)
    void sleepFanOutsFinishEverySleep() throws Exception {
        var benchmark = new SleepFanOutBenchmark();
        assertEquals(SleepFanOutBenchmark.SLEEPS, benchmark.corobridgeFutureStyle());
        assertEquals(SleepFanOutBenchmark.SLEEPS, benchmark.corobridgeJavaBodies());
        assertEquals(SleepFanOutBenchmark.SLEEPS, benchmark.kotlinxLaunchDelay());
    }

    @Test
    @Timeout(30)
    void handOffsTakeEveryTurn() throws Exception {
        var benchmark = new AwaitHandOffBenchmark();
        assertEquals(AwaitHandOffBenchmark.AWAITS, benchmark.corobridgeJavaBody());
        assertEquals(AwaitHandOffBenchmark.AWAITS, benchmark.kotlinxYield());
    }

    @Test
    @Timeout(30)
    void turnTakingThreadsTakeEveryTurnAndFinishEveryBody() throws Exception {
        assumeTrue(VirtualThreads.factory().isPresent(), "needs virtual threads");
        assertEquals(1_001, TurnTakingFloorBenchmark.handOffs(1_001));
        assertEquals(1_000, TurnTakingFloorBenchmark.handOffs(1_000));
        assertEquals(3_000, TurnTakingFloorBenchmark.yieldingBodies(1_000, 3_000));
    }
}
