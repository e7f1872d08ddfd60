package dev.corobridge.core

import java.util.concurrent.CompletableFuture
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.DisposableHandle

/** Told how many of a fan-out's tasks have ended ([done]), how many of those failed, of [total]. */
@InternalCorobridgeApi
public fun interface ProgressSink {
    public fun report(done: Int, failed: Int, total: Int)
}

/**
 * Reports each of [futures] to [sink] as it settles, in a turn of its own on the dispatcher of the
 * coroutine that created it, so a listener runs on the loop, never on whatever thread completed a
 * task, and one call at a time. The first exception the sink throws stops the reports and is kept
 * for the fan-out to fail with ([failure]).
 */
internal class ProgressReport
private constructor(
    private val futures: List<CompletableFuture<*>>,
    private val sink: ProgressSink,
    private val context: CoroutineContext,
) {
    private var done = 0
    private var failed = 0
    private var handles: List<DisposableHandle> = emptyList()
    private val allReported = CompletableDeferred<Unit>()

    /** What the sink threw, if it did. */
    var failure: Throwable? = null
        private set

    private fun start() {
        if (futures.isEmpty()) allReported.complete(Unit)
        handles = futures.map { future -> future.onSettled { inTurn { count(future) } } }
    }

    private fun inTurn(block: Runnable) {
        val dispatcher = context[ContinuationInterceptor] as? CoroutineDispatcher
        if (dispatcher != null && dispatcher.isDispatchNeeded(context))
            dispatcher.dispatch(context, block)
        else block.run()
    }

    private fun count(future: CompletableFuture<*>) {
        synchronized(this) {
            done++
            if (future.isCompletedExceptionally) failed++
            if (failure == null) {
                try {
                    sink.report(done, failed, futures.size)
                } catch (e: Throwable) {
                    failure = e
                }
            }
            if (done == futures.size) allReported.complete(Unit)
        }
    }

    /**
     * Suspends until every future has been reported, then throws what the sink threw, if it did: a
     * listener's exception fails the fan-out once its tasks have all ended.
     */
    suspend fun awaitAllReportedOrThrow() {
        allReported.await()
        failure?.let { throw it }
    }

    /** No reports after this, for futures that settle once the fan-out ended. */
    fun stop() {
        handles.forEach { it.dispose() }
    }

    companion object {
        /** A report for [futures] on the dispatcher of [context], or null without [sink]. */
        fun start(
            futures: List<CompletableFuture<*>>,
            sink: ProgressSink?,
            context: CoroutineContext,
        ): ProgressReport? =
            if (sink == null) null else ProgressReport(futures, sink, context).also { it.start() }
    }
}
