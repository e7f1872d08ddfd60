package dev.corobridge.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under direct-style Java bodies, with no engine at all: virtual threads that take turns
 * by hand, one at a time, the way bodies on an event loop do. What this costs, no engine built on a
 * thread per body and one runner at a time can go below on the same JVM and machine.
 *
 * <ul>
 *   <li>{@link #handOff}: two virtual threads pass the turn back and forth (unpark the other, park
 *       until the turn comes back); the score is one hand-off, the cost of every await that has to
 *       wait.
 *   <li>{@link #yieldingBodies}: the gather workload of {@link GatherBenchmark} by hand: batches of
 *       {@value #BATCH} threads, each started when its turn comes, passing the turn on once
 *       (yield), and ending when its turn comes again; the score is one body, that is one thread
 *       start and end and two hand-offs. The inverse is the most bodies per second that can take
 *       turns.
 * </ul>
 *
 * <p>Needs virtual threads (JDK 21+).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TurnTakingFloorBenchmark {
    static final int HAND_OFFS = 100_000;
    static final int BATCH = 10_000;
    static final int BODIES = 100_000;

    /** Two virtual threads passing the turn {@value #HAND_OFFS} times. */
    @Benchmark
    @OperationsPerInvocation(HAND_OFFS)
    public long handOff() throws InterruptedException {
        return handOffs(HAND_OFFS);
    }

    /**
     * {@value #BODIES} turn-taking virtual threads that yield once, in batches of {@value #BATCH}.
     */
    @Benchmark
    @OperationsPerInvocation(BODIES)
    public long yieldingBodies() throws InterruptedException {
        return yieldingBodies(BATCH, BODIES);
    }

    static long handOffs(int count) throws InterruptedException {
        ThreadFactory factory = VirtualThreads.require();
        Turns turns = new Turns(factory);
        Thread[] players = new Thread[2];
        long[] passes = new long[1];
        for (int p = 0; p < 2; p++) {
            int me = p;
            players[p] =
                    factory.newThread(
                            () -> {
                                turns.awaitTurn();
                                for (int i = me; i < count; i += 2) {
                                    passes[0]++;
                                    turns.give(players[1 - me]);
                                    if (i + 2 < count) {
                                        turns.awaitTurn();
                                    }
                                }
                            });
        }
        turns.holder = players[0]; // before the starts: the second thread must wait for its turn
        players[1].start();
        players[0].start();
        players[0].join();
        players[1].join();
        return passes[0];
    }

    static long yieldingBodies(int batch, int total) throws InterruptedException {
        ThreadFactory factory = VirtualThreads.require();
        long[] finished = new long[1];
        Thread main =
                factory.newThread(
                        () -> {
                            Turns turns = new Turns(factory);
                            turns.holder = Thread.currentThread();
                            for (int b = 0; b < total / batch; b++) {
                                turns.remaining = batch;
                                turns.waiter = Thread.currentThread();
                                for (int i = 0; i < batch; i++) {
                                    turns.ready.add(
                                            (Runnable)
                                                    () -> {
                                                        turns.yieldTurn();
                                                        finished[0]++;
                                                        turns.finish();
                                                    });
                                }
                                turns.passOn();
                                turns.awaitTurn();
                            }
                        });
        main.start();
        main.join();
        return finished[0];
    }

    /**
     * The turn: who holds it, and what runs next. Only the holder touches {@link #ready}; the
     * volatile {@link #holder} publishes its writes to the next one.
     */
    private static final class Turns {
        final ArrayDeque<Object> ready = new ArrayDeque<>(); // threads to resume, bodies to start
        volatile @Nullable Thread holder;
        @Nullable Thread waiter; // resumed when the batch's last body ends
        int remaining;
        private final ThreadFactory factory; // starts the bodies

        Turns(ThreadFactory factory) {
            this.factory = factory;
        }

        void awaitTurn() {
            Thread me = Thread.currentThread();
            while (holder != me) {
                LockSupport.park(this);
            }
        }

        void give(Thread next) {
            holder = next;
            LockSupport.unpark(next);
        }

        /** Hands the turn to what is ready next: a parked thread, or a body on a new thread. */
        void passOn() {
            Object next = ready.poll();
            if (next instanceof Thread thread) {
                give(thread);
            } else if (next != null) {
                Thread thread = factory.newThread((Runnable) next);
                holder = thread;
                thread.start();
            }
        }

        void yieldTurn() {
            ready.add(Thread.currentThread());
            passOn();
            awaitTurn();
        }

        void finish() {
            if (--remaining == 0) {
                give(waiter);
            } else {
                passOn();
            }
        }
    }
}
