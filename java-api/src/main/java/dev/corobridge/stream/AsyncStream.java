package dev.corobridge.stream;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.core.Streams;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow.Publisher;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import kotlinx.coroutines.flow.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A cold asynchronous sequence that a task body iterates with a plain {@code for} loop: Python's
 * {@code async for}, and Kotlin's {@code Flow} (which it wraps: see {@link #fromFlow(Flow)}, {@link
 * #asFlow()}), and the JDK's reactive streams (see {@link #fromPublisher(Publisher)}, {@link
 * #asPublisher()}).
 *
 * <p><b>Iterating.</b> Inside a task body, {@code for (var x : stream)} awaits each element: only
 * that task waits, the loop runs the others. Outside any task body, iterating throws {@code
 * IllegalStateException}; use {@link #toList()} or {@link #collect(AsyncConsumer)}, which return a
 * {@link Task}, there. Each iteration runs the stream afresh: nothing runs before the first {@code
 * hasNext()} (like a Python async generator, and unlike a {@code Task}, which starts at once).
 *
 * <p><b>Producer and back-pressure.</b> The elements are produced by a task that is a child of the
 * iterating task. Without {@link #buffer(int)} it is a rendezvous: a generator's {@link
 * Emitter#emit(Object)} returns only when the consumer asks for the next element, so it never runs
 * ahead (Python's {@code yield}).
 *
 * <p><b>Stopping.</b> Cancelling the iterating task cancels the producer. Leaving a {@code for}
 * loop early stops the producer when the iterating body returns; close the {@link AsyncIterator}
 * (try-with-resources) to stop it at once. {@link #take(long)} stops it after the last element.
 *
 * <p><b>Failures.</b> An exception of the producer (a generator body, a {@code map} function, the
 * Kotlin flow) reaches the consumer's loop as the same object, unwrapped, checked ones too,
 * although {@link java.util.Iterator} does not declare them: catch {@code Exception} around the
 * loop.
 *
 * <p>Operators ({@link #map}, {@link #filter}, {@link #take}, {@link #buffer}) are lazy and return
 * a new stream; their functions run on the event loop, between the awaits of task bodies, and must
 * not block or await. An {@code AsyncStream} is immutable and may be iterated any number of times.
 *
 * <pre>{@code
 * // async def ticker(n):
 * //     for i in range(n):
 * //         await asyncio.sleep(0.1)
 * //         yield i
 * AsyncStream<Integer> ticker = AsyncStream.generate(out -> {
 *     for (int i = 0; i < 3; i++) {
 *         Async.sleep(Duration.ofMillis(100)).await();
 *         out.emit(i);
 *     }
 * });
 * Async.run(() -> {
 *     for (String line : ticker.map(i -> "tick " + i)) {   // async for line in ...
 *         System.out.println(line);
 *     }
 * });
 * }</pre>
 *
 * @param <T> the type of the elements
 */
public final class AsyncStream<T extends @Nullable Object> implements Iterable<T> {
    private static final int DEFAULT_PUBLISHER_BUFFER = 16;

    private final Flow<T> flow;

    private AsyncStream(Flow<T> flow) {
        this.flow = flow;
    }

    // --- sources

    /**
     * An async generator: Python's {@code async def gen(): ... yield x}. {@code body} runs as a
     * task body (it may await) each time the stream is iterated, starting at the first {@code
     * hasNext()}; each {@link Emitter#emit(Object)} hands one element to the consumer and waits
     * until the consumer asks for the next one. When the consumer stops early, the body is
     * cancelled at its {@code emit} and its {@code finally} blocks run. The body's exception
     * reaches the consumer's loop unchanged.
     *
     * <pre>{@code
     * AsyncStream<Integer> squares = AsyncStream.generate(out -> {
     *     for (int i = 1; i <= 3; i++) out.emit(i * i);
     * });
     * }</pre>
     */
    public static <T extends @Nullable Object> AsyncStream<T> generate(GeneratorBody<T> body) {
        Objects.requireNonNull(body, "body");
        return new AsyncStream<>(
                Streams.<T>generate(
                        emitter ->
                                () -> {
                                    body.run(new Emitter<>(emitter));
                                    return null;
                                }));
    }

    /**
     * A stream of the given values, in order.
     *
     * <pre>{@code
     * AsyncStream<String> names = AsyncStream.of("ada", "grace");
     * }</pre>
     */
    @SafeVarargs
    public static <T extends @Nullable Object> AsyncStream<T> of(T... values) {
        Objects.requireNonNull(values, "values");
        // Copied element by element: handing the varargs array itself on is what @SafeVarargs
        // forbids.
        List<T> copy = new ArrayList<>(values.length);
        for (T value : values) copy.add(value);
        return new AsyncStream<>(Streams.fromIterable(copy));
    }

    /**
     * A stream of the elements of {@code values}, read anew by each iteration.
     *
     * <pre>{@code
     * AsyncStream<Path> files = AsyncStream.from(List.of(a, b));
     * }</pre>
     */
    public static <T extends @Nullable Object> AsyncStream<T> from(Iterable<? extends T> values) {
        Objects.requireNonNull(values, "values");
        @SuppressWarnings("unchecked") // Iterable is only read: covariance is safe
        Iterable<T> elements = (Iterable<T>) values;
        return new AsyncStream<>(Streams.fromIterable(elements));
    }

    /**
     * A stream over a Kotlin {@code Flow}: Java iterates any Kotlin flow with a {@code for} loop,
     * no wrapper needed. Each iteration collects the flow afresh; stopping early cancels the
     * collection, so the flow's {@code finally}/{@code onCompletion} run.
     *
     * <pre>{@code
     * for (Price price : AsyncStream.fromFlow(kotlinQuotes.prices("EUR"))) { ... }
     * }</pre>
     */
    public static <T extends @Nullable Object> AsyncStream<T> fromFlow(Flow<? extends T> flow) {
        Objects.requireNonNull(flow, "flow");
        @SuppressWarnings("unchecked") // Flow<out T> is covariant in Kotlin
        Flow<T> elements = (Flow<T>) flow;
        return new AsyncStream<>(elements);
    }

    /**
     * This stream as a Kotlin {@code Flow}, for Kotlin code to {@code collect}. A generator's body
     * then runs as a task under the collecting coroutine.
     */
    public Flow<T> asFlow() {
        return flow;
    }

    /**
     * A stream over a JDK reactive-streams {@link Publisher} (Reactor's {@code Flux}, RxJava's
     * {@code Flowable}, Mutiny's {@code Multi}, a {@link java.util.concurrent.SubmissionPublisher},
     * an HTTP response body): Java iterates it with a {@code for} loop inside a task body. Same as
     * {@link #fromPublisher(Publisher, int)} with a buffer of 16.
     *
     * <pre>{@code
     * Async.run(() -> {
     *     for (String line : AsyncStream.fromPublisher(flux)) { ... }
     * });
     * }</pre>
     */
    public static <T> AsyncStream<T> fromPublisher(Publisher<? extends T> publisher) {
        return fromPublisher(publisher, DEFAULT_PUBLISHER_BUFFER);
    }

    /**
     * A stream over a JDK reactive-streams {@link Publisher}, with back-pressure: the publisher is
     * never asked for more than {@code bufferSize} elements beyond those the consumer has taken.
     *
     * <p>Each iteration subscribes once (the stream is cold: nothing is subscribed before the first
     * {@code hasNext()}) and requests in batches: {@code bufferSize} at first, then again each time
     * three quarters of it are consumed. The publisher may signal from any thread; the elements are
     * handed to the iterating task on its event loop. {@code onComplete} ends the loop; {@code
     * onError}'s exception is thrown from the loop as the same object. Stopping the iteration
     * (leaving the loop, closing the iterator, cancelling the task, {@link #take(long)}) cancels
     * the subscription. A publisher that sends more than requested (rule 1.1) fails the stream with
     * {@code IllegalStateException}.
     *
     * <pre>{@code
     * var publisher = new SubmissionPublisher<String>();
     * Async.run(() -> {
     *     for (String event : AsyncStream.fromPublisher(publisher, 64)) {
     *         if (event.equals("stop")) break;   // cancels the subscription
     *     }
     * });
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code bufferSize} is not positive
     */
    public static <T> AsyncStream<T> fromPublisher(
            Publisher<? extends T> publisher, int bufferSize) {
        Objects.requireNonNull(publisher, "publisher");
        return new AsyncStream<>(Streams.<T>fromPublisher(publisher, bufferSize));
    }

    /**
     * This stream as a JDK reactive-streams {@link Publisher}: for Reactor ({@code
     * JdkFlowAdapter.flowPublisherToFlux(p)}), Mutiny ({@code Multi.createFrom().publisher(p)}),
     * RxJava (through {@code org.reactivestreams.FlowAdapters}) or a JDK HTTP request body ({@code
     * BodyPublishers.fromPublisher(p)}).
     *
     * <p>Each {@code subscribe} runs the stream afresh and emits only as much as requested: a
     * generator is paused at its {@code emit} while the demand is zero. {@code request(n)}
     * accumulates ({@code Long.MAX_VALUE}, or a sum that overflows, means unbounded); {@code
     * request(n)} with {@code n <= 0} fails the subscription with {@code IllegalArgumentException}
     * (rule 3.9). The stream ends with exactly one {@code onComplete}, or one {@code onError}
     * carrying the stream's own exception; a {@code null} element fails it with {@code
     * NullPointerException}, as a publisher may not emit null.
     *
     * <p><b>Threading.</b> {@code onSubscribe} is called on the subscribing thread, inside {@code
     * subscribe}; every other signal comes from the stream's producer, a coroutine on the shared
     * background dispatcher (Kotlin's {@code Dispatchers.Default}), one at a time, never
     * concurrently. The producer is not a child of any task: the subscription lasts until the
     * stream ends or the subscriber cancels it. {@code onNext} should hand heavy or blocking work
     * elsewhere, as it holds that dispatcher's thread; an exception thrown by {@code onNext} fails
     * the subscription with that exception.
     *
     * <p><b>Cancellation.</b> {@code cancel()} stops the producer at its next suspension (a
     * generator at its {@code emit}, its {@code finally} run); no signal follows a {@code cancel()}
     * made from {@code onNext}, and at most the element being delivered follows one made from
     * another thread.
     *
     * <pre>{@code
     * Flow.Publisher<Integer> publisher = AsyncStream.of(1, 2, 3).asPublisher();
     * publisher.subscribe(subscriber);            // on any thread, inside a task or not
     * }</pre>
     */
    public Publisher<T> asPublisher() {
        return Streams.asPublisher(flow);
    }

    // --- operators

    /**
     * A stream of {@code transform} applied to each element; lazy. {@code transform} runs on the
     * event loop and must not block or await.
     *
     * <pre>{@code
     * AsyncStream<String> labels = numbers.map(n -> "#" + n);
     * }</pre>
     */
    public <R extends @Nullable Object> AsyncStream<R> map(
            Function<? super T, ? extends R> transform) {
        Objects.requireNonNull(transform, "transform");
        return new AsyncStream<>(Streams.map(flow, transform));
    }

    /**
     * A stream of the elements that match {@code predicate}; lazy. {@code predicate} runs on the
     * event loop and must not block or await.
     *
     * <pre>{@code
     * AsyncStream<Integer> even = numbers.filter(n -> n % 2 == 0);
     * }</pre>
     */
    public AsyncStream<T> filter(Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return new AsyncStream<>(Streams.filter(flow, predicate));
    }

    /**
     * A stream of at most the first {@code count} elements; lazy. The producer is stopped (a
     * generator cancelled at its next {@code emit}, its {@code finally} run) once the consumer asks
     * for more than {@code count}.
     *
     * <pre>{@code
     * for (var event : events.take(10)) { ... }
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public AsyncStream<T> take(long count) {
        return new AsyncStream<>(Streams.take(flow, count));
    }

    /**
     * A stream whose producer may run up to {@code capacity} elements ahead of the consumer: a
     * generator's {@code emit} returns at once while fewer than {@code capacity} elements wait for
     * the consumer. Like Kotlin's {@code Flow.buffer}; the producer runs concurrently with the
     * consumer (interleaved at awaits on an event loop).
     *
     * <pre>{@code
     * for (var page : pages.buffer(4)) { render(page); }   // up to 4 pages fetched ahead
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public AsyncStream<T> buffer(int capacity) {
        return new AsyncStream<>(Streams.buffer(flow, capacity));
    }

    // --- consuming

    /**
     * An iterator that awaits each element, for the calling task body; {@code for (var x : stream)}
     * calls this. See {@link AsyncIterator} for stopping early.
     *
     * @throws IllegalStateException outside a task body: iterate inside {@code Async.run(...)} or
     *     {@code Async.launch(...)}, or use {@link #toList()} / {@link #collect(AsyncConsumer)}
     */
    @Override
    public AsyncIterator<T> iterator() {
        return new AsyncIterator<>(Streams.iterate(flow));
    }

    /**
     * Runs {@code action} on each element in the calling task body, awaiting each one, then stops
     * the producer (also when {@code action} throws). The direct-style form of {@link
     * #collect(AsyncConsumer)}.
     *
     * @throws IllegalStateException outside a task body
     */
    @Override
    public void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        Streams.forEach(flow, action::accept);
    }

    /**
     * Starts a task that runs {@code action} on each element in order and completes when the stream
     * ends: {@code async for x in stream: await action(x)}, Kotlin's {@code Flow.collect}. {@code
     * action} runs in the task's body, so it may await. Inside a task the new task is its child;
     * outside, it runs on the background dispatcher (see {@link
     * Async#launch(java.util.concurrent.Callable)}). Cancelling the task stops the stream; a
     * failure of the stream or of {@code action} fails it with that exception.
     *
     * <p>(Named {@code collect}, not {@code forEach}: {@link Iterable#forEach(Consumer)} is already
     * the direct-style loop, and an overload would make every lambda ambiguous.)
     *
     * <pre>{@code
     * urls.collect(url -> System.out.println(fetch(url))).await();
     * }</pre>
     */
    public Task<@Nullable Void> collect(AsyncConsumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        return Async.launch(() -> Streams.forEach(flow, action::accept));
    }

    /**
     * Starts a task that collects every element into a list, in order.
     *
     * <pre>{@code
     * List<String> names = AsyncStream.of("a", "b").map(String::toUpperCase).toList().await();
     * }</pre>
     */
    public Task<List<T>> toList() {
        return Async.launch(() -> Streams.toList(flow));
    }

    /**
     * Starts a task whose value is the first element; the producer is then stopped, its cleanup
     * awaited.
     *
     * <pre>{@code
     * Quote latest = quotes.first().await();
     * }</pre>
     *
     * The task fails with {@link java.util.NoSuchElementException} if the stream is empty.
     */
    public Task<T> first() {
        return Async.launch(() -> Streams.first(flow));
    }
}
