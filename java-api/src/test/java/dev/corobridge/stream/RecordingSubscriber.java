package dev.corobridge.stream;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A reactive-streams subscriber for tests: records its signals as events ("next 1", "complete",
 * "error IOException"), notices overlapping signals, and lets the test request and cancel.
 */
final class RecordingSubscriber<T> implements Flow.Subscriber<T> {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean inSignal = new AtomicBoolean();
    private final BiConsumer<RecordingSubscriber<T>, T> onNextHook;
    private volatile Flow.@Nullable Subscription subscription;
    private volatile @Nullable Throwable error;
    volatile boolean overlapped;

    RecordingSubscriber() {
        this((subscriber, value) -> {});
    }

    /** {@code onNextHook} runs inside each {@code onNext}, after the event is recorded. */
    RecordingSubscriber(BiConsumer<RecordingSubscriber<T>, T> onNextHook) {
        this.onNextHook = onNextHook;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public void onNext(T item) {
        enter();
        events.add("next " + item);
        onNextHook.accept(this, item);
        exit();
    }

    @Override
    public void onError(Throwable throwable) {
        enter();
        error = throwable;
        events.add("error " + throwable.getClass().getSimpleName());
        exit();
    }

    @Override
    public void onComplete() {
        enter();
        events.add("complete");
        exit();
    }

    void request(long n) {
        subscription().request(n);
    }

    void cancel() {
        subscription().cancel();
    }

    Flow.Subscription subscription() {
        var s = subscription;
        assertNotNull(s, "onSubscribe was not called");
        return s;
    }

    @Nullable Throwable error() {
        return error;
    }

    /** The next event, waiting up to 5 s for it. */
    String awaitEvent() throws InterruptedException {
        String event = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(event, "no signal within 5 s");
        return event;
    }

    List<String> awaitEvents(int count) throws InterruptedException {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++) list.add(awaitEvent());
        return list;
    }

    /** Fails if a signal arrives within {@code quiet}: evidence of absence, so keep it short. */
    void assertNoEventWithin(Duration quiet) throws InterruptedException {
        String event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        assertNull(event, "unexpected signal");
    }

    private void enter() {
        if (inSignal.getAndSet(true)) overlapped = true;
    }

    private void exit() {
        inSignal.set(false);
    }
}
