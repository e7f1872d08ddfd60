package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Tasks, threads or processes (guide section 8), measured. A heartbeat task beats every 20 ms while
 * other work runs, and shows whether the loop is free:
 *
 * <ul>
 *   <li>three blocking calls made on the loop run one after another, and the heartbeat stalls;
 *   <li>the same calls through {@code Async.toThread} run side by side, and it keeps beating;
 *   <li>CPU work split over {@code Async.compute} uses every core, and it keeps beating;
 *   <li>an external process runs beside all of them.
 * </ul>
 *
 * <pre>
 * await asyncio.gather(*(asyncio.to_thread(blocking_call) for _ in range(3)))
 * with ProcessPoolExecutor() as pool:
 *     counts = await asyncio.gather(*(loop.run_in_executor(pool, count_primes, r) for r in ranges))
 * proc = await asyncio.create_subprocess_exec("sh", "-c", script, stdout=PIPE)
 * </pre>
 *
 * <p>What it concludes goes to the output stream; the timings behind it go to the error stream.
 */
public final class TasksThreadsProcesses {
    private TasksThreadsProcesses() {}

    static final long CALL_MILLIS = 200;
    static final int PRIME_LIMIT = 3_000_000;

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    blockingOnTheLoop();
                    blockingOnThreads();
                    computing();
                    aProcessBeside();
                    return null;
                });
    }

    /** A blocking library call: it holds its thread, as a JDBC driver or a file read does. */
    static String blockingCall() throws InterruptedException {
        Thread.sleep(CALL_MILLIS);
        return "done";
    }

    static void blockingOnTheLoop() throws Exception {
        System.out.println("-- three blocking calls on the loop");
        Measured run = threeBlockingCalls(call -> Async.launch(call));
        System.out.println(
                run.millis >= 3 * CALL_MILLIS
                        ? "they ran one after another"
                        : "they overlapped (unexpected)");
        System.out.println(heartbeat(run));
    }

    static void blockingOnThreads() throws Exception {
        System.out.println("-- the same calls through Async.toThread");
        Measured run = threeBlockingCalls(call -> Async.toThread(call));
        System.out.println(
                run.millis < 2 * CALL_MILLIS
                        ? "they ran side by side"
                        : "they ran one after another (unexpected)");
        System.out.println(heartbeat(run));
    }

    /** Three blocking calls, each made a task by {@code start}, gathered and measured. */
    static Measured threeBlockingCalls(Function<Callable<String>, Task<String>> start)
            throws Exception {
        return measure(
                () -> {
                    List<Task<String>> calls = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        calls.add(start.apply(TasksThreadsProcesses::blockingCall));
                    }
                    return Async.gather(calls).await();
                });
    }

    static void computing() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("-- counting primes below " + PRIME_LIMIT + " on Async.compute");
        long start = System.nanoTime();
        int alone = countPrimes(2, PRIME_LIMIT);
        long aloneMillis = (System.nanoTime() - start) / 1_000_000;
        Measured split =
                measure(
                        () -> {
                            List<Task<Integer>> parts = new ArrayList<>();
                            int step = PRIME_LIMIT / (cores * 4);
                            for (int from = 2; from < PRIME_LIMIT; from += step) {
                                int low = from;
                                int high = Math.min(PRIME_LIMIT, from + step);
                                parts.add(Async.compute(() -> countPrimes(low, high)));
                            }
                            int total = 0;
                            for (int count : Async.gather(parts).await()) total += count;
                            return total;
                        });
        System.out.println(
                "primes: " + split.value + (split.value.equals(alone) ? "" : " != " + alone));
        System.out.println(heartbeat(split));
        System.err.printf(
                "  one thread: %d ms; %d cores on compute: %d ms (%.1fx)%n",
                aloneMillis, cores, split.millis, (double) aloneMillis / split.millis);
    }

    static void aProcessBeside() throws Exception {
        System.out.println("-- a process beside a thread and the CPU work");
        Measured all =
                measure(
                        () -> {
                            Task<String> process =
                                    Async.launch(
                                            () ->
                                                    Command.of(
                                                                    "sh",
                                                                    "-c",
                                                                    "sleep 0.2; echo process: done")
                                                            .run()
                                                            .await()
                                                            .stdout()
                                                            .strip());
                            Task<String> thread = Async.toThread(() -> "thread: " + blockingCall());
                            Task<String> cpu =
                                    Async.compute(
                                            () ->
                                                    "compute: "
                                                            + countPrimes(2, 500_000)
                                                            + " primes");
                            return Async.gather(process, thread, cpu).await();
                        });
        for (Object line : (List<?>) all.value) System.out.println(line);
        System.out.println(heartbeat(all));
    }

    static int countPrimes(int from, int to) {
        int count = 0;
        for (int n = Math.max(from, 2); n < to; n++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) count++;
        }
        return count;
    }

    /** What a piece of work returned, how long it took, and how often the heartbeat beat. */
    record Measured(Object value, long millis, int beats) {}

    /** Runs {@code work} in this task while a heartbeat task beats every 20 ms beside it. */
    static Measured measure(Callable<?> work) throws Exception {
        AtomicInteger beats = new AtomicInteger();
        Task<?> heart =
                Async.launch(
                        () -> {
                            while (true) {
                                Async.sleep(Duration.ofMillis(20)).await();
                                beats.incrementAndGet();
                            }
                        });
        Async.sleep(Duration.ZERO).await(); // lets the heartbeat start
        long start = System.nanoTime();
        Object value = work.call();
        long millis = (System.nanoTime() - start) / 1_000_000;
        int beaten = beats.get();
        heart.cancel();
        System.err.printf("  %d ms, %d heartbeats%n", millis, beaten);
        return new Measured(value, millis, beaten);
    }

    /** Whether the heartbeat kept beating: at least a third of the beats the time had room for. */
    static String heartbeat(Measured run) {
        return run.beats >= run.millis / 20 / 3 && run.beats >= 3
                ? "the heartbeat kept beating"
                : "the heartbeat stalled";
    }
}
