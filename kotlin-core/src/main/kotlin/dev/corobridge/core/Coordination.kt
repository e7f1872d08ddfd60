package dev.corobridge.core

import java.util.concurrent.CancellationException
import java.util.function.Supplier
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.resume
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withContext

/**
 * The engine side of the coordination primitives (`dev.corobridge.sync`): each one keeps asyncio's
 * books, statement for statement, so that it wakes, hands over and survives cancellation as its
 * asyncio namesake does (CPython's `asyncio/locks.py` and `queues.py` are the specification).
 *
 * A waiting operation is a [Wakeup] in the primitive's queue of waiters, asyncio's
 * `loop.create_future()`: whoever frees the resource sets it, and the waiter resumes in a turn of
 * its own, queued at the loop's tail. The state of a primitive is guarded by its monitor, so it
 * stays correct on a parallel dispatcher too; continuations are resumed after the monitor is
 * released, since an unconfined resumption would run the waiter's code inside it.
 */
internal object Coordination {
    private val starter = TaskStarter { DefaultTasks.newTask<Any?>() }

    /**
     * A started task for a waiting operation [wait], run the way asyncio runs `await
     * lock.acquire()`: now, in the caller's turn, up to its first suspension; resumed by the
     * primitive in a turn of its own, in which the awaiting Java body also goes on. A body
     * cancelled while awaiting it cancels it and sees its outcome, as asyncio throws the
     * cancellation into the waiting coroutine.
     */
    fun <T> waiting(giveBack: ((T) -> Unit)? = null, wait: suspend () -> T): TaskFuture<T> =
        starter
            .start(
                starter.currentContext(),
                null,
                startsInPlace = true,
                takesAwaitersCancellation = true,
            ) {
                try {
                    val value = wait()
                    // Cancelled after the wait succeeded but before its value was set (a cancel
                    // from another thread, a timeout): nobody receives what was taken, so it goes
                    // back. asyncio has no such moment: there the wait returns in the awaiting
                    // task's own step. Kept too for an awaiter that ends without the value.
                    if (giveBack != null) {
                        future.keepUndo { giveBack(value) }
                        if (!future.trySettle(value)) future.undoOperation()
                    } else future.trySettle(value)
                    value
                } finally {
                    (context[ContinuationInterceptor] as? LoopDispatcher)?.resumesInTurn = future
                }
            }
            .also { it.isOperation = true }

    /**
     * A task that has already succeeded with [value]: a waiting operation that did not wait, and
     * how to undo it if nothing receives its value ([TaskFuture.undoOperation]).
     */
    fun <T> done(value: T, undo: (() -> Unit)? = null): TaskFuture<T> =
        DefaultTasks.newTask<T>().also {
            it.isOperation = true
            if (undo != null) it.keepUndoBeforePublishing(undo)
            it.settle(value)
        }

    fun <T> failed(failure: Throwable): TaskFuture<T> =
        DefaultTasks.newTask<T>().also {
            it.isOperation = true
            it.settleExceptionally(failure)
        }
}

/**
 * One waiter, asyncio's future in a primitive's `_waiters`: pending, then either done (its result
 * set by whoever freed the resource) or cancelled (its waiter was cancelled first). Guarded by the
 * primitive's monitor ([guard]).
 */
internal class Wakeup(private val guard: Any) {
    private var state = PENDING
    private var continuation: CancellableContinuation<Unit>? = null
    private var handOver: CancellableContinuation<Unit>? = null

    /** Done or cancelled. */
    val done: Boolean
        get() = state != PENDING

    val cancelled: Boolean
        get() = state == CANCELLED

    /**
     * Sets the result of a pending wakeup, holding the monitor; the caller then calls
     * [resumeWaiter] once it has released the monitor. Returns this.
     */
    fun setResult(): Wakeup {
        check(state == PENDING) { "a wakeup is set once" }
        state = DONE
        handOver = continuation
        continuation = null
        return this
    }

    /**
     * Resumes the waiter if [setResult] found it suspended (else it sees [done] when it suspends).
     * Called by the thread that set the result, after releasing the monitor.
     */
    fun resumeWaiter() {
        val waiter = handOver ?: return
        handOver = null
        waiter.resume(Unit)
    }

    /** asyncio's `fut.cancel()` on a waiter given up: it no longer counts as waiting. */
    fun cancel() {
        if (state == PENDING) {
            state = CANCELLED
            continuation = null
        }
    }

    /**
     * Suspends until the result is set; throws the caller's cancellation if it comes first (the
     * wakeup is then cancelled), or if it comes after the result was set but before the waiter's
     * turn ran (the wakeup stays done: the primitive's bookkeeping then passes the wake-up on).
     */
    suspend fun await() {
        suspendCancellableCoroutine { waiter ->
            waiter.invokeOnCancellation { synchronized(guard) { cancel() } }
            val settled =
                synchronized(guard) {
                    if (state == PENDING) continuation = waiter
                    state == DONE
                }
            if (settled) waiter.resume(Unit)
        }
    }

    private companion object {
        const val PENDING = 0
        const val DONE = 1
        const val CANCELLED = 2
    }
}

/** Resumes the waiter of [wakeup], if one was woken; called after the monitor was released. */
internal fun wake(wakeup: Wakeup?) {
    wakeup?.resumeWaiter()
}

/** asyncio's `Lock`: strict FIFO among waiters, the lock taken by the waiter in its own turn. */
@InternalCorobridgeApi
public class LockCore {
    private var locked = false
    /** The undo of an acquire that did not wait, one for all of them (see Coordination.done). */
    private val releaseUnused = { release() }
    private val waiters = ArrayDeque<Wakeup>()

    public fun locked(): Boolean = synchronized(this) { locked }

    /** A started task that completes once the lock is held by the caller. */
    public fun acquireTask(): TaskFuture<Void?> {
        if (synchronized(this) { takeIfFree() }) return Coordination.done(null, releaseUnused)
        return Coordination.waiting({ release() }) {
            acquire()
            null
        }
    }

    /**
     * Takes the lock if it is free and nobody waits for it (cancelled waiters do not count). Called
     * holding the monitor.
     */
    private fun takeIfFree(): Boolean {
        if (locked || !waiters.all { it.cancelled }) return false
        locked = true
        return true
    }

    public suspend fun acquire() {
        // Checked and queued at once: a release in between would find nobody to wake.
        val wakeup =
            synchronized(this) { if (takeIfFree()) null else Wakeup(this).also(waiters::addLast) }
                ?: return
        try {
            wakeup.await()
        } catch (e: CancellationException) {
            // Not claimed by this waiter: the first one still waiting must get its chance.
            val next =
                synchronized(this) {
                    waiters.remove(wakeup)
                    if (!locked) wakeUpFirst() else null
                }
            wake(next)
            throw e
        } catch (e: Throwable) {
            synchronized(this) { waiters.remove(wakeup) }
            throw e
        }
        // Leaving the line and taking the lock at once: on a parallel dispatcher a newcomer that
        // saw neither would take it too.
        synchronized(this) {
            waiters.remove(wakeup)
            locked = true
        }
    }

    public fun release() {
        val waiter =
            synchronized(this) {
                check(locked) { "the lock is not held: release it once per acquire()" }
                locked = false
                wakeUpFirst()
            }
        wake(waiter)
    }

    private fun wakeUpFirst(): Wakeup? {
        val first = waiters.firstOrNull() ?: return null
        return if (first.done) null else first.setResult()
    }
}

/**
 * asyncio's `Semaphore` (and, with a [bound], `BoundedSemaphore`): FIFO among waiters, a permit
 * handed to the waiter it wakes, and given back if that waiter is cancelled before its turn.
 */
@InternalCorobridgeApi
public class SemaphoreCore(private var value: Int, private val bound: Int = UNBOUNDED) {
    private val waiters = ArrayDeque<Wakeup>()
    /** The undo of an acquire that did not wait, one for all of them (see Coordination.done). */
    private val releaseUnused = { release() }

    /** True when an acquire would wait: no permit, or waiters still queued (FIFO). */
    public fun locked(): Boolean = synchronized(this) { lockedNow() }

    private fun lockedNow(): Boolean = value == 0 || waiters.any { !it.cancelled }

    /** The permits available now. */
    public fun available(): Int = synchronized(this) { value }

    public fun acquireTask(): TaskFuture<Void?> {
        if (synchronized(this) { takeIfFree() }) return Coordination.done(null, releaseUnused)
        return Coordination.waiting({ release() }) {
            acquire()
            null
        }
    }

    /** Takes a permit if one is free and nobody waits (FIFO). Called holding the monitor. */
    private fun takeIfFree(): Boolean {
        if (lockedNow()) return false
        value--
        return true
    }

    public suspend fun acquire() {
        // Checked and queued at once: a release in between would find nobody to wake.
        val wakeup =
            synchronized(this) { if (takeIfFree()) null else Wakeup(this).also(waiters::addLast) }
                ?: return
        try {
            try {
                wakeup.await()
            } finally {
                synchronized(this) { waiters.remove(wakeup) }
            }
        } catch (e: CancellationException) {
            // Woken with a permit but cancelled before its turn: the permit goes back.
            synchronized(this) { if (wakeup.done && !wakeup.cancelled) value++ }
            throw e
        } finally {
            // Waiters that arrived meanwhile had to queue behind this one (FIFO).
            wakeWhilePermits()
        }
    }

    public fun release() {
        val next =
            synchronized(this) {
                check(bound == UNBOUNDED || value < bound) {
                    "the semaphore was released more often than acquired: it was created with " +
                        "$bound ${if (bound == 1) "permit" else "permits"}; release once per acquire()"
                }
                value++
                wakeUpNext()
            }
        wake(next)
    }

    private fun wakeWhilePermits() {
        while (true) {
            val next = synchronized(this) { if (value > 0) wakeUpNext() else null } ?: return
            wake(next)
        }
    }

    /** Hands a permit to the first waiter not done yet; null if there is none. */
    private fun wakeUpNext(): Wakeup? {
        val first = waiters.firstOrNull { !it.done } ?: return null
        value--
        return first.setResult()
    }

    public companion object {
        public const val UNBOUNDED: Int = -1
    }
}

/** asyncio's `Event`: `set()` wakes every waiter, each in its own turn, in the order they came. */
@InternalCorobridgeApi
public class EventCore {
    private var value = false
    private val waiters = ArrayList<Wakeup>()

    public fun isSet(): Boolean = synchronized(this) { value }

    public fun set() {
        setHolding().forEach(::wake)
    }

    /**
     * [set] for a caller that holds a monitor of its own (a queue keeps this event in step with its
     * count under its monitor): returns the waiters to [wake] once that monitor is released.
     */
    @JvmSynthetic
    internal fun setHolding(): List<Wakeup> =
        synchronized(this) {
            if (value) return emptyList()
            value = true
            waiters.filter { !it.done }.map { it.setResult() }
        }

    public fun clear() {
        synchronized(this) { value = false }
    }

    public fun whenSetTask(): TaskFuture<Void?> {
        if (isSet()) return Coordination.done(null)
        return Coordination.waiting {
            awaitSet()
            null
        }
    }

    public suspend fun awaitSet() {
        val wakeup =
            synchronized(this) {
                if (value) return
                Wakeup(this).also { waiters.add(it) }
            }
        try {
            wakeup.await()
        } finally {
            synchronized(this) { waiters.remove(wakeup) }
        }
    }
}

/**
 * asyncio's `Queue` over [storage] (FIFO, LIFO or priority order), with `task_done`/`join`
 * accounting and 3.13's `shutdown`. A [capacity] of 0 or less is unbounded. [shutDown] makes the
 * exception that operations on a queue shut down fail with.
 */
@InternalCorobridgeApi
public class QueueCore<T : Any>(
    private val capacity: Int,
    private val storage: QueueStorage<T>,
    private val shutDown: Supplier<out RuntimeException>,
) {
    private val getters = ArrayDeque<Wakeup>()
    private val putters = ArrayDeque<Wakeup>()
    private var unfinished = 0
    private val finished = EventCore().also { it.set() }
    private var isShutDown = false
    private var droppedItems = false

    public fun capacity(): Int = capacity

    public fun size(): Int = synchronized(this) { storage.size }

    public fun isEmpty(): Boolean = synchronized(this) { storage.size == 0 }

    public fun isFull(): Boolean = synchronized(this) { fullNow() }

    private fun fullNow(): Boolean = capacity > 0 && storage.size >= capacity

    /** asyncio's `put_nowait`: false if the queue is full. */
    public fun offer(item: T): Boolean {
        val getter =
            synchronized(this) {
                if (isShutDown) throw shutDown.get()
                if (fullNow()) return false
                storage.add(item)
                // Only the first unfinished item clears `finished`: a monitor less per put.
                if (unfinished++ == 0) finished.clear()
                wakeUpNext(getters)
            }
        wake(getter)
        return true
    }

    /** asyncio's `get_nowait`: null if the queue is empty. */
    public fun poll(): T? {
        val (item, putter) =
            synchronized(this) {
                if (storage.size == 0) {
                    if (isShutDown) throw shutDown.get()
                    return null
                }
                storage.remove() to wakeUpNext(putters)
            }
        wake(putter)
        return item
    }

    public fun putTask(item: T): TaskFuture<Void?> {
        try {
            if (offer(item)) return Coordination.done(null) { takeBack(item) }
        } catch (e: RuntimeException) {
            return Coordination.failed(e)
        }
        return Coordination.waiting({ takeBack(item) }) {
            put(item)
            null
        }
    }

    public fun getTask(): TaskFuture<T> {
        try {
            poll()?.let { item ->
                return Coordination.done(item) { giveBack(item) }
            }
        } catch (e: RuntimeException) {
            return Coordination.failed(e)
        }
        return Coordination.waiting(::giveBack) { get() }
    }

    /** Undoes a put whose task was cancelled once it had put [item], unless a get took it. */
    private fun takeBack(item: T) {
        val (putter, joiners) =
            synchronized(this) {
                if (!storage.removeItem(item)) return
                unfinished--
                wakeUpNext(putters) to finishedIfNoneLeft()
            }
        joiners.forEach(::wake)
        wake(putter)
    }

    /** Undoes a get whose task was cancelled once it had taken [item]: it leaves next again. */
    private fun giveBack(item: T) {
        val (getter, joiners) =
            synchronized(this) {
                if (droppedItems) {
                    // An immediate shutdown dropped the others and counted them done: this too.
                    unfinished--
                    null to finishedIfNoneLeft()
                } else {
                    storage.restore(item)
                    wakeUpNext(getters) to emptyList()
                }
            }
        joiners.forEach(::wake)
        wake(getter)
    }

    public suspend fun put(item: T) {
        // asyncio's `while full(): wait` then `put_nowait`; on a parallel dispatcher the room
        // seen may be gone by then, hence one loop.
        while (!offer(item)) {
            val putter =
                synchronized(this) {
                    if (!fullNow()) null else Wakeup(this).also { putters.addLast(it) }
                } ?: continue
            awaitTurn(putter, putters) { !fullNow() }
        }
    }

    public suspend fun get(): T {
        while (true) {
            poll()?.let {
                return it
            }
            val getter =
                synchronized(this) {
                    if (storage.size != 0) null else Wakeup(this).also { getters.addLast(it) }
                } ?: continue
            awaitTurn(getter, getters) { storage.size != 0 }
        }
    }

    /**
     * Awaits [wakeup]; if that fails, gives it up and, if it had been woken with room for it (or an
     * item), passes the wake-up on to the next in [line].
     */
    private suspend inline fun awaitTurn(
        wakeup: Wakeup,
        line: ArrayDeque<Wakeup>,
        crossinline couldGoOn: () -> Boolean,
    ) {
        try {
            wakeup.await()
        } catch (e: Throwable) {
            val next =
                synchronized(this) {
                    wakeup.cancel()
                    line.remove(wakeup)
                    if (couldGoOn() && !wakeup.cancelled) wakeUpNext(line) else null
                }
            wake(next)
            throw e
        }
    }

    /** asyncio's `task_done`: one item taken from the queue has been dealt with. */
    public fun taskDone() {
        val joiners =
            synchronized(this) {
                check(unfinished > 0) {
                    "taskDone() was called more often than items were put in the queue"
                }
                unfinished--
                finishedIfNoneLeft()
            }
        joiners.forEach(::wake)
    }

    public fun joinTask(): TaskFuture<Void?> {
        if (synchronized(this) { unfinished == 0 }) return Coordination.done(null)
        return Coordination.waiting {
            join()
            null
        }
    }

    public suspend fun join() {
        if (synchronized(this) { unfinished > 0 }) finished.awaitSet()
    }

    /**
     * Shuts the queue down: puts fail from now on, gets once it is empty (with [immediate], at
     * once: the items left are dropped and counted as done). Every waiting put and get wakes up to
     * see it.
     */
    public fun shutdown(immediate: Boolean) {
        val woken =
            synchronized(this) {
                isShutDown = true
                val woken = ArrayList<Wakeup>()
                if (immediate) {
                    droppedItems = true
                    while (storage.size != 0) {
                        storage.remove()
                        if (unfinished > 0) unfinished--
                    }
                    woken.addAll(finishedIfNoneLeft())
                }
                for (line in listOf(getters, putters)) {
                    while (line.isNotEmpty()) {
                        val waiter = line.removeFirst()
                        if (!waiter.done) woken.add(waiter.setResult())
                    }
                }
                woken
            }
        woken.forEach(::wake)
    }

    /**
     * Sets `finished` if no item is unfinished; holding the monitor, so it agrees with the count.
     */
    private fun finishedIfNoneLeft(): List<Wakeup> =
        if (unfinished == 0) finished.setHolding() else emptyList()

    /** asyncio's `_wakeup_next`: the first waiter in [line] not done yet is woken and leaves it. */
    private fun wakeUpNext(line: ArrayDeque<Wakeup>): Wakeup? {
        while (line.isNotEmpty()) {
            val waiter = line.removeFirst()
            if (!waiter.done) return waiter.setResult()
        }
        return null
    }
}

/** Where a [QueueCore] keeps its items, in the order they leave. */
@InternalCorobridgeApi
public interface QueueStorage<T> {
    public val size: Int

    public fun add(item: T)

    public fun remove(): T

    /** Puts back [item], just removed, so that it is the next to leave. */
    public fun restore(item: T)

    /** Removes one item equal to [item], if there is one still here. */
    public fun removeItem(item: T): Boolean

    public companion object {
        @JvmStatic
        public fun <T> fifo(): QueueStorage<T> =
            object : QueueStorage<T> {
                private val items = java.util.ArrayDeque<T>()
                override val size: Int
                    get() = items.size

                override fun add(item: T) = items.addLast(item)

                override fun remove(): T = items.removeFirst()

                override fun restore(item: T) = items.addFirst(item)

                override fun removeItem(item: T): Boolean = items.removeLastOccurrence(item)
            }

        @JvmStatic
        public fun <T> lifo(): QueueStorage<T> =
            object : QueueStorage<T> {
                private val items = java.util.ArrayDeque<T>()
                override val size: Int
                    get() = items.size

                override fun add(item: T) = items.addLast(item)

                override fun remove(): T = items.removeLast()

                override fun restore(item: T) = items.addLast(item)

                override fun removeItem(item: T): Boolean = items.removeLastOccurrence(item)
            }

        @JvmStatic
        public fun <T> priority(order: Comparator<in T>): QueueStorage<T> =
            object : QueueStorage<T> {
                private val items = java.util.PriorityQueue(order)
                override val size: Int
                    get() = items.size

                override fun add(item: T) {
                    items.add(item)
                }

                override fun remove(): T = items.remove()

                override fun restore(item: T) {
                    items.add(item)
                }

                override fun removeItem(item: T): Boolean = items.remove(item)
            }
    }
}

/**
 * asyncio's `Condition` over [lock]: a wait releases the lock, waits for a signal and takes the
 * lock back before it returns or throws, even when cancelled; a signal wakes waiters in the order
 * they came.
 */
@InternalCorobridgeApi
public class ConditionCore(public val lock: LockCore) {
    private val waiters = ArrayDeque<Wakeup>()

    public fun whenSignalledTask(): TaskFuture<Void?> {
        checkLocked("wait")
        return Coordination.waiting {
            await()
            null
        }
    }

    public fun waitForTask(predicate: () -> Boolean): TaskFuture<Void?> {
        checkLocked("wait")
        if (predicate()) return Coordination.done(null)
        return Coordination.waiting {
            awaitUntil(predicate)
            null
        }
    }

    /** asyncio's `await cond.wait()`; the caller holds [lock]. */
    public suspend fun await() {
        checkLocked("wait")
        val wakeup = Wakeup(this)
        // Queued before the lock is released: a signal right after the release must find it.
        synchronized(this) { waiters.addLast(wakeup) }
        lock.release()
        try {
            try {
                try {
                    wakeup.await()
                } finally {
                    synchronized(this) { waiters.remove(wakeup) }
                }
            } finally {
                // The lock is taken back even if the wait was cancelled, before the caller sees
                // the cancellation. asyncio's loop: a cancellation while waiting for it gives up
                // that place in line (a free lock goes to whoever asks first) and waits again at
                // its end, without letting itself be cancelled a second time.
                try {
                    lock.acquire()
                } catch (e: CancellationException) {
                    withContext(NonCancellable) { lock.acquire() }
                    throw e
                }
            }
        } catch (e: Throwable) {
            // A signal this waiter took with it goes to the next one.
            signalWaiters(1)
            throw e
        }
    }

    /** asyncio's `await cond.wait_for(predicate)`. */
    public suspend fun awaitUntil(predicate: () -> Boolean) {
        while (!predicate()) await()
    }

    /** asyncio's `notify(n)`: wakes up to [count] waiters; the caller holds [lock]. */
    public fun signal(count: Int) {
        checkLocked("signal")
        signalWaiters(count)
    }

    public fun signalAll() {
        checkLocked("signal")
        signalWaiters(Int.MAX_VALUE)
    }

    private fun signalWaiters(count: Int) {
        val woken =
            synchronized(this) {
                val woken = ArrayList<Wakeup>()
                for (waiter in waiters) {
                    if (woken.size >= count) break
                    if (!waiter.done) woken.add(waiter.setResult())
                }
                woken
            }
        woken.forEach(::wake)
    }

    private fun checkLocked(what: String) {
        check(lock.locked()) {
            "cannot $what on a condition whose lock is not held: acquire it first (hold())"
        }
    }
}

/**
 * asyncio's `Barrier`: [parties] tasks meet; each gets its index of arrival, the last one lets them
 * all go, and the barrier drains before it fills again. [broken] makes the failure of waits on a
 * barrier that is reset or aborted.
 */
@InternalCorobridgeApi
public class BarrierCore(public val parties: Int, private val broken: Supplier<out Exception>) {
    private val lock = LockCore()
    private val condition = ConditionCore(lock)
    @Volatile private var state = FILLING
    @Volatile private var count = 0

    public fun arriveTask(): TaskFuture<Int> = Coordination.waiting { arrive() }

    public fun resetTask(): TaskFuture<Void?> =
        Coordination.waiting {
            reset()
            null
        }

    public fun abortTask(): TaskFuture<Void?> =
        Coordination.waiting {
            abort()
            null
        }

    /** The tasks waiting for the barrier to fill; 0 while it drains, resets or is broken. */
    public fun waiting(): Int = if (state == FILLING) count else 0

    public fun isBroken(): Boolean = state == BROKEN

    /** asyncio's `await barrier.wait()`: the index of arrival, from 0 to [parties] - 1. */
    public suspend fun arrive(): Int {
        lock.acquire()
        try {
            // Wait while the barrier drains or resets.
            condition.awaitUntil { state != DRAINING && state != RESETTING }
            if (state == BROKEN) throw broken.get()
            try {
                val index = count
                count++
                if (index + 1 == parties) {
                    state = DRAINING
                    condition.signalAll()
                } else {
                    condition.awaitUntil { state != FILLING }
                    if (state == BROKEN || state == RESETTING) throw broken.get()
                }
                return index
            } finally {
                count--
                if (count == 0) {
                    if (state == RESETTING || state == DRAINING) state = FILLING
                    condition.signalAll()
                }
            }
        } finally {
            lock.release()
        }
    }

    /** asyncio's `reset()`: waiting tasks fail, and the barrier fills again once they left. */
    public suspend fun reset() {
        lock.acquire()
        try {
            state = if (count > 0) RESETTING else FILLING
            condition.signalAll()
        } finally {
            lock.release()
        }
    }

    /** asyncio's `abort()`: waiting tasks fail, and so does every wait from now on. */
    public suspend fun abort() {
        lock.acquire()
        try {
            state = BROKEN
            condition.signalAll()
        } finally {
            lock.release()
        }
    }

    private companion object {
        const val FILLING = 0
        const val DRAINING = 1
        const val RESETTING = 2
        const val BROKEN = 3
    }
}
