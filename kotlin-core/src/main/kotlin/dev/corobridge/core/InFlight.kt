package dev.corobridge.core

import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull

/**
 * The tasks and futures a resource has started that have not ended yet (a server's requests and
 * their writes, a client session's exchanges): what closing the resource cancels or drains. A task
 * counts until it has settled, its cleanup after a cancellation included. Tracking costs a set
 * entry and a callback of the engine's own per task: no dependent stage.
 */
@InternalCorobridgeApi
public class InFlight {
    private val running: MutableSet<CompletableFuture<*>> = ConcurrentHashMap.newKeySet()

    /** Counts [future] until it settles; returns it. */
    public fun <F : CompletableFuture<*>> track(future: F): F {
        running.add(future)
        future.onSettled { running.remove(future) }
        return future
    }

    /** How many tracked futures have not settled. */
    public fun count(): Int = running.size

    /** Cancels every tracked future that is still running (with an interrupt, for plain ones). */
    public fun cancelAll() {
        for (future in running.toList()) future.cancel(true)
    }

    /**
     * A started task that drains what is in flight: waits up to [graceNanos] for every tracked
     * future to settle, cancels those still running, and waits for them to settle too (their
     * cleanup runs to the end). Futures tracked while it waits are waited for as well. Cancelling
     * the drain cancels what is still running at once.
     */
    public fun drain(graceNanos: Long): TaskFuture<Void?> =
        starter.start(starter.currentContext(), "drain") {
            val graceMillis = (graceNanos + 999_999) / 1_000_000
            try {
                withTimeoutOrNull(graceMillis) { awaitAllSettled() }
            } finally {
                cancelAll()
                withContext(NonCancellable) { awaitAllSettled() }
            }
            null
        }

    private suspend fun awaitAllSettled() {
        while (true) {
            // A settled future leaves the set in its own callback, maybe a moment later.
            val snapshot = running.filter { !it.isSettled() }
            if (snapshot.isEmpty()) return
            for (future in snapshot) awaitSettled(future)
        }
    }

    private companion object {
        private val starter = TaskStarter { DefaultTasks.newTask<Any?>() }
    }
}
