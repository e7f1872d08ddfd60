package dev.corobridge.stream;

import static org.junit.jupiter.api.Assertions.*;

import dev.corobridge.Async;
import dev.corobridge.AsyncCloseable;
import dev.corobridge.AsyncRunnable;
import dev.corobridge.BodyThreads;
import dev.corobridge.Dispatcher;
import dev.corobridge.Loops;
import dev.corobridge.Trail;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import kotlinx.coroutines.flow.FlowKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class AsyncStreamTest {
    private static void run(BodyThreads kind, AsyncRunnable body) throws Exception {
        Loops.run(kind, body);
    }

    /** A generator of 1..n that records each emit and its return, and its cleanup. */
    private static AsyncStream<Integer> counting(Trail trail, int n) {
        return AsyncStream.generate(
                out -> {
                    try {
                        for (int i = 1; i <= n; i++) {
                            trail.add("emit " + i);
                            out.emit(i);
                            trail.add("emitted " + i);
                        }
                    } finally {
                        trail.add("generator finally");
                    }
                });
    }

    /** A generator of 0, 1, 2, ... that never ends by itself. */
    private static AsyncStream<Integer> endless(Trail trail) {
        return AsyncStream.generate(
                out -> {
                    try {
                        for (int i = 0; ; i++) {
                            out.emit(i);
                        }
                    } finally {
                        trail.add("generator finally");
                    }
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void forLoopAwaitsEachElementInOrder(BodyThreads kind) throws Exception {
        List<Integer> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    var stream =
                            AsyncStream.<Integer>generate(
                                    out -> {
                                        for (int i = 1; i <= 3; i++) {
                                            Async.sleep(Duration.ofMillis(1)).await();
                                            out.emit(i);
                                        }
                                    });
                    for (int x : stream) {
                        seen.add(x);
                    }
                });
        assertEquals(List.of(1, 2, 3), seen);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void ofAndFromIterateTheirValuesEachTime(BodyThreads kind) throws Exception {
        List<String> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    var letters = AsyncStream.of("a", "b");
                    for (String s : letters) seen.add(s);
                    for (String s : letters) seen.add(s);
                    for (String s : AsyncStream.from(List.of("c", "d"))) seen.add(s);
                });
        assertEquals(List.of("a", "b", "a", "b", "c", "d"), seen);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void rendezvousGeneratorWaitsAtEmitUntilTheConsumerAsksAgain(BodyThreads kind)
            throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    for (int x : counting(trail, 3)) {
                        trail.add("got " + x);
                    }
                    trail.add("loop done");
                });
        assertEquals(
                List.of(
                        "emit 1",
                        "got 1",
                        "emitted 1",
                        "emit 2",
                        "got 2",
                        "emitted 2",
                        "emit 3",
                        "got 3",
                        "emitted 3",
                        "generator finally",
                        "loop done"),
                trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void bufferLetsTheGeneratorRunAtMostCapacityAhead(BodyThreads kind) throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    for (int x : counting(trail, 6).buffer(2)) {
                        trail.add("got " + x);
                        Async.yieldNow().await(); // a consumer slower than its producer
                    }
                });
        int emitted = 0;
        int received = 0;
        int maxAhead = 0;
        for (String event : trail.events()) {
            if (event.startsWith("emitted")) emitted++;
            if (event.startsWith("got")) received++;
            assertTrue(emitted - received <= 2, () -> "more than 2 ahead: " + trail.events());
            maxAhead = Math.max(maxAhead, emitted - received);
        }
        assertEquals(2, maxAhead, trail.events()::toString);
        assertEquals(6, received);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void closingTheIteratorCancelsTheGeneratorAndAwaitsItsFinally(BodyThreads kind)
            throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    try (var items = counting(trail, 5).iterator()) {
                        while (items.hasNext()) {
                            int x = items.next();
                            trail.add("got " + x);
                            if (x == 2) break;
                        }
                    }
                    trail.add("after loop");
                });
        assertEquals(
                List.of(
                        "emit 1",
                        "got 1",
                        "emitted 1",
                        "emit 2",
                        "got 2",
                        "generator finally",
                        "after loop"),
                trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void breakingOutOfAForLoopStopsTheGeneratorWhenTheBodyReturns(BodyThreads kind)
            throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    var consumer =
                            Async.launch(
                                    () -> {
                                        for (int x : endless(trail)) {
                                            if (x == 2) break;
                                        }
                                        trail.add("consumer returns");
                                    });
                    consumer.await(); // completes: the abandoned generator does not keep it alive
                    trail.add("consumer done");
                });
        assertEquals(
                List.of("consumer returns", "generator finally", "consumer done"), trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void cancellingTheConsumingTaskStopsTheGenerator(BodyThreads kind) throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    var ticks =
                            AsyncStream.<Integer>generate(
                                    out -> {
                                        try {
                                            for (int i = 0; ; i++) {
                                                out.emit(i);
                                                Async.sleep(Duration.ofMillis(5)).await();
                                            }
                                        } finally {
                                            trail.add("generator finally");
                                        }
                                    });
                    var consumer =
                            Async.launch(
                                    () -> {
                                        for (int x : ticks) {
                                            trail.add("got " + x);
                                        }
                                    });
                    while (trail.events().size() < 2) Async.yieldNow().await();
                    consumer.cancel();
                    assertThrows(CancellationException.class, consumer::await);
                    trail.add("consumer done");
                });
        assertEquals(
                List.of("got 0", "got 1", "generator finally", "consumer done"), trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aCancelledConsumerEndsOnlyAfterTheGeneratorsCleanup(BodyThreads kind) throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    // The cleanup takes a while off the loop, as a statement's cancel does.
                    AsyncCloseable<RuntimeException> slowToClose =
                            () ->
                                    CompletableFuture.runAsync(
                                            () -> {
                                                sleepQuietly(Duration.ofMillis(200));
                                                trail.add("generator cleaned up");
                                            });
                    var ticks =
                            AsyncStream.<Integer>generate(
                                    out -> {
                                        try (slowToClose) {
                                            for (int i = 0; ; i++) {
                                                out.emit(i);
                                                Async.sleep(Duration.ofMillis(5)).await();
                                            }
                                        }
                                    });
                    var consumer =
                            Async.launch(
                                    () -> {
                                        for (int x : ticks) trail.add("got " + x);
                                    });
                    while (trail.events().size() < 2) Async.yieldNow().await();
                    consumer.cancel();
                    assertThrows(CancellationException.class, consumer::await);
                    trail.add("consumer done");
                });
        assertEquals(
                List.of("got 0", "got 1", "generator cleaned up", "consumer done"), trail.events());
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void generatorExceptionReachesTheLoopAsTheSameObject(BodyThreads kind) throws Exception {
        var failure = new IOException("disk on fire");
        var caught = new AtomicReference<Throwable>();
        List<String> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    var stream =
                            AsyncStream.<String>generate(
                                    out -> {
                                        out.emit("one");
                                        throw failure;
                                    });
                    try {
                        for (String s : stream) seen.add(s);
                    } catch (Exception e) {
                        caught.set(e);
                    }
                });
        assertEquals(List.of("one"), seen);
        assertSame(failure, caught.get());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void bufferDeliversBufferedElementsThenTheGeneratorsOwnException(BodyThreads kind)
            throws Exception {
        var failure = new IOException("generator failed");
        var caught = new AtomicReference<Throwable>();
        List<Integer> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    var stream =
                            AsyncStream.<Integer>generate(
                                            out -> {
                                                out.emit(1);
                                                out.emit(2);
                                                throw failure;
                                            })
                                    .buffer(8);
                    try {
                        for (int x : stream) {
                            seen.add(x);
                            // A slow consumer: the generator has failed before it asks again.
                            Async.sleep(Duration.ofMillis(10)).await();
                        }
                    } catch (Exception e) {
                        caught.set(e);
                    }
                });
        assertEquals(List.of(1, 2), seen);
        assertSame(failure, caught.get());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void operatorExceptionReachesTheLoopAndStopsTheGenerator(BodyThreads kind) throws Exception {
        var trail = new Trail();
        var failure = new IllegalArgumentException("bad element");
        var caught = new AtomicReference<Throwable>();
        run(
                kind,
                () -> {
                    var mapped =
                            endless(trail)
                                    .map(
                                            x -> {
                                                if (x == 1) throw failure;
                                                return x;
                                            });
                    try {
                        for (int x : mapped) trail.add("got " + x);
                    } catch (IllegalArgumentException e) {
                        caught.set(e);
                    }
                });
        assertSame(failure, caught.get());
        assertEquals(List.of("got 0", "generator finally"), trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void operatorsAreLazyUntilIterationStarts(BodyThreads kind) throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    var stream =
                            counting(trail, 4)
                                    .map(
                                            x -> {
                                                trail.add("map " + x);
                                                return x * 10;
                                            })
                                    .filter(
                                            x -> {
                                                trail.add("filter " + x);
                                                return x != 20;
                                            })
                                    .take(2)
                                    .buffer(1);
                    Async.sleep(Duration.ofMillis(5)).await();
                    trail.add("built");
                    List<Integer> seen = new ArrayList<>();
                    for (int x : stream) seen.add(x);
                    assertEquals(List.of(10, 30), seen);
                });
        assertEquals("built", trail.events().get(0));
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void takeStopsTheGeneratorAfterTheLastElement(BodyThreads kind) throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    for (int x : endless(trail).take(3)) trail.add("got " + x);
                    trail.add("loop done");
                });
        assertEquals(
                List.of("got 0", "got 1", "got 2", "generator finally", "loop done"),
                trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void toListFirstAndCollectAreTasks(BodyThreads kind) throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    assertEquals(
                            List.of(2, 4),
                            AsyncStream.of(1, 2, 3, 4).filter(x -> x % 2 == 0).toList().await());
                    assertEquals(0, endless(trail).first().await());
                    assertEquals(List.of("generator finally"), trail.events());
                    var empty = AsyncStream.<String>of().first();
                    assertThrows(NoSuchElementException.class, empty::await);
                    List<String> seen = new ArrayList<>();
                    AsyncStream.of("a", "b")
                            .collect(
                                    s -> {
                                        Async.yieldNow().await(); // the action may await
                                        seen.add(s);
                                    })
                            .await();
                    assertEquals(List.of("a", "b"), seen);
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void iterableForEachRunsInTheBodyAndClosesTheStream(BodyThreads kind) throws Exception {
        var trail = new Trail();
        run(
                kind,
                () -> {
                    counting(trail, 2).forEach(x -> trail.add("got " + x));
                    trail.add("done");
                });
        assertEquals(
                List.of(
                        "emit 1",
                        "got 1",
                        "emitted 1",
                        "emit 2",
                        "got 2",
                        "emitted 2",
                        "generator finally",
                        "done"),
                trail.events());
    }

    @Test
    void iteratingOutsideATaskBodyThrows() {
        var stream = AsyncStream.of(1, 2);
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () -> {
                            for (int ignored : stream) {
                                fail("iterated outside a task");
                            }
                        });
        assertTrue(e.getMessage().contains("Async.run"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> stream.forEach(x -> {}));
    }

    @Test
    void terminalTasksWorkOutsideATaskBody() {
        assertEquals(
                List.of("A", "B"),
                AsyncStream.of("a", "b").map(String::toUpperCase).toList().join());
        var empty = assertThrows(CompletionException.class, () -> AsyncStream.of().first().join());
        assertInstanceOf(NoSuchElementException.class, empty.getCause());
    }

    @Test
    void emitFromAnotherTaskThrows() throws Exception {
        var caught = new AtomicReference<Throwable>();
        Async.run(
                () -> {
                    var stream =
                            AsyncStream.<Integer>generate(
                                    out ->
                                            Async.launch(
                                                            () -> {
                                                                try {
                                                                    out.emit(1);
                                                                } catch (IllegalStateException e) {
                                                                    caught.set(e);
                                                                }
                                                            })
                                                    .await());
                    for (int ignored : stream) fail("nothing was emitted");
                });
        assertInstanceOf(IllegalStateException.class, caught.get());
    }

    @Test
    void kotlinFlowsConvertBothWays() throws Exception {
        var seen =
                Async.run(
                        () -> {
                            List<Integer> values = new ArrayList<>();
                            for (int x : AsyncStream.fromFlow(FlowKt.asFlow(List.of(1, 2, 3)))) {
                                values.add(x);
                            }
                            var roundTrip = AsyncStream.fromFlow(AsyncStream.of(4, 5).asFlow());
                            values.addAll(roundTrip.toList().await());
                            return values;
                        });
        assertEquals(List.of(1, 2, 3, 4, 5), seen);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void generatorThatEmitsAfterItsCancellationFailsInsteadOfHanging(BodyThreads kind)
            throws Exception {
        var caught = new AtomicReference<Throwable>();
        List<Integer> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    var stubborn =
                            AsyncStream.<Integer>generate(
                                    out -> {
                                        try {
                                            out.emit(1);
                                            out.emit(2);
                                        } catch (CancellationException ignored) {
                                            try {
                                                out.emit(3); // Python: "ignored GeneratorExit"
                                            } catch (IllegalStateException e) {
                                                caught.set(e);
                                            }
                                        }
                                    });
                    for (int x : stubborn.take(1)) seen.add(x);
                });
        assertEquals(List.of(1), seen);
        assertInstanceOf(IllegalStateException.class, caught.get());
    }

    @Test
    void iteratesOnAParallelDispatcher() throws Exception {
        var trail = new Trail();
        List<Integer> seen =
                Async.run(
                        Dispatcher.defaultDispatcher(),
                        () -> {
                            List<Integer> values = new ArrayList<>();
                            for (int x : counting(trail, 50).buffer(3).map(x -> x * 2)) {
                                values.add(x);
                            }
                            for (int x : endless(trail).take(2)) values.add(x);
                            return values;
                        });
        assertEquals(52, seen.size());
        assertEquals(98, seen.get(48));
        assertEquals(List.of(0, 1), seen.subList(50, 52));
        assertEquals(2, trail.events().stream().filter("generator finally"::equals).count());
    }

    @Test
    void badArgumentsFailAtTheCall() {
        var stream = AsyncStream.of(1);
        assertEquals(
                "body",
                assertThrows(NullPointerException.class, () -> AsyncStream.generate(null))
                        .getMessage());
        assertEquals(
                "transform",
                assertThrows(NullPointerException.class, () -> stream.map(null)).getMessage());
        assertEquals(
                "predicate",
                assertThrows(NullPointerException.class, () -> stream.filter(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> stream.take(-1));
        assertThrows(IllegalArgumentException.class, () -> stream.buffer(0));
    }
}
