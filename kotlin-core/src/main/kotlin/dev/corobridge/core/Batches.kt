package dev.corobridge.core

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector

/**
 * A flow whose elements come from a blocking source in batches (rows of a result set, lines of a
 * file, a process's output): collected, it emits them one by one, but a Java loop iterating it
 * ([StreamCursor]) takes a batch per await and hands out its elements without one, reading at most
 * two batches ahead. An await costs as much as handing over hundreds of elements; per batch, it is
 * shared by them.
 *
 * Its `map` and `filter` steps run as each element is handed out, in the consumer's turn, as they
 * would on a flow of single elements: the batches themselves may be read on other threads.
 */
internal class BatchedFlow<T>
private constructor(
    /** The source's batches, never empty; collecting them runs no code of the stream's user. */
    val batches: Flow<List<Any?>>,
    /** The map and filter steps, composed; returns [SKIP] for an element a filter drops. */
    private val step: ((Any?) -> Any?)?,
) : Flow<T> {
    @Suppress("UNCHECKED_CAST")
    constructor(batches: Flow<List<T>>) : this(batches as Flow<List<Any?>>, null)

    /** [element] after the stream's map and filter steps, or [SKIP]. */
    fun handOut(element: Any?): Any? = if (step == null) element else step.invoke(element)

    override suspend fun collect(collector: FlowCollector<T>) {
        batches.collect { batch ->
            for (element in batch) {
                val value = handOut(element)
                @Suppress("UNCHECKED_CAST") if (value !== SKIP) collector.emit(value as T)
            }
        }
    }

    @Suppress("UNCHECKED_CAST")
    fun <R> map(transform: (T) -> R): BatchedFlow<R> =
        BatchedFlow(batches, then { transform(it as T) })

    @Suppress("UNCHECKED_CAST")
    fun filter(predicate: (T) -> Boolean): BatchedFlow<T> =
        BatchedFlow(batches, then { if (predicate(it as T)) it else SKIP })

    private fun then(next: (Any?) -> Any?): (Any?) -> Any? {
        val first = step ?: return next
        return { element -> first(element).let { if (it === SKIP) SKIP else next(it) } }
    }

    companion object {
        /** What a filter step returns for an element it drops. */
        val SKIP: Any = Any()
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
