package dev.corobridge.core

import java.util.concurrent.Flow.Publisher
import java.util.concurrent.Flow.Subscriber
import java.util.concurrent.Flow.Subscription
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector

/**
 * A JDK `Flow.Publisher` (Reactor, RxJava, Mutiny, `SubmissionPublisher`, ...) as a cold [Flow]:
 * each collection subscribes once.
 *
 * Design notes. The subscriber only posts signals (subscribed, each element, the error, completion)
 * to an unbounded channel, from whatever thread the publisher uses, never blocking or throwing; the
 * collecting coroutine does everything else, so all calls to the `Subscription` come from it, one
 * at a time (rule 2.7). Demand: it requests [bufferSize] at first and then, each time [limit]
 * elements have been consumed (their downstream `emit` returned), requests that many again. So the
 * total requested never exceeds consumed + [bufferSize], and the channel never holds more than
 * [bufferSize] elements: the subscriber counts the demand as elements arrive, and one beyond it
 * (the publisher broke rule 1.1) fails the stream. Failures: `onError`'s exception crosses the
 * channel as a value and is thrown from [collect] as the same object (ADR 0003). Stopping: when the
 * collection ends early (cancelled, a downstream `take`, a failure downstream) the subscription is
 * cancelled, also one that arrives after that.
 */
internal class PublisherFlow<T>(
    private val publisher: Publisher<out T>,
    private val bufferSize: Int,
) : Flow<T> {
    // Reactor's replenishing rule: ask again once three quarters of the buffer are consumed.
    private val limit = bufferSize - (bufferSize shr 2)

    override suspend fun collect(collector: FlowCollector<T>) {
        val subscriber = ChannelSubscriber<T>()
        var terminated = false
        try {
            publisher.subscribe(subscriber)
            check(subscriber.signals.receive() === SUBSCRIBED) {
                "the publisher signalled before onSubscribe (rule 1.9): $publisher"
            }
            val subscription = subscriber.subscription.get()!!
            var consumed = 0 // since the last request
            subscriber.request(subscription, bufferSize.toLong())
            while (true) {
                when (val signal = subscriber.signals.receive()) {
                    COMPLETE -> {
                        terminated = true
                        return
                    }
                    is Errored -> {
                        terminated = true
                        throw signal.exception
                    }
                    OVERFLOW ->
                        throw IllegalStateException(
                            "the publisher sent more elements than requested (rule 1.1): $publisher"
                        )
                    else -> {
                        @Suppress("UNCHECKED_CAST") collector.emit(signal as T)
                        if (++consumed == limit) {
                            consumed = 0
                            subscriber.request(subscription, limit.toLong())
                        }
                    }
                }
            }
        } finally {
            if (!terminated) subscriber.cancel()
            subscriber.signals.cancel() // drops elements that arrived meanwhile
        }
    }

    private class ChannelSubscriber<T> : Subscriber<T> {
        val signals = Channel<Any?>(Channel.UNLIMITED)
        val subscription = AtomicReference<Subscription?>()
        private val demand = AtomicLong() // requested, not yet received

        fun request(subscription: Subscription, n: Long) {
            demand.addAndGet(n) // before asking: the elements may arrive inside request(n)
            subscription.request(n)
        }

        override fun onSubscribe(subscription: Subscription) {
            // A second subscription (rule 2.5), or one arriving after we stopped, is cancelled.
            if (this.subscription.compareAndSet(null, subscription)) signals.trySend(SUBSCRIBED)
            else subscription.cancel()
        }

        override fun onNext(item: T) {
            signals.trySend(if (demand.decrementAndGet() >= 0) item else OVERFLOW)
        }

        override fun onError(throwable: Throwable) {
            signals.trySend(Errored(throwable))
        }

        override fun onComplete() {
            signals.trySend(COMPLETE)
        }

        fun cancel() {
            val previous = subscription.getAndSet(STOPPED)
            if (previous !== STOPPED) previous?.cancel()
        }
    }

    private class Errored(val exception: Throwable)

    private companion object {
        private val SUBSCRIBED = Any()
        private val COMPLETE = Any()
        private val OVERFLOW = Any()
        private val STOPPED =
            object : Subscription {
                override fun request(n: Long) {}

                override fun cancel() {}
            }
    }
}
