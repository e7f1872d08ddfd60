package dev.corobridge.core

import java.util.concurrent.Callable
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.job
import kotlinx.coroutines.withContext

/**
 * The engine side of `dev.corobridge.io`'s files: blocking file calls as tasks on the IO threads,
 * never on a loop. A cancellation interrupts the thread making the call; the JDK's file channels
 * are interruptible, so the interrupt closes the channel and the call returns at once. The task
 * ends after it has, and fails with the cancellation, not with the channel's
 * `ClosedByInterruptException`.
 */
@InternalCorobridgeApi
public object FileCalls {
    private val starter = TaskStarter { DefaultTasks.newTask<Any?>() }

    /** A started task running blocking file [work] on the IO threads; see [FileCalls]. */
    @JvmStatic
    public fun <T> call(work: Callable<T>): TaskFuture<T> =
        // A body cancelled while awaiting it (a timeout) goes on once the file is closed.
        starter.startInterruptible(Dispatchers.IO, work, partOfItsAwaiter = true)

    /**
     * A cold flow over a blocking source: each collection opens one with [open] and reads it
     * through [readBatch], up to [batch] elements per hop to the IO threads (an empty batch is the
     * end), emitting them to the collector in its own context (a Java loop takes them a batch per
     * await: see [BatchedFlow]). The source is read no further ahead than that allows, and is
     * closed when its elements end, reading fails, or the collector stops early or is cancelled
     * (which interrupts a read under way).
     */
    @JvmStatic
    public fun <S : AutoCloseable, R> read(
        batch: Int,
        open: Callable<S>,
        readBatch: BatchReader<S, R>,
    ): Flow<R> {
        require(batch >= 1) { "batch must be >= 1, was $batch" }
        return BatchedFlow(
            flow {
                // Kept outside the hop, so that a cancellation as it returns cannot lose the
                // source.
                var opened: S? = null
                try {
                    onIoThread { opened = open.call() }
                    val source = opened!!
                    while (true) {
                        val read = onIoThread { readBatch.read(source, batch) }
                        if (read.isEmpty()) break
                        emit(read)
                    }
                } finally {
                    opened?.let { source ->
                        withContext(NonCancellable + Dispatchers.IO) { source.close() }
                    }
                }
            }
        )
    }

    private suspend fun <T> onIoThread(work: Callable<T>): T =
        withContext(Dispatchers.IO) { runInterruptibly(coroutineContext.job, work) }
}

/**
 * Reads up to [max] elements from a blocking source (fewer when they are large); none only at its
 * end.
 */
@InternalCorobridgeApi
public fun interface BatchReader<S, R> {
    @Throws(Exception::class) public fun read(source: S, max: Int): List<R>
}
