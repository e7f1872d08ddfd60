package dev.corobridge.stream;

import static org.junit.jupiter.api.Assertions.*;

import dev.corobridge.Async;
import dev.corobridge.AsyncRunnable;
import dev.corobridge.BodyThreads;
import dev.corobridge.Loops;
import dev.corobridge.Trail;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AsyncStream#fromPublisher}, and round trips through {@link AsyncStream#asPublisher()}. */
@Timeout(10)
class AsyncStreamFromPublisherTest {
    private static void run(BodyThreads kind, AsyncRunnable body) throws Exception {
        Loops.run(kind, body);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void submissionPublisherIsIteratedWithAForLoop(BodyThreads kind) throws Exception {
        List<Integer> seen = new ArrayList<>();
        // The feeder closes it to end the stream; finally, in case the feeder never got there.
        var publisher = new SubmissionPublisher<Integer>();
        try {
            var subscribed = new CountDownLatch(1);
            Flow.Publisher<Integer> announcing =
                    subscriber -> {
                        publisher.subscribe(subscriber);
                        subscribed.countDown();
                    };
            run(
                    kind,
                    () -> {
                        var feeder =
                                Async.toThread(
                                        () -> {
                                            subscribed.await();
                                            for (int i = 1; i <= 50; i++) publisher.submit(i);
                                            publisher.close();
                                        });
                        for (var x : AsyncStream.fromPublisher(announcing, 4)) seen.add(x);
                        feeder.await();
                    });
        } finally {
            publisher.close();
        }
        assertEquals(range(1, 50), seen);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void breakingOutOfTheLoopCancelsASubmissionPublishersSubscription(BodyThreads kind)
            throws Exception {
        try (var publisher = new SubmissionPublisher<Integer>()) {
            run(
                    kind,
                    () -> {
                        var stream = AsyncStream.fromPublisher(publisher);
                        var feeder =
                                Async.toThread(
                                        () -> {
                                            while (publisher.getNumberOfSubscribers() == 0)
                                                Thread.onSpinWait();
                                            for (int i = 1; i <= 3; i++) publisher.submit(i);
                                        });
                        for (var x : stream) {
                            if (x == 2) break;
                        }
                        feeder.await();
                    });
            // SubmissionPublisher drops a cancelled subscriber once its own task sees the cancel.
            while (publisher.getNumberOfSubscribers() > 0) TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void breakingOutOfTheLoopCancelsTheSubscription(BodyThreads kind) throws Exception {
        var trail = new Trail();
        var publisher = new RangePublisher(1000, null, trail);
        run(
                kind,
                () -> {
                    for (var x : AsyncStream.fromPublisher(publisher)) {
                        trail.add("took " + x);
                        if (x == 2) break;
                    }
                    trail.add("after the loop");
                });
        assertEquals(
                List.of("subscribe", "request 16", "took 1", "took 2", "after the loop", "cancel"),
                trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void requestsInBatchesNeverMoreThanConsumedPlusBuffer(BodyThreads kind) throws Exception {
        var trail = new Trail();
        var publisher = new RangePublisher(1000, null, trail);
        run(
                kind,
                () -> {
                    int taken = 0;
                    try (var elements = AsyncStream.fromPublisher(publisher, 4).iterator()) {
                        while (elements.hasNext()) {
                            elements.next();
                            taken++;
                            assertTrue(
                                    publisher.requested() <= taken + 4,
                                    "requested " + publisher.requested() + " after " + taken);
                            if (taken == 7) break;
                        }
                    }
                });
        // 4 at first, then 3 (three quarters of the buffer) after each 3 consumed
        assertEquals(
                List.of("subscribe", "request 4", "request 3", "request 3", "cancel"),
                trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void onCompleteEndsTheLoopWithoutCancelling(BodyThreads kind) throws Exception {
        var trail = new Trail();
        List<Integer> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    for (var x : AsyncStream.fromPublisher(new RangePublisher(5, null, trail)))
                        seen.add(x);
                });
        assertEquals(range(1, 5), seen);
        assertEquals(List.of("subscribe", "request 16"), trail.events());
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void onErrorIsThrownFromTheLoopAsTheSameObject(BodyThreads kind) throws Exception {
        var boom = new IOException("connection reset");
        var trail = new Trail();
        List<Integer> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    try {
                        for (var x : AsyncStream.fromPublisher(new RangePublisher(2, boom, trail)))
                            seen.add(x);
                        fail("the loop ended normally");
                    } catch (Exception e) {
                        assertSame(boom, e);
                    }
                });
        assertEquals(range(1, 2), seen);
        assertEquals(List.of("subscribe", "request 16"), trail.events()); // no cancel after onError
    }

    @Test
    void eachIterationSubscribesOnce() throws Exception {
        var trail = new Trail();
        var stream = AsyncStream.fromPublisher(new RangePublisher(2, null, trail));
        assertEquals(List.of(), trail.events()); // cold
        assertEquals(range(1, 2), stream.toList().get(5, TimeUnit.SECONDS));
        assertEquals(range(1, 2), stream.toList().get(5, TimeUnit.SECONDS));
        assertEquals(List.of("subscribe", "request 16", "subscribe", "request 16"), trail.events());
    }

    @Test
    void publisherSendingMoreThanRequestedFailsTheStream() throws Exception {
        var cancelled = new CountDownLatch(1);
        Flow.Publisher<Integer> unruly =
                subscriber ->
                        subscriber.onSubscribe(
                                new Flow.Subscription() {
                                    @Override
                                    public void request(long n) {
                                        for (int i = 0; i <= n; i++) subscriber.onNext(i); // n+1
                                    }

                                    @Override
                                    public void cancel() {
                                        cancelled.countDown();
                                    }
                                });
        Async.run(
                () -> {
                    var e =
                            assertThrows(
                                    IllegalStateException.class,
                                    () -> {
                                        for (var x : AsyncStream.fromPublisher(unruly, 2)) {
                                            assertNotNull(x);
                                        }
                                    });
                    assertTrue(e.getMessage().contains("rule 1.1"), e.getMessage());
                });
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
    }

    @Test
    void bufferSizeMustBePositive() {
        var publisher = new RangePublisher(1, null, new Trail());
        assertThrows(IllegalArgumentException.class, () -> AsyncStream.fromPublisher(publisher, 0));
        assertThrows(NullPointerException.class, () -> AsyncStream.fromPublisher(null));
    }

    // --- round trips: AsyncStream -> Publisher -> AsyncStream

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void roundTripKeepsEveryElementInOrder(BodyThreads kind) throws Exception {
        AsyncStream<Integer> numbers =
                AsyncStream.generate(
                        out -> {
                            for (int i = 1; i <= 100; i++) out.emit(i);
                        });
        List<Integer> seen = new ArrayList<>();
        run(
                kind,
                () -> {
                    for (var x : AsyncStream.fromPublisher(numbers.asPublisher(), 8)) seen.add(x);
                });
        assertEquals(range(1, 100), seen);
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void roundTripCarriesTheGeneratorsOwnException(BodyThreads kind) throws Exception {
        var boom = new IOException("upstream failed");
        AsyncStream<Integer> failing =
                AsyncStream.generate(
                        out -> {
                            out.emit(1);
                            throw boom;
                        });
        run(
                kind,
                () -> {
                    var e =
                            assertThrows(
                                    IOException.class,
                                    () -> {
                                        for (var x :
                                                AsyncStream.fromPublisher(failing.asPublisher())) {
                                            assertEquals(1, x);
                                        }
                                    });
                    assertSame(boom, e);
                });
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void roundTripBreakStopsTheGenerator(BodyThreads kind) throws Exception {
        var cleanedUp = new CountDownLatch(1);
        AsyncStream<Integer> endless =
                AsyncStream.generate(
                        out -> {
                            try {
                                for (int i = 0; ; i++) out.emit(i);
                            } finally {
                                cleanedUp.countDown();
                            }
                        });
        run(
                kind,
                () -> {
                    for (var x : AsyncStream.fromPublisher(endless.asPublisher(), 2)) {
                        if (x == 5) break;
                    }
                });
        assertTrue(cleanedUp.await(5, TimeUnit.SECONDS), "the generator's finally did not run");
    }
}
