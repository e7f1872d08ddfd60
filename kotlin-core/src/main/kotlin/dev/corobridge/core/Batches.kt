package dev.corobridge.core

import kotlinx.coroutines.flow.FlowCollector

/**
 * Emits a blocking source's elements a batch at a time: [readBatch] reads up to [batch] of them in
 * one hop to the source's threads, and a batch shorter than that is the last. A hop to another
 * thread costs as much as handing over many elements, so a stream of rows or lines pays it once per
 * batch instead of once per element.
 */
internal suspend inline fun <R> FlowCollector<R>.emitInBatches(
    batch: Int,
    readBatch: () -> List<R>,
) {
    do {
        val read = readBatch()
        for (element in read) emit(element)
    } while (read.size == batch)
}
