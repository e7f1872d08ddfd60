package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater
import java.util.concurrent.locks.LockSupport
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.coroutineContext
import kotlin.coroutines.resume
import kotlin.coroutines.suspendCoroutine
import kotlinx.coroutines.CompletableJob
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.withContext

/**
 * Runs a Java task body in direct style: the body runs on its own thread, and each `await()` in it
 * hands the turn to the coroutine driving it ([drive]), which suspends until the awaited future
 * settles and then hands the turn back. Exactly one side holds the turn at any moment.
 *
 * On an exclusive loop the driver keeps the loop thread parked while the body holds the turn: that
 * is the loop's run permit. Elsewhere the driver suspends instead, so bodies run in parallel.
 *
 * Cancellation reaches the body once, as a `CancellationException` from the await it is parked in
 * (or its next one); later awaits run non-cancellably so that `finally` blocks can still await
 * their cleanup.
 */
internal class JavaBody<T>(private val body: Callable<T>, val task: TaskFuture<*>) : Runnable {
    /** The context of the driving coroutine: where the body's awaits belong. */
    lateinit var context: CoroutineContext
        private set

    /**
     * Where tasks the body launches belong. Once cancellation was delivered, the task's own job is
     * cancelled and would cancel new children at birth, so cleanup work launched from
     * `catch`/`finally` goes to [cleanup] instead, which the driver waits for before the task
     * completes.
     */
    val launchContext: CoroutineContext
        get() = cleanup?.let { context + it } ?: context

    @Volatile private var cleanup: CompletableJob? = null

    @Volatile private var turn = DRIVER
    @Volatile
    private var handoff: Any? = null // parallel mode: the waiting driver's continuation, or POSTED
    private var exclusive = true
    private var driverThread: Thread? = null
    private var bodyThread: Thread? = null
    private var awaited: CompletableFuture<*>? = null
    private var awaitedCancellable = true
    private var cancellation: CancellationException? = null

    /** The body has received its cancellation (body thread only). */
    var cancellationReceived: Boolean = false
        private set

    private var finished = false
    private var value: T? = null
    private var failure: Throwable? = null
    private var exitActions: MutableSet<Runnable>? = null

    suspend fun drive(): T {
        context = coroutineContext
        val environment =
            context[TaskEnvironment] ?: error("a Java body needs a TaskEnvironment in its context")
        exclusive = environment.exclusive
        driverThread = Thread.currentThread()
        turn = BODY
        environment.threads.start(this)
        waitForBody()
        var cancellationDelivered = false
        while (!finished) {
            val target = awaited!!
            awaited = null
            if (cancellationDelivered || !awaitedCancellable) {
                withContext(NonCancellable) { awaitSettled(target) }
            } else {
                try {
                    awaitSettled(target)
                } catch (e: CancellationException) {
                    cancellation = e
                    cancellationDelivered = true
                    cleanup = SupervisorJob()
                }
            }
            driverThread = Thread.currentThread()
            handoff = null
            turn = BODY
            LockSupport.unpark(bodyThread)
            waitForBody()
        }
        // What the body left open (a stream it stopped iterating) is stopped before the task waits
        // for its children: the producer is one of them and would otherwise keep it alive.
        exitActions?.forEach(Runnable::run)
        cleanup?.let { job ->
            job.complete()
            withContext(NonCancellable) { job.join() }
        }
        failure?.let { throw it }
        @Suppress("UNCHECKED_CAST")
        return value as T
    }

    private suspend fun waitForBody() {
        if (exclusive) {
            parkUntil(DRIVER)
        } else {
            suspendCoroutine { continuation ->
                if (!HANDOFF.compareAndSet(this, null, continuation)) continuation.resume(Unit)
            }
        }
    }

    /** The body thread: runs the user's code, then hands the turn back for the last time. */
    override fun run() {
        bodyThread = Thread.currentThread()
        CURRENT.set(this)
        val carried = context[CarriedContext]
        val previous = carried?.install()
        try {
            value = body.call()
        } catch (e: Throwable) {
            failure = e
        } finally {
            previous?.let { carried.restore(it) }
            CURRENT.remove()
        }
        finished = true
        giveTurnToDriver()
    }

    /**
     * Called on the body thread by `await()`: waits for [target] to settle while the loop runs
     * others.
     */
    fun await(target: CompletableFuture<*>, cancellable: Boolean = true) {
        awaited = target
        awaitedCancellable = cancellable
        giveTurnToDriver()
        parkUntil(BODY)
        val delivered = cancellation
        if (delivered != null) {
            cancellation = null
            cancellationReceived = true
            throw delivered
        }
    }

    /**
     * Registers [action] to run on the driver once the body has returned or thrown, before the task
     * waits for its children. Called on the body thread, like [removeOnExit].
     */
    fun onExit(action: Runnable) {
        (exitActions ?: LinkedHashSet<Runnable>().also { exitActions = it }).add(action)
    }

    fun removeOnExit(action: Runnable) {
        exitActions?.remove(action)
    }

    private fun giveTurnToDriver() {
        turn = DRIVER
        if (exclusive) {
            LockSupport.unpark(driverThread)
        } else {
            @Suppress("UNCHECKED_CAST")
            (HANDOFF.getAndSet(this, POSTED) as? Continuation<Unit>)?.resume(Unit)
        }
    }

    private fun parkUntil(expected: Int) {
        var interrupted = false
        while (turn != expected) {
            LockSupport.park(this)
            // An interrupt must not turn this wait into a spin; it is restored for the code that
            // follows.
            if (Thread.interrupted()) interrupted = true
        }
        if (interrupted) Thread.currentThread().interrupt()
    }

    companion object {
        private const val DRIVER = 0
        private const val BODY = 1
        private val POSTED = Any()
        private val HANDOFF =
            AtomicReferenceFieldUpdater.newUpdater(JavaBody::class.java, Any::class.java, "handoff")
        private val CURRENT = ThreadLocal<JavaBody<*>>()

        /** The Java body running on this thread, or null outside task bodies. */
        fun current(): JavaBody<*>? = CURRENT.get()
    }
}
