package dev.corobridge.core

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.Job

/**
 * The task behind `sleep` and `yieldNow`: a task coroutine with no body, completed by a timer (or,
 * for a zero delay, by one turn of its dispatcher's queue). It is a child of the task that started
 * it like any other task, but costs a timer entry instead of a running coroutine: no block, no
 * continuation, no dispatch until it fires. A million concurrent sleeps are a workload users run.
 */
internal class SleepCoroutine(parentContext: CoroutineContext, future: TaskFuture<Void?>) :
    TaskCoroutine<Void?>(
        // Its own context holds only itself and the dispatcher: a sleep runs no code that reads
        // the rest, and each element more costs every pending sleep another context node.
        parentContext[ContinuationInterceptor]
            ?: error("a sleep needs a dispatcher in its context"),
        future,
        attachToParentJob = false,
    ),
    Runnable {

    @Volatile private var timer: DisposableHandle? = null
    @Volatile private var resumed = 0

    // A child of a cancelled task is cancelled while it is constructed, before it can react; it
    // checks for that itself once started.
    @Volatile private var started = false

    init {
        initParentJob(parentContext[Job]) // a child of the task that started it, like any task
        trackOrigin(parentContext)
    }

    /** A zero-delay sleep whose turn is queued: that turn completes it, cancelled or not. */
    @Volatile private var yields = false

    fun start(nanos: Long) {
        started = true
        if (isCancelled) return finishCancelled()
        val dispatcher = context[ContinuationInterceptor] as CoroutineDispatcher
        timer =
            when {
                nanos == 0L -> {
                    yields = true
                    dispatchOrRun(this)
                    null
                }
                dispatcher is LoopDispatcher -> dispatcher.scheduleNanos(nanos, this)
                // Off a loop the timer thread only hands the wake-up to the task's own
                // dispatcher, so that code depending on the sleep never runs on the timer thread.
                else -> Deadlines.schedule(nanos) { dispatchOrRun(this) }
            }
    }

    /** The timer fired, or the dispatcher ran a zero-delay sleep. */
    override fun run() {
        if (!RESUMED.compareAndSet(this, 0, 1)) return
        // No timer: a yield. (On a loop a timer is set before it can fire, by the permit's holder.)
        val loop = if (timer == null) context[ContinuationInterceptor] as? LoopDispatcher else null
        if (loop == null) return resumeWith(Result.success(null))
        loop.resumesInTurn = future
        resumeWith(Result.success(null))
    }

    /** True while this is a yield waiting for its turn. */
    val isPendingYield: Boolean
        get() = yields && resumed == 0

    override fun onCancelling(cause: Throwable?) {
        if (cause == null || !started) return // completing normally, or see `started`
        // A yield ends in its own turn, as asyncio delivers a cancellation at a task's next step.
        if (yields) return
        timer?.dispose()
        finishCancelled()
    }

    private fun finishCancelled() {
        // Completed on its dispatcher, never from inside this cancellation's own bookkeeping. The
        // cancellation cause is the job's own: resuming with any value completes it as cancelled.
        if (!RESUMED.compareAndSet(this, 0, 1)) return
        val finish = Runnable { resumeWith(Result.success(null)) }
        val dispatcher = context[ContinuationInterceptor] as CoroutineDispatcher
        if (dispatcher.isDispatchNeeded(context)) dispatcher.dispatch(context, finish)
        else Deadlines.schedule(0, finish) // never in place: we are inside the job's cancellation
    }

    private companion object {
        private val RESUMED =
            AtomicIntegerFieldUpdater.newUpdater(SleepCoroutine::class.java, "resumed")
    }
}
