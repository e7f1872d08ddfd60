package dev.corobridge.core

import java.util.concurrent.Flow.Publisher
import java.util.concurrent.Flow.Subscriber
import java.util.concurrent.Flow.Subscription
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow

/**
 * A cold [Flow] as a JDK `Flow.Publisher`: each `subscribe` collects the flow once, in a new
 * coroutine in [context] (the background dispatcher, not a child of any task: the subscription
 * lives until it completes or its subscriber cancels it).
 *
 * Design notes. `onSubscribe` is signalled on the subscribing thread, before the producer starts;
 * every later signal comes from the one producer coroutine, so signals never overlap (rule 1.3).
 * Demand is an [AtomicLong]: `request(n)` adds `n`, capped at `Long.MAX_VALUE` (unbounded, never
 * decremented), and wakes the producer through a conflated channel; the producer waits while the
 * demand is 0 before each `onNext`, then takes one. How the subscription ends is decided once, by a
 * CAS on [end]: `cancel()` (stop silently), `request(n <= 0)` (an `IllegalArgumentException`, rule
 * 3.9) or the producer reaching the end of the flow (complete or fail). The first two also cancel
 * the producer, so the flow stops at its next suspension and its `finally` blocks run; the
 * producer, not the caller's thread, then signals the rule-3.9 `onError`, keeping signals
 * serialized. A `cancel()` made inside `onNext` is seen before the next element: nothing follows
 * it.
 */
internal class FlowPublisher<T>(private val flow: Flow<T>, private val context: CoroutineContext) :
    Publisher<T> {
    @OptIn(DelicateCoroutinesApi::class) // CoroutineStart.ATOMIC, for the reason below
    override fun subscribe(subscriber: Subscriber<in T>) {
        val subscription = FlowSubscription(flow, subscriber)
        try {
            subscriber.onSubscribe(subscription)
        } catch (e: Throwable) {
            subscription.cancel() // a subscriber that throws breaks rule 2.13: we stop
            throw e
        }
        // A task, not a plain launch: a failing child (a generator's body) must not cancel it
        // (TaskCoroutine.childCancelled) but reach it as the flow's exception. ATOMIC: it runs
        // even if cancelled already, to signal a rule-3.9 onError.
        val task = DefaultTasks.newTask<Unit>()
        task.setName("AsyncStream publisher")
        val producer = TaskCoroutine(context + subscription.job, task)
        producer.start(CoroutineStart.ATOMIC, producer) { subscription.produce() }
    }
}

private class FlowSubscription<T>(
    private val flow: Flow<T>,
    private val subscriber: Subscriber<in T>,
) : Subscription {
    /** The producer's parent: cancelling it works also before the producer is launched. */
    val job = Job()
    private val demand = AtomicLong()
    private val wakeups = Channel<Unit>(Channel.CONFLATED)
    private val end = AtomicReference<Any?>() // null while running, then CANCELLED, DONE or an IAE

    override fun request(n: Long) {
        if (n <= 0) {
            val bad = IllegalArgumentException("request(n) needs n > 0 (rule 3.9), was $n")
            if (end.compareAndSet(null, bad)) job.cancel()
            return
        }
        demand.getAndUpdate { current ->
            val sum = current + n
            if (sum < 0) Long.MAX_VALUE else sum
        }
        wakeups.trySend(Unit)
    }

    override fun cancel() {
        if (end.compareAndSet(null, CANCELLED)) job.cancel()
    }

    suspend fun produce() {
        var index = 0L
        val failure =
            try {
                flow.collect { value ->
                    awaitDemand()
                    if (value == null)
                        throw NullPointerException(
                            "element $index of the stream is null; a Flow.Publisher cannot emit null (rule 2.13)"
                        )
                    index++
                    // An exception of onNext (a rule-2.13 violation) fails the flow like any other.
                    subscriber.onNext(value)
                    demand.getAndUpdate { if (it == Long.MAX_VALUE) it else it - 1 }
                }
                null
            } catch (e: Throwable) {
                e // also our own CancellationException: the outcome below is decided by `end`
            }
        if (end.compareAndSet(null, DONE)) {
            if (failure == null) subscriber.onComplete() else subscriber.onError(failure)
        } else {
            val stop = end.get()
            if (stop is IllegalArgumentException) subscriber.onError(stop)
            // CANCELLED: no signal after cancel (rule 1.8).
        }
        if (failure is CancellationException && end.get() !== DONE) throw failure
    }

    private suspend fun awaitDemand() {
        while (true) {
            if (end.get() != null) throw CancellationException("the subscription was cancelled")
            if (demand.get() > 0) return
            wakeups.receive()
        }
    }

    private companion object {
        private val CANCELLED = Any()
        private val DONE = Any()
    }
}
