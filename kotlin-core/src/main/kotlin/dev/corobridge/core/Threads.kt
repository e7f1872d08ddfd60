package dev.corobridge.core

import java.util.concurrent.Callable
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers

/** The engine's room for work off the loop: blocking calls and CPU-bound work. */
@InternalCorobridgeApi
public class Threads private constructor(private val starter: TaskStarter) {
    /**
     * Runs blocking [work] on the IO dispatcher; cancelling the task interrupts the worker thread.
     */
    public fun <T> toThread(work: Callable<T>): TaskFuture<T> = offload(Dispatchers.IO, work)

    /** Runs CPU-bound [work] on the default dispatcher. */
    public fun <T> compute(work: Callable<T>): TaskFuture<T> = offload(Dispatchers.Default, work)

    /**
     * Runs blocking [work] on [dispatcher]; cancelling the task interrupts the thread running it.
     */
    public fun <T> offload(dispatcher: CoroutineDispatcher, work: Callable<T>): TaskFuture<T> =
        starter.startInterruptible(dispatcher, work)

    internal companion object {
        @JvmSynthetic fun create(starter: TaskStarter): Threads = Threads(starter)
    }
}
