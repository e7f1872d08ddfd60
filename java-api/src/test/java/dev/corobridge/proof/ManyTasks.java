package dev.corobridge.proof;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A program for {@link LoadTest}, run in a JVM of its own with a small heap: it starts {@code
 * SLEEPS} sleeping tasks and {@code BODIES} Java bodies that each await a sleep, all at once, and
 * gathers them. It prints {@code completed=N heapMiB=M}, the heap in use after a collection while
 * every task was pending, and exits 0; out of memory, it fails.
 */
final class ManyTasks {
    private ManyTasks() {}

    public static void main(String[] args) throws Exception {
        int sleeps = Integer.parseInt(args[0]);
        int bodies = Integer.parseInt(args[1]);
        Duration nap = Duration.ofSeconds(Integer.parseInt(args[2]));
        long[] heapWhilePending = new long[1];
        int completed =
                Async.run(
                        () -> {
                            List<Task<?>> tasks = new ArrayList<>(sleeps + bodies);
                            for (int i = 0; i < sleeps; i++) tasks.add(Async.sleep(nap));
                            for (int i = 0; i < bodies; i++)
                                tasks.add(Async.launch(() -> Async.sleep(nap).await()));
                            Async.yieldNow().await(); // every body has started and awaits
                            System.gc();
                            heapWhilePending[0] =
                                    ManagementFactory.getMemoryMXBean()
                                            .getHeapMemoryUsage()
                                            .getUsed();
                            return Async.gather(tasks).await().size();
                        });
        System.out.println(
                "completed=" + completed + " heapMiB=" + heapWhilePending[0] / (1024 * 1024));
    }
}
