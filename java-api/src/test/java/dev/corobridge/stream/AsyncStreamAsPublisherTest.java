package dev.corobridge.stream;

import static org.junit.jupiter.api.Assertions.*;

import dev.corobridge.Trail;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link AsyncStream#asPublisher()} against the reactive-streams rules that matter. */
@Timeout(10)
class AsyncStreamAsPublisherTest {
    private static final Duration QUIET = Duration.ofMillis(100);

    /** A generator of 0, 1, 2, ... that counts down {@code cleanedUp} in its finally. */
    private static AsyncStream<Integer> endless(CountDownLatch cleanedUp) {
        return AsyncStream.generate(
                out -> {
                    try {
                        for (int i = 0; ; i++) out.emit(i);
                    } finally {
                        cleanedUp.countDown();
                    }
                });
    }

    private static List<String> nexts(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "next " + i).toList();
    }

    @Test
    void requestingOneAtATimeDeliversExactlyWhatWasRequested() throws Exception {
        var trail = new Trail();
        var producedFour = new CountDownLatch(1);
        AsyncStream<Integer> stream =
                AsyncStream.generate(
                        out -> {
                            for (int i = 1; i <= 5; i++) {
                                trail.add("produce " + i);
                                if (i == 4) producedFour.countDown();
                                out.emit(i);
                            }
                        });
        var subscriber = new RecordingSubscriber<Integer>();
        stream.asPublisher().subscribe(subscriber);

        for (int i = 1; i <= 3; i++) {
            subscriber.request(1);
            assertEquals("next " + i, subscriber.awaitEvent());
        }
        // The generator gets as far as emitting 4 and waits there for demand.
        assertTrue(producedFour.await(5, TimeUnit.SECONDS));
        subscriber.assertNoEventWithin(QUIET);
        assertEquals(List.of("produce 1", "produce 2", "produce 3", "produce 4"), trail.events());

        subscriber.request(1);
        assertEquals("next 4", subscriber.awaitEvent());
        subscriber.request(5);
        assertEquals(List.of("next 5", "complete"), subscriber.awaitEvents(2));
        subscriber.assertNoEventWithin(QUIET);
    }

    @Test
    void unboundedDemandDeliversEverythingThenCompletesOnce() throws Exception {
        var subscriber = new RecordingSubscriber<Integer>();
        AsyncStream.of(1, 2, 3).asPublisher().subscribe(subscriber);
        subscriber.request(Long.MAX_VALUE);
        assertEquals(List.of("next 1", "next 2", "next 3", "complete"), subscriber.awaitEvents(4));
        subscriber.assertNoEventWithin(QUIET);
    }

    @Test
    void demandAccumulatesAndAnOverflowingSumMeansUnbounded() throws Exception {
        var values = IntStream.rangeClosed(1, 100).boxed().toList();
        var subscriber = new RecordingSubscriber<Integer>();
        AsyncStream.from(values).asPublisher().subscribe(subscriber);
        subscriber.request(Long.MAX_VALUE - 1);
        subscriber.request(Long.MAX_VALUE - 1); // would wrap to a negative demand if not capped
        List<String> expected = new ArrayList<>(nexts(1, 100));
        expected.add("complete");
        assertEquals(expected, subscriber.awaitEvents(101));
    }

    @Test
    void cancelInsideOnNextStopsTheProducerAndRunsItsFinally() throws Exception {
        var cleanedUp = new CountDownLatch(1);
        var subscriber =
                new RecordingSubscriber<Integer>(
                        (self, value) -> {
                            if (value == 2) self.cancel();
                        });
        endless(cleanedUp).asPublisher().subscribe(subscriber);
        subscriber.request(Long.MAX_VALUE);

        assertTrue(cleanedUp.await(5, TimeUnit.SECONDS), "the generator's finally did not run");
        assertEquals(nexts(0, 2), subscriber.awaitEvents(3));
        subscriber.assertNoEventWithin(QUIET); // no element, no onComplete after the cancel
    }

    @Test
    void cancelWhileTheProducerWaitsForDemandRunsItsFinally() throws Exception {
        var cleanedUp = new CountDownLatch(1);
        var subscriber = new RecordingSubscriber<Integer>();
        endless(cleanedUp).asPublisher().subscribe(subscriber);
        subscriber.request(1);
        assertEquals("next 0", subscriber.awaitEvent());

        subscriber.cancel();
        assertTrue(cleanedUp.await(5, TimeUnit.SECONDS), "the generator's finally did not run");
        subscriber.assertNoEventWithin(QUIET);
    }

    @Test
    void failureIsSignalledOnceWithTheStreamsOwnException() throws Exception {
        var boom = new IOException("disk on fire");
        AsyncStream<Integer> stream =
                AsyncStream.generate(
                        out -> {
                            out.emit(1);
                            throw boom;
                        });
        var subscriber = new RecordingSubscriber<Integer>();
        stream.asPublisher().subscribe(subscriber);
        subscriber.request(Long.MAX_VALUE);

        assertEquals(List.of("next 1", "error IOException"), subscriber.awaitEvents(2));
        assertSame(boom, subscriber.error());
        subscriber.assertNoEventWithin(QUIET);
    }

    @Test
    void requestZeroSignalsIllegalArgumentException() throws Exception {
        var subscriber = new RecordingSubscriber<Integer>();
        endless(new CountDownLatch(1)).asPublisher().subscribe(subscriber);
        subscriber.request(0);
        assertEquals("error IllegalArgumentException", subscriber.awaitEvent());
        subscriber.request(1); // after a terminal signal: ignored (rule 3.6)
        subscriber.assertNoEventWithin(QUIET);
    }

    @Test
    void negativeRequestAfterElementsSignalsIllegalArgumentException() throws Exception {
        var subscriber = new RecordingSubscriber<Integer>();
        endless(new CountDownLatch(1)).asPublisher().subscribe(subscriber);
        subscriber.request(2);
        assertEquals(nexts(0, 1), subscriber.awaitEvents(2));
        subscriber.request(-1);
        assertEquals("error IllegalArgumentException", subscriber.awaitEvent());
        subscriber.assertNoEventWithin(QUIET);
    }

    @Test
    void subscribeNullThrowsNullPointerException() {
        var publisher = AsyncStream.of(1).asPublisher();
        assertThrows(NullPointerException.class, () -> publisher.subscribe(null));
    }

    @Test
    void nullElementFailsTheSubscriptionWithNullPointerException() throws Exception {
        var subscriber = new RecordingSubscriber<Integer>();
        AsyncStream.of(1, null).asPublisher().subscribe(subscriber);
        subscriber.request(Long.MAX_VALUE);
        assertEquals(List.of("next 1", "error NullPointerException"), subscriber.awaitEvents(2));
    }

    @Test
    void eachSubscriptionRunsTheStreamAfresh() throws Exception {
        var trail = new Trail();
        AsyncStream<Integer> stream =
                AsyncStream.generate(
                        out -> {
                            trail.add("start");
                            out.emit(1);
                        });
        Flow.Publisher<Integer> publisher = stream.asPublisher();
        assertEquals(List.of(), trail.events()); // cold: nothing runs before a subscribe
        for (int round = 0; round < 2; round++) {
            var subscriber = new RecordingSubscriber<Integer>();
            publisher.subscribe(subscriber);
            subscriber.request(Long.MAX_VALUE);
            assertEquals(List.of("next 1", "complete"), subscriber.awaitEvents(2));
        }
        assertEquals(List.of("start", "start"), trail.events());
    }

    @Test
    void signalsNeverOverlapUnderConcurrentRequests() throws Exception {
        int count = 2000;
        var subscriber = new RecordingSubscriber<Integer>();
        AsyncStream.from(IntStream.rangeClosed(1, count).boxed().toList())
                .asPublisher()
                .subscribe(subscriber);
        List<Thread> requesters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            var requester =
                    new Thread(
                            () -> {
                                for (int i = 0; i < count / 4; i++) subscriber.request(1);
                            });
            requester.start();
            requesters.add(requester);
        }
        List<String> expected = new ArrayList<>(nexts(1, count));
        expected.add("complete");
        assertEquals(expected, subscriber.awaitEvents(count + 1));
        for (Thread requester : requesters) requester.join();
        assertFalse(subscriber.overlapped, "two signals ran at the same time");
    }

    @Test
    void aGeneratorRunningUnderAPublisherSeesItsOwnTask() throws Exception {
        AsyncStream<String> kinds =
                AsyncStream.generate(
                        out ->
                                out.emit(
                                        dev.corobridge.Async.currentTask()
                                                .getClass()
                                                .getSimpleName()));
        List<String> seen =
                dev.corobridge.Async.run(
                        () -> AsyncStream.fromPublisher(kinds.asPublisher()).toList().await());
        assertEquals(List.of("Task"), seen);
    }
}
