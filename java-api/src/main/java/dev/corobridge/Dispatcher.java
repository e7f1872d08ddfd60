package dev.corobridge;

import java.util.Objects;
import java.util.concurrent.Executor;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.ExecutorsKt;

/**
 * Where coroutines run: a Kotlin {@code CoroutineDispatcher} for Java. {@link Async#run(Dispatcher,
 * Callable)} starts a loop on one; unlike the single-threaded {@link EventLoop}, such a loop runs
 * task bodies in parallel.
 *
 * <pre>{@code
 * int total = Async.run(Dispatcher.defaultDispatcher(), () -> sumInParallel());
 * }</pre>
 */
public final class Dispatcher {
    private static final Dispatcher DEFAULT =
            new Dispatcher(Dispatchers.getDefault(), "Dispatcher.default");
    private static final Dispatcher IO = new Dispatcher(Dispatchers.getIO(), "Dispatcher.io");
    private static final Dispatcher UNCONFINED =
            new Dispatcher(Dispatchers.getUnconfined(), "Dispatcher.unconfined");

    private final CoroutineDispatcher dispatcher;
    private final String description;

    private Dispatcher(CoroutineDispatcher dispatcher, String description) {
        this.dispatcher = dispatcher;
        this.description = description;
    }

    /** Kotlin's {@code Dispatchers.Default}: one thread per core, for CPU-bound work. */
    public static Dispatcher defaultDispatcher() {
        return DEFAULT;
    }

    /** Kotlin's {@code Dispatchers.IO}: up to 64 threads (or cores) for blocking calls. */
    public static Dispatcher io() {
        return IO;
    }

    /** Kotlin's {@code Dispatchers.Unconfined}: runs work on whichever thread resumes it. */
    public static Dispatcher unconfined() {
        return UNCONFINED;
    }

    /**
     * A dispatcher running work on {@code executor}; the caller keeps ownership of the executor.
     */
    public static Dispatcher fromExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return new Dispatcher(
                ExecutorsKt.from(executor), "Dispatcher.fromExecutor(" + executor + ")");
    }

    /**
     * A view of this dispatcher that runs at most {@code parallelism} pieces of work at once.
     *
     * @throws IllegalArgumentException if {@code parallelism < 1}
     */
    public Dispatcher limitedParallelism(int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, was " + parallelism);
        }
        return new Dispatcher(
                dispatcher.limitedParallelism(parallelism, null),
                description + ".limitedParallelism(" + parallelism + ")");
    }

    CoroutineDispatcher coroutineDispatcher() {
        return dispatcher;
    }

    @Override
    public String toString() {
        return description;
    }
}
