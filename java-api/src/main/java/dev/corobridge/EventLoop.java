package dev.corobridge;

import dev.corobridge.core.LoopDispatcher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * An explicit single-threaded event loop, for the rare code that manages one itself (asyncio's
 * {@code loop.run_until_complete(main())}); {@link Async#run(Callable)} creates, runs and closes
 * one for you.
 *
 * <p>Task bodies of one loop never run in parallel: they take turns at their awaits, exactly like
 * asyncio, so they share state without locks. The loop runs on a thread of the engine's choosing
 * while the caller waits.
 *
 * <pre>{@code
 * try (EventLoop loop = EventLoop.create()) {
 *     String greeting = loop.runBlocking(() -> hello());
 * }   // closed: running it again throws IllegalStateException
 * }</pre>
 */
public final class EventLoop implements AutoCloseable {
    /**
     * Turns debug mode on for every loop, {@link Async#run(Callable)}'s included, when set to
     * {@code true}: {@code java -Dcorobridge.debug=true ...} (asyncio: {@code
     * PYTHONASYNCIODEBUG=1}).
     */
    public static final String DEBUG_PROPERTY = "corobridge.debug";

    private static final Duration DEFAULT_SLOW_CALLBACK = Duration.ofMillis(100);

    private final LoopDispatcher dispatcher = Async.ENGINE.loops.newLoop();
    private final BodyThreads threads;
    private volatile BiConsumer<String, Throwable> exceptionHandler =
            Async.ENGINE.loops.defaultFailureHandler();
    private volatile boolean debug = Boolean.getBoolean(DEBUG_PROPERTY);
    private volatile Duration slowCallbackDuration = DEFAULT_SLOW_CALLBACK;

    private EventLoop(BodyThreads threads) {
        this.threads = threads;
    }

    /** A new loop whose bodies run on {@link BodyThreads#preferred()} threads. */
    public static EventLoop create() {
        return new EventLoop(BodyThreads.preferred());
    }

    /**
     * A new loop whose bodies run on {@code threads}.
     *
     * @throws IllegalStateException for {@link BodyThreads#VIRTUAL} on a JDK without virtual
     *     threads
     */
    public static EventLoop create(BodyThreads threads) {
        Objects.requireNonNull(threads, "threads");
        threads.requireAvailable();
        return new EventLoop(threads);
    }

    /**
     * Runs {@code body} as this loop's main task and returns its result once it and every task it
     * started have finished (Kotlin's {@code runBlocking}, like {@link Async#runBlocking}). The
     * calling thread waits. It is not asyncio's {@code run_until_complete}, which returns when its
     * future is done and leaves the other tasks pending: a run here leaves nothing behind.
     *
     * <p>One run at a time: a call while another thread's call is running this loop fails at once
     * with {@code IllegalStateException}, it does not wait for its turn (asyncio: "This event loop
     * is already running").
     *
     * @throws Exception the body's own exception, unchanged
     * @throws IllegalStateException if the loop is closed or running, or if called from inside a
     *     running loop
     */
    public <T extends @Nullable Object> T runBlocking(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        return run(false, body);
    }

    /** Runs a body that returns nothing; see {@link #runBlocking(Callable)}. */
    public void runBlocking(AsyncRunnable body) throws Exception {
        Objects.requireNonNull(body, "body");
        run(false, Async.callable(body));
    }

    <T extends @Nullable Object> T run(boolean cancelLeftovers, Callable<T> body) throws Exception {
        if (debug) EventLoopsBean.registerOnce();
        dispatcher.setDebug(debug ? slowCallbackDuration.toNanos() : 0);
        return Async.ENGINE.loops.runLoop(
                dispatcher,
                threads == BodyThreads.VIRTUAL,
                cancelLeftovers,
                exceptionHandler,
                body);
    }

    /**
     * Sets what happens to the exception of a task that failed and that nobody awaited, given the
     * task's name; by default it is logged through {@code System.Logger} "dev.corobridge"
     * (asyncio's exception handler).
     *
     * <p>The handler runs on the thread that called {@code runBlocking}, once per failure, before
     * that call returns. If it throws, the next failures are still handed to it; its exception is
     * logged at {@code ERROR} through the same {@code System.Logger}, followed by the failure it
     * was given (asyncio: "Unhandled error in exception handler"), and is never thrown by {@code
     * runBlocking}, which still returns the body's result or throws its exception.
     */
    public void setExceptionHandler(BiConsumer<String, Throwable> handler) {
        this.exceptionHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Turns debug mode on or off from the next run on (asyncio's {@code loop.set_debug}); it starts
     * as the {@value #DEBUG_PROPERTY} system property says. In debug mode a body that holds the
     * loop longer than {@link #setSlowCallbackDuration(Duration) the slow-callback duration}
     * without an await, the classic blocking call inside async code, is reported while it happens:
     * a {@code WARNING} through {@code System.Logger} "dev.corobridge" that names the task and
     * carries its thread's stack at that moment.
     *
     * <p>Debug mode also records where each task is created (asyncio's source traceback): a task
     * nobody awaited, such as a {@code Task} a verb returned and the caller dropped ({@code
     * Async.sleep(d);} without {@code await()}), is reported once with that place, when it is
     * garbage-collected or when the run ends; a failure nobody retrieved is reported with it too;
     * {@link Async#dumpTasks()} shows each task's age; and the loop's task tree can be read from
     * outside the process ({@link EventLoopsMXBean}). A task counts as awaited once anything waits
     * for it or reads its outcome: {@code await}, {@code join}, {@code get}, a dependent stage,
     * {@code gather}, {@code wait}, {@code waitFor}, a task group, or {@code cancel()}. Off, debug
     * mode costs nothing.
     *
     * <pre>{@code
     * try (EventLoop loop = EventLoop.create()) {
     *     loop.setDebug(true);
     *     loop.runBlocking(() -> {
     *         Thread.sleep(500);   // WARNING: task 'main' has held the event loop for 100 ms ...
     *         Async.sleep(Duration.ofSeconds(1));   // at the end: task 'Task-2' from Async.sleep
     *         return null;                          //   at ... was never awaited
     *     });
     * }
     * }</pre>
     */
    public void setDebug(boolean enabled) {
        this.debug = enabled;
    }

    /** True if debug mode is on; see {@link #setDebug(boolean)}. */
    public boolean isDebug() {
        return debug;
    }

    /**
     * How long a body may hold the loop without an await before debug mode warns: 100 ms unless set
     * (asyncio's {@code loop.slow_callback_duration}). Takes effect from the next run.
     *
     * @throws IllegalArgumentException if {@code duration} is zero, negative or longer than a day
     */
    public void setSlowCallbackDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()
                || duration.isZero()
                || duration.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(
                    "the slow-callback duration must be positive and at most a day, was "
                            + duration);
        }
        this.slowCallbackDuration = duration;
    }

    /** How long a body may hold the loop before debug mode warns. */
    public Duration getSlowCallbackDuration() {
        return slowCallbackDuration;
    }

    /** True while {@code runBlocking} is running. */
    public boolean isRunning() {
        return dispatcher.isRunning();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return dispatcher.isClosed();
    }

    /**
     * Closes the loop; later {@code runBlocking} calls throw {@code IllegalStateException}.
     * Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        dispatcher.close();
    }
}
