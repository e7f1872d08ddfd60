package dev.corobridge;

import dev.corobridge.core.Engine;
import dev.corobridge.core.Groups;
import dev.corobridge.core.ProgressSink;
import dev.corobridge.core.StatementCallable;
import dev.corobridge.core.TaskFutureKt;
import dev.corobridge.stream.AsyncStream;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * asyncio for Java: every verb of {@code asyncio} as a static method, running on Kotlin coroutines.
 *
 * <p><b>Bodies.</b> An {@code async def} is any Java method run inside a task: a {@link Callable}
 * or an {@link AsyncRunnable} given to {@link #run(Callable)}, {@link #launch(Callable)} and
 * friends. Inside a body, {@link Task#await()} suspends only that task. A body runs on its own
 * virtual thread when the JDK has them (21+), else on a pooled platform thread. Tasks of one event
 * loop never run in parallel: they interleave at awaits only, exactly like asyncio. Parallelism is
 * explicit: {@link #toThread(Callable)}, {@link #compute(Callable)}, or a loop on a parallel {@link
 * Dispatcher}.
 *
 * <p><b>Tasks.</b> Every operation returns a {@link Task}, a {@link CompletableFuture}. A task
 * started inside a task is its child: cancelling a task cancels everything it started. Outside any
 * task, tasks run on a shared background dispatcher and are plain futures.
 *
 * <p><b>Exceptions.</b> One policy: {@code await()} rethrows the task's own exception unchanged,
 * checked ones too, so {@code catch (IOException e)} around an await works; {@code join()}/{@code
 * get()} keep their JDK wrapping. Bad arguments fail at the call: {@code NullPointerException}
 * naming the parameter, {@code IllegalArgumentException} for negative durations, {@code
 * IllegalStateException} for await outside a task, nested {@code run} or a closed loop.
 *
 * <pre>{@code
 * static void download(int i) throws Exception {
 *     System.out.println("Start " + i);
 *     Async.sleep(Duration.ofSeconds(1)).await();
 *     System.out.println("End " + i);
 * }
 *
 * public static void main(String[] args) throws Exception {
 *     Async.run(() -> {
 *         List<Task<Void>> tasks = IntStream.range(0, 3).mapToObj(i -> Async.launch(() -> download(i))).toList();
 *         Async.gather(tasks).await();   // Start 0..2, End 0..2, about 1 s in all
 *     });
 * }
 * }</pre>
 *
 * <table>
 * <caption>asyncio and corobridge</caption>
 * <tr><th>asyncio</th><th>corobridge</th></tr>
 * <tr><td>{@code asyncio.run(main())}</td><td>{@link #run(Callable)}</td></tr>
 * <tr><td>{@code asyncio.create_task(c)}</td><td>{@link #launch(Callable)}</td></tr>
 * <tr><td>{@code await t}</td><td>{@link Task#await()}</td></tr>
 * <tr><td>{@code asyncio.gather(*ts)}</td><td>{@link #gather(java.util.Collection)}</td></tr>
 * <tr><td>{@code asyncio.sleep(s)}</td><td>{@link #sleep(Duration)}</td></tr>
 * <tr><td>{@code asyncio.wait_for(t, s)}</td><td>{@link #waitFor(CompletableFuture, Duration)}</td></tr>
 * <tr><td>{@code asyncio.TaskGroup()}</td><td>{@link #taskGroup(TaskGroupBody)}</td></tr>
 * <tr><td>{@code asyncio.to_thread(f)}</td><td>{@link #toThread(Callable)}</td></tr>
 * <tr><td>{@code async with r:}</td><td>try-with-resources on an {@link AsyncCloseable};
 *     {@link #using(Callable, ResourceBody)}</td></tr>
 * <tr><td>(a Kotlin {@code suspend fun})</td><td>{@link #suspending(SuspendCall)}</td></tr>
 * </table>
 */
public final class Async {
    static final Engine ENGINE = Engine.connect(MethodHandles.lookup(), Task::new);

    private Async() {}

    // --- event loops

    /**
     * Runs {@code body} as the main task of a new event loop and returns its result: asyncio's
     * {@code asyncio.run}. The calling thread waits. When the body returns, tasks it left running
     * are cancelled and their cleanup awaited; then the loop is closed. Failed tasks that nobody
     * awaited are logged.
     *
     * <pre>{@code
     * String greeting = Async.run(() -> {
     *     Async.sleep(Duration.ofMillis(10)).await();
     *     return "Hello";
     * });
     * }</pre>
     *
     * @return the body's result
     * @throws Exception the body's own exception, unchanged
     * @throws IllegalStateException if called from inside a running event loop
     */
    public static <T extends @Nullable Object> T run(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        return runOnNewLoop(true, body);
    }

    /** Runs a body that returns nothing; see {@link #run(Callable)}. */
    public static void run(AsyncRunnable body) throws Exception {
        Objects.requireNonNull(body, "body");
        run(callable(body));
    }

    /**
     * Runs {@code body} as the main task of a loop on {@code dispatcher}, whose bodies may run in
     * parallel (there is no run permit); otherwise like {@link #run(Callable)}.
     *
     * <pre>{@code
     * Async.run(Dispatcher.defaultDispatcher(), () -> Async.gather(parts).await());
     * }</pre>
     */
    public static <T extends @Nullable Object> T run(Dispatcher dispatcher, Callable<T> body)
            throws Exception {
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(body, "body");
        boolean debug = Boolean.getBoolean(EventLoop.DEBUG_PROPERTY);
        if (debug) EventLoopsBean.registerOnce();
        return ENGINE.loops.runOn(
                dispatcher.coroutineDispatcher(),
                true,
                debug,
                ENGINE.loops.defaultFailureHandler(),
                body);
    }

    /**
     * Runs a body that returns nothing on {@code dispatcher}; see {@link #run(Dispatcher,
     * Callable)}.
     */
    public static void run(Dispatcher dispatcher, AsyncRunnable body) throws Exception {
        Objects.requireNonNull(body, "body");
        run(dispatcher, callable(body));
    }

    /**
     * Like {@link #run(Callable)}, but waits for every task the body started instead of cancelling
     * them: Kotlin's {@code runBlocking}.
     *
     * <pre>{@code
     * Async.runBlocking(() -> { Async.launch(() -> save(report)); });   // returns after save finished
     * }</pre>
     */
    public static <T extends @Nullable Object> T runBlocking(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        return runOnNewLoop(false, body);
    }

    /** Runs a body that returns nothing; see {@link #runBlocking(Callable)}. */
    public static void runBlocking(AsyncRunnable body) throws Exception {
        Objects.requireNonNull(body, "body");
        runBlocking(callable(body));
    }

    // --- tasks

    /**
     * Starts {@code body} as a task and returns at once: asyncio's {@code create_task}. Inside a
     * task the new task is its child on the same loop and starts at the caller's next await;
     * outside, it starts on a shared background dispatcher.
     *
     * <pre>{@code
     * Task<String> page = Async.launch(() -> fetch(url));
     * System.out.println(page.await());
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<T> launch(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return (Task<T>) ENGINE.tasks.launch(null, body);
    }

    /** Starts a body that returns nothing; see {@link #launch(Callable)}. */
    public static Task<@Nullable Void> launch(AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        return launch(callable(body));
    }

    /**
     * Starts {@code body} as a task named {@code name} (see {@link Task#name()}); see {@link
     * #launch(Callable)}.
     */
    public static <T extends @Nullable Object> Task<T> launch(String name, Callable<T> body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        return (Task<T>) ENGINE.tasks.launch(name, body);
    }

    /** Starts a body that returns nothing as a task named {@code name}. */
    public static Task<@Nullable Void> launch(String name, AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        return launch(name, callable(body));
    }

    /**
     * Calls a Kotlin {@code suspend} function from Java and returns it as a task: the lambda
     * receives the {@code Continuation} to pass as the function's last argument. Whether the
     * function returns at once or suspends, the task completes with the function's own value or
     * exception. The call runs in the current task's context (its loop, and its name as the {@code
     * CoroutineName} when the task was named); cancelling the task cancels the Kotlin call. Works
     * inside and outside {@link #run(Callable)}.
     *
     * <p>Java code may also resume the continuation itself, from any thread; the task then goes on
     * through its own dispatcher (its loop), not on the resuming thread. It resumes the task once:
     * a second {@code resumeWith} throws {@code IllegalStateException} at that call, and the task
     * keeps its first outcome.
     *
     * <pre>{@code
     * // Kotlin: class UserService { suspend fun fetch(id: Int): User }
     * User user = Async.<User>suspending(c -> userService.fetch(42, c)).await();
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<T> suspending(SuspendCall<T> call) {
        Objects.requireNonNull(call, "call");
        return (Task<T>) ENGINE.kotlin.<T>suspending(call);
    }

    /**
     * Awaits any {@link CompletionStage} inside a task body: the value, or its own exception
     * unwrapped. For a {@link Task} this is {@link Task#await()}.
     *
     * <pre>{@code
     * HttpResponse<String> response = Async.await(client.sendAsync(request, BodyHandlers.ofString()));
     * }</pre>
     *
     * @throws IllegalStateException outside a task body
     */
    public static <T extends @Nullable Object> T await(CompletionStage<T> stage) throws Exception {
        Objects.requireNonNull(stage, "stage");
        return ENGINE.tasks.await(stage.toCompletableFuture());
    }

    /**
     * The task whose body is running on this thread, or null outside task bodies: asyncio's {@code
     * current_task()}.
     *
     * <pre>{@code
     * System.out.println("running in " + Async.currentTask().name());
     * }</pre>
     */
    public static @Nullable Task<?> currentTask() {
        return (Task<?>) ENGINE.tasks.currentTask();
    }

    /**
     * Every unfinished task of the current event loop, the caller included: asyncio's {@code
     * all_tasks()}.
     *
     * @throws IllegalStateException outside a task body
     */
    public static Set<Task<?>> allTasks() {
        Set<Task<?>> tasks = new LinkedHashSet<>();
        for (var task : ENGINE.tasks.allTasks()) {
            tasks.add((Task<?>) task);
        }
        return tasks;
    }

    /**
     * The current event loop's unfinished tasks as a tree, like {@code pstree} (Python's {@code
     * python -m asyncio pstree}): each task under the task that started it, one per line, with its
     * name, its state (running, awaiting which task, cancelling) and, for a Java body, the line of
     * its code where it waits; in debug mode ({@link EventLoop#setDebug}) its age too, and an
     * engine's task by the verb that made it. For a log line when something hangs, or a debug
     * endpoint; from outside the process, see {@link EventLoopsMXBean}.
     *
     * <pre>{@code
     * System.out.print(Async.dumpTasks());
     * // Task-1 (running) at com.example.Crawler.main(Crawler.java:12)
     * //   fetch-1 (awaiting task 'Task-4') at com.example.Crawler.fetch(Crawler.java:30)
     * // in debug mode:
     * //   crawler (awaiting Async.gather, age 1.2 s) at com.example.Crawler.crawl(Crawler.java:20)
     * }</pre>
     *
     * @throws IllegalStateException outside a task body
     */
    public static String dumpTasks() {
        return ENGINE.tasks.dumpTasks();
    }

    // --- time

    /**
     * A task that completes after {@code duration}: asyncio's {@code sleep}. Awaiting it suspends
     * only the caller.
     *
     * <pre>{@code
     * Async.sleep(Duration.ofSeconds(1)).await();
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static Task<@Nullable Void> sleep(Duration duration) {
        return (Task<@Nullable Void>) ENGINE.time.sleep(nanos(duration, "duration"));
    }

    /**
     * A task that completes once every task that is ready now has had a turn: asyncio's {@code
     * sleep(0)}.
     *
     * <pre>{@code
     * while (working()) { step(); Async.yieldNow().await(); }
     * }</pre>
     */
    public static Task<@Nullable Void> yieldNow() {
        return (Task<@Nullable Void>) ENGINE.time.yieldNow();
    }

    /**
     * Runs {@code body} as a task with a time limit: Python's {@code async with
     * asyncio.timeout(...)}. When the limit passes, the body is cancelled (it sees {@code
     * CancellationException} at its await), its cleanup is awaited, and the task fails with {@link
     * java.util.concurrent.TimeoutException}. The work really stops, unlike {@code
     * CompletableFuture.orTimeout}.
     *
     * <pre>{@code
     * try {
     *     Async.timeout(Duration.ofSeconds(2), () -> slowQuery()).await();
     * } catch (TimeoutException e) { ... }
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public static <T extends @Nullable Object> Task<T> timeout(Duration limit, Callable<T> body) {
        long nanos = nanos(limit, "limit");
        Objects.requireNonNull(body, "body");
        return (Task<T>) ENGINE.time.timeout(nanos, body);
    }

    /**
     * Runs a body that returns nothing with a time limit; see {@link #timeout(Duration, Callable)}.
     */
    public static Task<@Nullable Void> timeout(Duration limit, AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        return timeout(limit, callable(body));
    }

    /**
     * Waits for {@code task} at most {@code limit}: asyncio's {@code wait_for}. On timeout the task
     * is cancelled and its cleanup awaited before the returned task fails with {@link
     * java.util.concurrent.TimeoutException}. Cancelling the returned task cancels {@code task}
     * too.
     *
     * <pre>{@code
     * String page = Async.waitFor(Async.launch(() -> fetch(url)), Duration.ofSeconds(5)).await();
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<T> waitFor(
            CompletableFuture<T> task, Duration limit) {
        Objects.requireNonNull(task, "task");
        return (Task<T>) ENGINE.time.waitFor(task, nanos(limit, "limit"));
    }

    /**
     * A task that completes like {@code task} but whose cancellation leaves {@code task} running:
     * asyncio's {@code shield}. (Cancelling the task that started {@code task} still cancels it:
     * that is structure, not an await.)
     *
     * <pre>{@code
     * Task<Void> save = Async.launch(() -> saveOrder(order));
     * Async.shield(save).await();   // if we are cancelled here, the save still completes
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<T> shield(CompletableFuture<T> task) {
        Objects.requireNonNull(task, "task");
        return (Task<T>) ENGINE.tasks.shield(task);
    }

    // --- many tasks

    /**
     * A task whose value is the tasks' results in argument order: asyncio's {@code gather}. The
     * first failure fails it at once with that task's own exception (the others keep running, as in
     * asyncio); cancelling it cancels all the tasks.
     *
     * <pre>{@code
     * List<String> pages = Async.gather(List.of(Async.launch(() -> fetch(a)), Async.launch(() -> fetch(b)))).await();
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<List<T>> gather(
            java.util.Collection<? extends CompletableFuture<? extends T>> tasks) {
        return (Task<List<T>>) ENGINE.groups.<T>gather(checkedList(tasks), null);
    }

    /**
     * Like {@link #gather(java.util.Collection)}, telling {@code progress} of each task as it ends,
     * until the gather does. The listener is called on the loop, one call at a time, in a turn of
     * its own after the task ended; it must not block or await. If it throws, it is not called
     * again and the gather fails with its exception once the tasks have ended.
     *
     * <pre>{@code
     * List<String> pages = Async.gather(downloads, p -> System.out.printf("%d/%d%n", p.done(), p.total())).await();
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<List<T>> gather(
            java.util.Collection<? extends CompletableFuture<? extends T>> tasks,
            Consumer<Progress> progress) {
        return (Task<List<T>>) ENGINE.groups.<T>gather(checkedList(tasks), sink(progress));
    }

    /** Gathers the tasks given as arguments; see {@link #gather(java.util.Collection)}. */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, element by element, into a new list
    public static <T extends @Nullable Object> Task<List<T>> gather(
            CompletableFuture<? extends T>... tasks) {
        return gather(listOf(tasks));
    }

    /**
     * A task whose value is every task's {@link Outcome} in argument order, once all have finished:
     * asyncio's {@code gather(..., return_exceptions=True)}. It fails only if it is itself
     * cancelled (which cancels the tasks).
     *
     * <pre>{@code
     * for (Outcome<String> outcome : Async.gatherSettled(tasks).await()) { ... }
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<List<Outcome<T>>> gatherSettled(
            java.util.Collection<? extends CompletableFuture<? extends T>> tasks) {
        return (Task<List<Outcome<T>>>)
                ENGINE.groups.<T, Outcome<T>>gatherSettled(
                        checkedList(tasks), Async::outcomeOf, null);
    }

    /**
     * Like {@link #gatherSettled(java.util.Collection)}, telling {@code progress} of each task as
     * it ends; see {@link #gather(java.util.Collection, Consumer)} for how it is called.
     */
    public static <T extends @Nullable Object> Task<List<Outcome<T>>> gatherSettled(
            java.util.Collection<? extends CompletableFuture<? extends T>> tasks,
            Consumer<Progress> progress) {
        return (Task<List<Outcome<T>>>)
                ENGINE.groups.<T, Outcome<T>>gatherSettled(
                        checkedList(tasks), Async::outcomeOf, sink(progress));
    }

    private static ProgressSink sink(Consumer<Progress> progress) {
        Objects.requireNonNull(progress, "progress");
        return (done, failed, total) -> progress.accept(new Progress(done, failed, total));
    }

    /**
     * Gathers the outcomes of the tasks given as arguments; see {@link
     * #gatherSettled(java.util.Collection)}.
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, element by element, into a new list
    public static <T extends @Nullable Object> Task<List<Outcome<T>>> gatherSettled(
            CompletableFuture<? extends T>... tasks) {
        return gatherSettled(listOf(tasks));
    }

    /**
     * Waits until {@code when} holds for {@code tasks} and returns them split into done and
     * pending: asyncio's {@code asyncio.wait}. Unlike {@link #gather}, it neither fails nor cancels
     * anything: read each done task's outcome, and cancel the pending ones yourself if need be.
     *
     * <pre>{@code
     * var waited = Async.wait(List.of(primary, fallback), ReturnWhen.FIRST_COMPLETED).await();
     * String first = waited.done().iterator().next().await();
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code tasks} is empty (asyncio's ValueError)
     */
    public static <F extends CompletableFuture<?>> Task<DoneAndPending<F>> wait(
            java.util.Collection<F> tasks, ReturnWhen when) {
        return waitNanos(tasks, when, -1);
    }

    /**
     * Like {@link #wait(java.util.Collection, ReturnWhen)}, returning at the latest once {@code
     * limit} has passed (asyncio's {@code timeout=}): the tasks not done by then are in {@code
     * pending}, still running.
     */
    public static <F extends CompletableFuture<?>> Task<DoneAndPending<F>> wait(
            java.util.Collection<F> tasks, ReturnWhen when, Duration limit) {
        return waitNanos(tasks, when, nanos(limit, "limit"));
    }

    private static <F extends CompletableFuture<?>> Task<DoneAndPending<F>> waitNanos(
            java.util.Collection<F> tasks, ReturnWhen when, long limitNanos) {
        Objects.requireNonNull(when, "when");
        List<F> list = checkedFutures(tasks);
        int code =
                switch (when) {
                    case ALL_COMPLETED -> Groups.ALL_COMPLETED;
                    case FIRST_COMPLETED -> Groups.FIRST_COMPLETED;
                    case FIRST_EXCEPTION -> Groups.FIRST_EXCEPTION;
                };
        return (Task<DoneAndPending<F>>)
                ENGINE.groups.wait(
                        list,
                        code,
                        limitNanos,
                        (done, pending) ->
                                new DoneAndPending<>(
                                        new LinkedHashSet<>(done), new LinkedHashSet<>(pending)));
    }

    /**
     * The tasks themselves, in the order they complete: asyncio's {@code as_completed} (and its
     * {@code async for} form of Python 3.13). Iterate it inside a task body; each task it gives has
     * completed, so awaiting it returns at once.
     *
     * <pre>{@code
     * for (Task<String> page : Async.asCompleted(downloads)) {
     *     System.out.println(page.await());
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code tasks} is empty
     */
    public static <F extends CompletableFuture<?>> AsyncStream<F> asCompleted(
            java.util.Collection<F> tasks) {
        return AsyncStream.fromFlow(ENGINE.groups.asCompleted(checkedFutures(tasks), -1, null));
    }

    /**
     * Like {@link #asCompleted(java.util.Collection)}, telling {@code progress} of each task just
     * before the stream gives it, in the iterating task; an exception it throws ends the iteration
     * with that exception.
     *
     * <pre>{@code
     * for (var page : Async.asCompleted(downloads, p -> bar.stepTo(p.done()))) { save(page.await()); }
     * }</pre>
     */
    public static <F extends CompletableFuture<?>> AsyncStream<F> asCompleted(
            java.util.Collection<F> tasks, Consumer<Progress> progress) {
        return AsyncStream.fromFlow(
                ENGINE.groups.asCompleted(checkedFutures(tasks), -1, sink(progress)));
    }

    /**
     * Like {@link #asCompleted(java.util.Collection)}; iterating fails with {@link
     * java.util.concurrent.TimeoutException} once {@code limit} has passed, counted from when the
     * iteration starts, with tasks still pending (they keep running).
     */
    public static <F extends CompletableFuture<?>> AsyncStream<F> asCompleted(
            java.util.Collection<F> tasks, Duration limit) {
        return AsyncStream.fromFlow(
                ENGINE.groups.asCompleted(checkedFutures(tasks), nanos(limit, "limit"), null));
    }

    /**
     * Like {@link #asCompleted(java.util.Collection, Duration)}, with a progress listener as in
     * {@link #asCompleted(java.util.Collection, Consumer)}.
     */
    public static <F extends CompletableFuture<?>> AsyncStream<F> asCompleted(
            java.util.Collection<F> tasks, Duration limit, Consumer<Progress> progress) {
        return AsyncStream.fromFlow(
                ENGINE.groups.asCompleted(
                        checkedFutures(tasks), nanos(limit, "limit"), sink(progress)));
    }

    private static <F extends CompletableFuture<?>> List<F> checkedFutures(
            java.util.Collection<F> tasks) {
        List<F> list = nonNullCopy(tasks);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no tasks to wait for: give at least one");
        }
        if (new java.util.HashSet<>(list).size() != list.size()) {
            throw new IllegalArgumentException(
                    "a task is given twice: give each once (asyncio takes a set)");
        }
        return list;
    }

    /**
     * Runs {@code body} as a task group and returns the group's task: asyncio's {@code TaskGroup}.
     * See {@link TaskGroup} for the failure rules.
     *
     * <pre>{@code
     * Async.taskGroup(group -> {
     *     group.launch(() -> fetch("a"));
     *     group.launch(() -> fetch("b"));
     * }).await();
     * }</pre>
     */
    public static Task<@Nullable Void> taskGroup(TaskGroupBody body) {
        Objects.requireNonNull(body, "body");
        return (Task<@Nullable Void>)
                ENGINE.groups.<@Nullable Void>taskGroup(
                        scope ->
                                () -> {
                                    body.run(new TaskGroup(scope));
                                    return null;
                                });
    }

    // --- resources

    /**
     * Opens a resource, runs {@code body} with it and closes it, as one task: {@code async with} in
     * the future style. {@code open} and {@code body} run in the task's body and may await; closing
     * runs even when the task is cancelled, and a failure to close is added as suppressed to the
     * body's own exception (try-with-resources rules).
     *
     * <pre>{@code
     * Task<String> reply = Async.using(() -> Connection.open(url), connection -> connection.send("hi").await());
     * }</pre>
     */
    public static <X extends Exception, R extends AsyncCloseable<X>, T extends @Nullable Object>
            Task<T> using(Callable<R> open, ResourceBody<? super R, T> body) {
        Objects.requireNonNull(open, "open");
        Objects.requireNonNull(body, "body");
        return launch(
                () -> {
                    try (R resource = open.call()) {
                        return body.apply(resource);
                    }
                });
    }

    // --- threads

    /**
     * Runs blocking {@code work} on Kotlin's IO dispatcher: asyncio's {@code to_thread}. Cancelling
     * the task interrupts the worker thread (which asyncio cannot do) and waits for it to return.
     *
     * <pre>{@code
     * String text = Async.toThread(() -> Files.readString(path)).await();
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<T> toThread(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return (Task<T>) ENGINE.threads.toThread(work);
    }

    /** Runs blocking work that returns nothing; see {@link #toThread(Callable)}. */
    public static Task<@Nullable Void> toThread(AsyncRunnable work) {
        Objects.requireNonNull(work, "work");
        return toThread(callable(work));
    }

    /**
     * Runs CPU-bound {@code work} on Kotlin's default dispatcher (one thread per core), where
     * asyncio would use a process pool. Cancelling the task interrupts the worker thread.
     *
     * <pre>{@code
     * BigInteger f = Async.compute(() -> factorial(10_000)).await();
     * }</pre>
     */
    public static <T extends @Nullable Object> Task<T> compute(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return (Task<T>) ENGINE.threads.compute(work);
    }

    // --- helpers

    private static <T extends @Nullable Object> T runOnNewLoop(
            boolean cancelLeftovers, Callable<T> body) throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            return loop.run(cancelLeftovers, body);
        }
    }

    static Callable<@Nullable Void> callable(AsyncRunnable body) {
        return new StatementCallable(body);
    }

    private static long nanos(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + duration);
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE; // about 292 years: as good as forever
        }
    }

    private static <T extends @Nullable Object> List<CompletableFuture<? extends T>> checkedList(
            java.util.Collection<? extends CompletableFuture<? extends T>> tasks) {
        return Async.<CompletableFuture<? extends T>>nonNullCopy(tasks);
    }

    /** A copy of {@code tasks}, which must hold no null. */
    private static <E> List<E> nonNullCopy(java.util.Collection<? extends E> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<E> list = new ArrayList<>(tasks);
        for (int i = 0; i < list.size(); i++) {
            Objects.requireNonNull(list.get(i), "tasks[" + i + "]");
        }
        return list;
    }

    @SafeVarargs
    private static <T extends @Nullable Object> List<CompletableFuture<? extends T>> listOf(
            CompletableFuture<? extends T>... tasks) {
        Objects.requireNonNull(tasks, "tasks");
        List<CompletableFuture<? extends T>> list = new ArrayList<>(tasks.length);
        for (CompletableFuture<? extends T> task : tasks) {
            list.add(task);
        }
        return list;
    }

    private static <T extends @Nullable Object> Outcome<T> outcomeOf(
            CompletableFuture<? extends T> settled) {
        try {
            return new Outcome.Success<>(TaskFutureKt.outcome(settled));
        } catch (CancellationException e) {
            return new Outcome.Cancelled<>(e);
        } catch (Throwable e) {
            return new Outcome.Failure<>(e);
        }
    }
}
