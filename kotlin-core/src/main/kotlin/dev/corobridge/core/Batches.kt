package dev.corobridge.core

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.flow.flow

/**
 * A flow whose elements come from a blocking source in batches (rows of a result set, lines of a
 * file): collected, it emits them one by one, but a Java loop iterating it ([StreamCursor]) takes a
 * batch per await and hands out its elements without one, reading at most one batch ahead. An await
 * costs as much as handing over hundreds of elements; per batch, it is shared by them.
 */
internal class BatchedFlow<T>(val batches: Flow<List<T>>) : Flow<T> {
    override suspend fun collect(collector: FlowCollector<T>) {
        batches.collect { batch -> for (element in batch) collector.emit(element) }
    }

    /** [transform] of each element, still in batches; a failure ends the batch where it came. */
    fun <R> map(transform: (T) -> R): BatchedFlow<R> =
        BatchedFlow(transformEach { out, element -> out.add(transform(element)) })

    /** The elements [predicate] accepts, still in batches. */
    fun filter(predicate: (T) -> Boolean): BatchedFlow<T> =
        BatchedFlow(transformEach { out, element -> if (predicate(element)) out.add(element) })

    private fun <R> transformEach(step: (MutableList<R>, T) -> Unit): Flow<List<R>> = flow {
        batches.collect { batch ->
            val out = ArrayList<R>(batch.size)
            try {
                for (element in batch) step(out, element)
            } catch (e: Throwable) {
                // What came before the failure still reaches the consumer, as one by one it would.
                if (out.isNotEmpty()) emit(out)
                throw e
            }
            if (out.isNotEmpty()) emit(out)
        }
    }
}

/**
 * Emits a blocking source's batches: [readBatch] reads up to [batch] elements in one hop to the
 * source's threads, and a batch shorter than that is the last.
 */
internal suspend inline fun <R> FlowCollector<List<R>>.emitBatches(
    batch: Int,
    readBatch: () -> List<R>,
) {
    do {
        val read = readBatch()
        if (read.isNotEmpty()) emit(read)
    } while (read.size == batch)
}
