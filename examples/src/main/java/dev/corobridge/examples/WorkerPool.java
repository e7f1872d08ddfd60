package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.sync.AsyncQueue;
import dev.corobridge.sync.QueueShutDownException;
import java.util.ArrayList;
import java.util.List;

/**
 * A producer and a pool of workers joined by a bounded queue, shut down cleanly: the producer waits
 * whenever the queue is full, {@code join()} waits until every job is done, and {@code shutdown()}
 * ends the workers.
 *
 * <pre>
 * async def worker(name, jobs):
 *     try:
 *         while True:
 *             job = await jobs.get()
 *             for _ in range(job % 3 + 1):
 *                 await asyncio.sleep(0)        # the work
 *             print(f"{name} did job {job}")
 *             jobs.task_done()
 *     except asyncio.QueueShutDown:
 *         print(f"{name} stops")
 *
 * async def main():
 *     jobs = asyncio.Queue(maxsize=2)
 *     workers = [asyncio.create_task(worker(f"w{i}", jobs)) for i in range(3)]
 *     for job in range(1, 7):
 *         await jobs.put(job)
 *     await jobs.join()
 *     print("every job done")
 *     jobs.shutdown()
 *     await asyncio.gather(*workers)
 * </pre>
 */
public final class WorkerPool {
    private WorkerPool() {}

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    AsyncQueue<Integer> jobs = AsyncQueue.fifo(2); // asyncio.Queue(maxsize=2)
                    List<Task<Void>> workers = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        String name = "w" + i;
                        workers.add(Async.launch(() -> worker(name, jobs)));
                    }
                    for (int job = 1; job <= 6; job++) {
                        jobs.put(job).await(); // waits while the queue is full
                    }
                    jobs.join().await(); // every job taken and done
                    System.out.println("every job done");
                    jobs.shutdown(); // the workers' get() fails from now on
                    Async.gather(workers).await();
                });
    }

    /** {@code async def worker(name, jobs)}. */
    static Void worker(String name, AsyncQueue<Integer> jobs) throws Exception {
        try {
            while (true) {
                int job = jobs.get().await();
                for (int step = 0; step < job % 3 + 1; step++) {
                    Async.yieldNow().await(); // the work: other tasks run meanwhile
                }
                System.out.println(name + " did job " + job);
                jobs.taskDone();
            }
        } catch (QueueShutDownException shutDown) {
            System.out.println(name + " stops");
        }
        return null;
    }
}
