package dev.corobridge.stream;

import dev.corobridge.Trail;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A synchronous publisher of 1..count, emitting inside {@code request(n)} (as Reactor's {@code
 * Flux.range} does), that records "subscribe", "request n" and "cancel" on a trail. Ends with
 * {@code failure} if given, else completes.
 */
final class RangePublisher implements Flow.Publisher<Integer> {
    private final int count;
    private final @Nullable Exception failure;
    private final Trail trail;
    private final AtomicLong requested = new AtomicLong();

    RangePublisher(int count, @Nullable Exception failure, Trail trail) {
        this.count = count;
        this.failure = failure;
        this.trail = trail;
    }

    /** The total requested, over all subscriptions. */
    long requested() {
        return requested.get();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Integer> subscriber) {
        trail.add("subscribe");
        subscriber.onSubscribe(
                new Flow.Subscription() {
                    private long demand;
                    private int next = 1;
                    private boolean draining;
                    private boolean done;

                    @Override
                    public synchronized void request(long n) {
                        trail.add("request " + n);
                        requested.addAndGet(n);
                        demand += n;
                        if (draining) return; // a request from onNext: the loop below serves it
                        draining = true;
                        while (!done && demand > 0 && next <= count) {
                            demand--;
                            subscriber.onNext(next++);
                        }
                        if (!done && next > count) {
                            done = true;
                            if (failure != null) subscriber.onError(failure);
                            else subscriber.onComplete();
                        }
                        draining = false;
                    }

                    @Override
                    public synchronized void cancel() {
                        trail.add("cancel");
                        done = true;
                    }
                });
    }
}
