package dev.corobridge.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.AsyncFiles;
import dev.corobridge.io.ClientSession;
import dev.corobridge.io.ServerResponse;
import dev.corobridge.io.WebServer;
import dev.corobridge.sync.AsyncQueue;
import dev.corobridge.sync.QueueShutDownException;
import dev.corobridge.testing.ChildJvm;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load and soak: many concurrent tasks in a small heap, a queue pipeline that loses and doubles
 * nothing, and many rounds of create / cancel / time out / close that leave no thread, heap, file
 * handle or connection behind. Each test runs small with every build and at full size in the {@code
 * stress} profile ({@code mvn -B verify -Pstress}, which CI runs too), and prints its figures.
 */
class LoadTest {
    /** Java bodies hold a platform thread each before JDK 21: only a few then. */
    private static final boolean VIRTUAL = Runtime.version().feature() >= 21;

    @Test
    @Timeout(120)
    void aHundredThousandConcurrentTasksCompleteInA256MiBHeap() throws Exception {
        concurrentTasks(100_000, VIRTUAL ? 10_000 : 500, "256m");
    }

    @Tag("stress")
    @Test
    @Timeout(600)
    void aMillionConcurrentTasksCompleteInAGibibyteHeap() throws Exception {
        concurrentTasks(1_000_000, VIRTUAL ? 100_000 : 1_000, "1g");
    }

    @Test
    @Timeout(120)
    void aQueuePipelineMovesTwoHundredThousandItemsEachOnce() throws Exception {
        queuePipeline(200_000);
    }

    @Tag("stress")
    @Test
    @Timeout(900)
    void aQueuePipelineMovesTenMillionItemsEachOnce() throws Exception {
        queuePipeline(10_000_000);
    }

    @Test
    @Timeout(120)
    void twentySoakRoundsLeaveNothingBehind(@TempDir Path dir) throws Exception {
        soak(20, dir);
    }

    @Tag("stress")
    @Test
    @Timeout(900)
    void fiveHundredSoakRoundsLeaveNothingBehind(@TempDir Path dir) throws Exception {
        soak(500, dir);
    }

    /**
     * [tasks] tasks at once, [bodies] of them Java bodies and the rest sleeps, in a JVM of its own
     * whose heap is [heap]: all complete, with no OutOfMemoryError.
     */
    private static void concurrentTasks(int tasks, int bodies, String heap) throws Exception {
        Process child =
                new ProcessBuilder(
                                ChildJvm.command(
                                        ManyTasks.class.getName(),
                                        List.of("-Xmx" + heap, "-Xms" + heap),
                                        List.of(
                                                String.valueOf(tasks - bodies),
                                                String.valueOf(bodies),
                                                "5")))
                        .redirectErrorStream(true)
                        .start();
        String output;
        try {
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the program did not end");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue(), output);
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("completed=" + tasks + " heapMiB="), output);
        System.out.printf(
                "load: %,d concurrent tasks (%,d sleeps, %,d Java bodies) completed with -Xmx%s;"
                        + " %s MiB of heap in use while all were pending%n",
                tasks, tasks - bodies, bodies, heap, last.substring(last.indexOf('=', 10) + 1));
    }

    /**
     * Four producers put [items] distinct numbers through a bounded queue to four consumers; every
     * number arrives exactly once.
     */
    private static void queuePipeline(int items) throws Exception {
        int producers = 4;
        int consumers = 4;
        long started = System.nanoTime();
        List<BitSet> received =
                Async.run(
                        () -> {
                            AsyncQueue<Integer> queue = AsyncQueue.fifo(1_024);
                            List<Task<Void>> putting = new ArrayList<>();
                            for (int p = 0; p < producers; p++) {
                                int first = p;
                                putting.add(
                                        Async.launch(
                                                () -> {
                                                    for (int i = first; i < items; i += producers)
                                                        queue.put(i).await();
                                                }));
                            }
                            List<Task<BitSet>> getting = new ArrayList<>();
                            for (int c = 0; c < consumers; c++)
                                getting.add(Async.launch(() -> drain(queue, items)));
                            Async.gather(putting).await();
                            queue.shutdown(); // gets fail once the queue is empty
                            return Async.gather(getting).await();
                        });
        BitSet all = new BitSet(items);
        long count = 0;
        for (BitSet one : received) {
            count += one.cardinality();
            BitSet overlap = (BitSet) all.clone();
            overlap.and(one);
            assertTrue(overlap.isEmpty(), () -> "items taken twice: " + overlap.cardinality());
            all.or(one);
        }
        assertEquals(items, count, "items taken");
        assertEquals(items, all.cardinality(), "distinct items taken");
        System.out.printf(
                "load: %,d items through one queue (%d producers, %d consumers, capacity 1,024)"
                        + " in %,d ms, none lost or doubled%n",
                items,
                producers,
                consumers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static BitSet drain(AsyncQueue<Integer> queue, int items) throws Exception {
        BitSet seen = new BitSet(items);
        while (true) {
            int item;
            try {
                item = queue.get().await();
            } catch (QueueShutDownException done) {
                return seen;
            }
            assertTrue(!seen.get(item), () -> "item " + item + " taken twice");
            seen.set(item);
        }
    }

    /**
     * [rounds] runs of tasks that are created, cancelled, timed out and closed (files, a server and
     * its client connections, threads): afterwards the thread count, the heap after a collection
     * and the open file descriptors are where they were after the first round.
     */
    private static void soak(int rounds, Path dir) throws Exception {
        soakRound(dir, 0); // warms up the pools and the JIT: the baseline is taken after it
        Footprint before = Footprint.now();
        for (int round = 1; round <= rounds; round++) soakRound(dir, round);
        Footprint after = Footprint.settled(before);
        System.out.printf(
                "soak: %d rounds of create / cancel / time out / close; threads %d -> %d, heap"
                        + " after GC %,d KiB -> %,d KiB, open files %d -> %d%n",
                rounds,
                before.threads,
                after.threads,
                before.heapKiB,
                after.heapKiB,
                before.openFiles.size(),
                after.openFiles.size());
        assertTrue(
                after.threads <= before.threads, () -> "threads grew: " + before + " -> " + after);
        // The JDK creates its own epoll instances lazily (virtual-thread pollers, one per carrier
        // on newer JDKs): a few may appear, never one per round.
        List<String> opened = after.openedSince(before);
        List<String> notPollers =
                opened.stream().filter(target -> !target.equals("anon_inode:[eventpoll]")).toList();
        assertEquals(List.of(), notPollers, "file descriptors left open");
        assertTrue(opened.size() <= 8, () -> "epoll instances left open: " + opened);
        // Heap after GC moves with the JIT's and the pools' own books: allowed a generous margin.
        assertTrue(
                after.heapKiB <= before.heapKiB + 16 * 1024,
                () -> "heap grew: " + before + " -> " + after);
    }

    private static void soakRound(Path dir, int round) throws Exception {
        Path file = dir.resolve("round-" + (round % 4) + ".txt");
        Async.run(
                () -> {
                    try (var server =
                                    WebServer.builder()
                                            .get(
                                                    "/slow",
                                                    request -> {
                                                        Async.sleep(Duration.ofSeconds(30)).await();
                                                        return ServerResponse.text("late");
                                                    })
                                            .get("/fast", request -> ServerResponse.text("ok"))
                                            // closing cancels the handler still sleeping
                                            .shutdownGrace(Duration.ofMillis(10))
                                            .start(0);
                            var session = ClientSession.create()) {
                        List<Task<?>> work = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            work.add(
                                    Async.launch(
                                            () -> Async.sleep(Duration.ofSeconds(30)).await()));
                            work.add(Async.sleep(Duration.ofMillis(i % 5)));
                        }
                        work.add(AsyncFiles.write(file, "round " + round + "\n".repeat(1_000)));
                        work.add(
                                Async.toThread(
                                        () -> {
                                            Thread.sleep(30_000);
                                            return null;
                                        }));
                        Task<String> slowCall =
                                Async.launch(
                                        () ->
                                                session.get(server.uri() + "slow")
                                                        .await()
                                                        .text()
                                                        .await());
                        String fast = session.get(server.uri() + "fast").await().text().await();
                        assertEquals("ok", fast);
                        try {
                            Async.waitFor(slowCall, Duration.ofMillis(20)).await();
                        } catch (TimeoutException expected) {
                            // the call and its connection are cancelled
                        }
                        try {
                            Async.timeout(
                                            Duration.ofMillis(5),
                                            () -> Async.sleep(Duration.ofSeconds(30)).await())
                                    .await();
                        } catch (TimeoutException expected) {
                            // the body was cancelled
                        }
                        for (int i = 0; i < work.size(); i += 2) work.get(i).cancel();
                        work.get(work.size() - 1).cancel(); // interrupts the thread's sleep
                        for (Task<?> task : work) {
                            try {
                                task.await();
                            } catch (CancellationException expected) {
                                // cancelled above
                            }
                        }
                        assertTrue(AsyncFiles.readString(file).await().startsWith("round "));
                    }
                    return null;
                });
    }

    /**
     * What a run could leave behind: live threads, heap after a collection, and what each open file
     * descriptor refers to (a file, a socket, a pipe, an epoll instance).
     */
    private record Footprint(int threads, long heapKiB, List<String> openFiles) {
        static Footprint now() throws IOException {
            System.gc();
            System.gc();
            return new Footprint(
                    Thread.activeCount(),
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024,
                    openFileTargets());
        }

        /**
         * The footprint once idle pool threads have had time to retire, waiting up to the pools'
         * keep-alive (30 s) for the thread and file counts to come back to [baseline]'s.
         */
        static Footprint settled(Footprint baseline) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            Footprint now = now();
            while ((now.threads > baseline.threads
                            || now.openFiles.size() > baseline.openFiles.size())
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
                now = now();
            }
            return now;
        }

        /** The descriptors open now that were not open in [before], by what they refer to. */
        List<String> openedSince(Footprint before) {
            List<String> added = new ArrayList<>(openFiles);
            before.openFiles.forEach(added::remove);
            return added;
        }

        private static List<String> openFileTargets() throws IOException {
            Path fds = Path.of("/proc/self/fd");
            List<String> targets = new ArrayList<>();
            if (!Files.isDirectory(fds)) return targets;
            try (var entries = Files.list(fds)) {
                for (Path fd : (Iterable<Path>) entries::iterator) {
                    try {
                        targets.add(Files.readSymbolicLink(fd).toString());
                    } catch (IOException closedMeanwhile) {
                        // the listing's own descriptor, or one closed while listing
                    }
                }
            }
            return targets;
        }
    }
}
