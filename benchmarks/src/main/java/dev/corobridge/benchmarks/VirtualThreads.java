package dev.corobridge.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual threads when the running JDK has them (21+): this module compiles for release 17, so
 * {@code Thread.ofVirtual().factory()} is looked up at run time.
 */
final class VirtualThreads {
    private static final Optional<ThreadFactory> FACTORY = lookUp();

    private VirtualThreads() {}

    /** A factory of unstarted virtual threads, or empty on a JDK without them. */
    static Optional<ThreadFactory> factory() {
        return FACTORY;
    }

    /** The factory, or {@code UnsupportedOperationException} naming the running JDK. */
    static ThreadFactory require() {
        return FACTORY.orElseThrow(
                () ->
                        new UnsupportedOperationException(
                                "virtual threads need JDK 21+, this is " + Runtime.version()));
    }

    /** Work for one index of {@link #sumBounded}. */
    @FunctionalInterface
    interface IndexedWork {
        long run(int index) throws Exception;
    }

    /**
     * Runs {@code work} for each index below {@code count} on a virtual thread of its own, at most
     * {@code bound} at once (a {@code Semaphore}), and returns the sum of what they returned.
     */
    static long sumBounded(int count, int bound, IndexedWork work) throws InterruptedException {
        var permits = new Semaphore(bound);
        var sum = new AtomicLong();
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(
                    require()
                            .newThread(
                                    () -> {
                                        try {
                                            permits.acquire();
                                            try {
                                                sum.addAndGet(work.run(index));
                                            } finally {
                                                permits.release();
                                            }
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                    }));
        }
        for (Thread thread : threads) thread.start();
        for (Thread thread : threads) thread.join();
        return sum.get();
    }

    private static Optional<ThreadFactory> lookUp() {
        if (Runtime.version().feature() < 21) {
            return Optional.empty();
        }
        try {
            var lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            var ofVirtual =
                    lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder));
            var factory =
                    lookup.findVirtual(
                            builder, "factory", MethodType.methodType(ThreadFactory.class));
            return Optional.of((ThreadFactory) factory.invoke(ofVirtual.invoke()));
        } catch (Throwable e) {
            return Optional.empty();
        }
    }
}
