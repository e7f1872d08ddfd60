package dev.corobridge.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

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
