package dev.corobridge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
        assertEquals(SleepFanOutBenchmark.SLEEPS, benchmark.kotlinxLaunchDelay());
    }

    // Apart, with room: on JDK 17 each of the 10,000 bodies is a platform thread of its own, and
    // the run took 9-12 s alone on 2 CPUs, past 30 s under a loaded build.
    @Test
    @Timeout(120)
    void sleepFanOutOfJavaBodiesFinishesEverySleep() throws Exception {
        assertEquals(
                SleepFanOutBenchmark.SLEEPS, new SleepFanOutBenchmark().corobridgeJavaBodies());
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
    void queuesHandOverEveryItem() throws Exception {
        var benchmark = new QueueBenchmark();
        long sum = Workload.QUEUE.checksum(QueueBenchmark.ITEMS, 1);
        assertEquals(sum, benchmark.corobridgeJavaBodies());
        assertEquals(sum, benchmark.corobridgeFutureStyle());
        assertEquals(sum, benchmark.kotlinxChannel());
        if (VirtualThreads.factory().isPresent()) {
            assertEquals(sum, benchmark.virtualThreadsArrayBlockingQueue(null));
        }
    }

    @Test
    @Timeout(30)
    void semaphoresCountEveryAcquisition() throws Exception {
        var benchmark = new SemaphoreBenchmark();
        long acquisitions = SemaphoreBenchmark.ACQUISITIONS;
        assertEquals(acquisitions, benchmark.uncontendedCorobridgeJavaBody());
        assertEquals(acquisitions, benchmark.uncontendedCorobridgeFutureStyle());
        assertEquals(acquisitions, benchmark.uncontendedKotlinx());
        long contended = SemaphoreBenchmark.CONTENDED_ACQUISITIONS;
        assertEquals(contended, benchmark.contendedCorobridgeJavaBodies());
        assertEquals(contended, benchmark.contendedCorobridgeFutureStyle());
        assertEquals(contended, benchmark.contendedKotlinx());
    }

    @Test
    @Timeout(30)
    void contendedSemaphoresFinishEveryRoundWhateverTheTasksAndPermits() throws Exception {
        // fewer tasks than permits, as many, and more; one permit makes every other task wait
        for (int[] shape : new int[][] {{3, 4}, {4, 4}, {16, 4}, {5, 1}}) {
            int tasks = shape[0];
            int permits = shape[1];
            long expected = (long) tasks * 7;
            assertEquals(expected, SemaphoreBenchmark.contendedJavaBodies(tasks, permits, 7));
            assertEquals(expected, SemaphoreBenchmark.contendedFutureStyle(tasks, permits, 7));
            assertEquals(expected, KotlinMicro.semaphoreContended(tasks, permits, 7));
        }
    }

    @Test
    void stepsInTurnStopAtTheFirstFailure() {
        var boom = new IllegalStateException("boom");
        int[] steps = {0};
        var done =
                SemaphoreBenchmark.inTurn(
                        5,
                        i -> {
                            steps[0]++;
                            return i == 2
                                    ? CompletableFuture.failedFuture(boom)
                                    : CompletableFuture.completedFuture(i);
                        });
        assertEquals(3, steps[0]);
        var thrown = assertThrows(CompletionException.class, done::join);
        assertSame(boom, thrown.getCause());
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
