package dev.corobridge;

import dev.corobridge.core.ContextCarriers;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes thread-local context (a logging MDC, a tenant id, a trace span) follow tasks across
 * threads. Register a carrier once, at start-up; from then on, every task, {@code toThread}/{@code
 * compute} call and Kotlin call started by corobridge captures the value where it is started and
 * sees it on whatever thread runs it, across awaits. The thread is put back as it was afterwards.
 *
 * <p>Costs nothing while no carrier is registered; each registered carrier adds one capture per
 * task started and one restore per thread switch.
 *
 * <p>Failure: a carrier should not throw, but if it does, the exception is never lost and never
 * leaves a task hanging. Where a task is started, {@code capture} runs on the starting thread, and
 * its exception is thrown by the starting call ({@code Async.run}, {@code Async.launch}, ...), no
 * task is started. Where a task runs, installing its values ({@code capture} of the thread's own
 * value, then {@code restore}) and putting the thread back ({@code restore}) happen for every
 * carrier, and the first exception (later ones attached as suppressed) fails that task: a Java body
 * whose values could not be installed does not run, and a result it returned is replaced by the
 * exception; a Kotlin coroutine is cancelled with it as the cause and fails with it. So {@code
 * Async.run} throws it for the main task, {@code await()} rethrows it for another task, and an
 * unretrieved one is reported like any task failure. An exception while putting a thread back after
 * a Kotlin coroutine has completed, when there is no task left to fail, goes to that thread's
 * uncaught-exception handler.
 *
 * <pre>{@code
 * // SLF4J's MDC, once at start-up:
 * ContextPropagation.register(MDC::getCopyOfContextMap,
 *         map -> { if (map == null) MDC.clear(); else MDC.setContextMap(map); });
 *
 * MDC.put("request", "42");
 * Async.run(() -> Async.toThread(() -> log.info("has request=42 in its MDC")).await());
 * }</pre>
 */
public final class ContextPropagation {
    private ContextPropagation() {}

    /**
     * A registered carrier; closing it unregisters the carrier, at once and without failing, so it
     * fits try-with-resources (in a test, say) without a checked exception.
     */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        /** Unregisters the carrier: tasks started from now on no longer capture it. Idempotent. */
        @Override
        void close();
    }

    /**
     * Registers a carrier of thread-local context: {@code capture} reads the current thread's value
     * (null for none), {@code restore} sets it on the current thread (and must accept null).
     *
     * @return a handle whose {@code close()} unregisters the carrier
     */
    public static <T extends @Nullable Object> Registration register(
            Supplier<T> capture, Consumer<T> restore) {
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(restore, "restore");
        return ContextCarriers.register(capture, restore)::run;
    }

    /**
     * Registers a {@link ThreadLocal} as a carrier: its value follows tasks started from a thread
     * where it is set.
     *
     * <pre>{@code
     * static final ThreadLocal<String> TENANT = new ThreadLocal<>();
     * ContextPropagation.register(TENANT);
     * }</pre>
     */
    public static <T> Registration register(ThreadLocal<T> threadLocal) {
        Objects.requireNonNull(threadLocal, "threadLocal");
        return register(
                threadLocal::get,
                value -> {
                    if (value == null) {
                        threadLocal.remove();
                    } else {
                        threadLocal.set(value);
                    }
                });
    }
}
