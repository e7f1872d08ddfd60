package dev.corobridge.core

import java.lang.invoke.MethodHandles
import java.lang.invoke.MethodType
import java.util.concurrent.Executor
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.SynchronousQueue
import java.util.concurrent.ThreadFactory
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport

/**
 * The kind of thread a Java task body runs on, and how bodies and loops are started on it. The
 * facade's `BodyThreads` names the same two kinds for users.
 */
internal enum class BodyThreads {
    /** A virtual thread per body (JDK 21+): awaiting parks a continuation, not an OS thread. */
    VIRTUAL,

    /**
     * A pooled platform thread per running body: works on every JDK, costs an OS thread while it
     * waits.
     */
    PLATFORM;

    fun start(body: Runnable) {
        if (this == VIRTUAL) {
            if (!virtualThreadEnded) endOneVirtualThread()
            virtualFactory!!.newThread(body).start()
        } else {
            platformPool.execute(body)
        }
    }

    /**
     * Runs an event loop to the end and returns when it does. With virtual bodies the loop itself
     * runs on a virtual thread, so that every hand-off between loop and body is a continuation
     * switch rather than an OS-thread wake-up; the caller just waits.
     */
    fun runLoop(onInterrupt: () -> Unit, loop: Runnable) {
        if (this != VIRTUAL || isVirtual(Thread.currentThread())) {
            loop.run()
            return
        }
        var failure: Throwable? = null
        val thread =
            virtualFactory!!.newThread {
                try {
                    loop.run()
                } catch (e: Throwable) {
                    failure = e
                }
            }
        thread.start()
        waitThroughInterrupts(onInterrupt) { thread.join() }
        failure?.let { throw it }
    }

    companion object {
        /** Virtual threads if [virtual] (the facade checked that this JDK has them). */
        fun of(virtual: Boolean): BodyThreads = if (virtual) VIRTUAL else PLATFORM

        /** True when this JDK can start virtual threads. */
        val virtualAvailable: Boolean
            get() = virtualFactory != null

        fun preferred(): BodyThreads = if (virtualFactory != null) VIRTUAL else PLATFORM

        val virtualFactory: ThreadFactory? = virtualThreadFactory("corobridge-task")

        /**
         * `Thread.ofVirtual().name(name).factory()`, looked up at run time so the jar still runs on
         * JDK 17 (null there).
         */
        fun virtualThreadFactory(name: String): ThreadFactory? =
            try {
                val lookup = MethodHandles.publicLookup()
                val builderClass = Class.forName("java.lang.Thread\$Builder")
                val builder =
                    lookup
                        .findStatic(
                            Thread::class.java,
                            "ofVirtual",
                            MethodType.methodType(
                                Class.forName("java.lang.Thread\$Builder\$OfVirtual")
                            ),
                        )
                        .invoke()
                val named =
                    lookup
                        .findVirtual(
                            builderClass,
                            "name",
                            MethodType.methodType(builderClass, String::class.java),
                        )
                        .invoke(builder, name)
                lookup
                    .findVirtual(
                        builderClass,
                        "factory",
                        MethodType.methodType(ThreadFactory::class.java),
                    )
                    .invoke(named) as ThreadFactory
            } catch (e: ReflectiveOperationException) {
                null
            }

        @Volatile private var virtualThreadEnded = false

        /**
         * The JDK loads some classes only when the first virtual thread ends, and others only when
         * the first one parks with a timeout (the scheduler's delayed task). Code compiled before
         * such a class loads is compiled without it; loading it later deoptimizes that code, and
         * every body parked in it deoptimizes again as it resumes (measured: 30k-90k
         * deoptimizations, 2-5 s of wall time, for 100k bodies woken together; the timed park
         * invalidated `JavaBody.await` in about half of the runs). One thread that parks with a
         * timeout and ends loads them all up front.
         */
        private fun endOneVirtualThread() {
            virtualFactory!!
                .newThread { LockSupport.parkNanos(1_000) }
                .apply {
                    start()
                    join()
                }
            virtualThreadEnded = true
        }

        private val isVirtualHandle =
            try {
                MethodHandles.publicLookup()
                    .findVirtual(
                        Thread::class.java,
                        "isVirtual",
                        MethodType.methodType(Boolean::class.javaPrimitiveType),
                    )
            } catch (e: ReflectiveOperationException) {
                null
            }

        fun isVirtual(thread: Thread): Boolean =
            isVirtualHandle?.invoke(thread) as Boolean? ?: false

        private val platformPool: ThreadPoolExecutor by lazy {
            val ids = AtomicInteger()
            ThreadPoolExecutor(0, Int.MAX_VALUE, 30, TimeUnit.SECONDS, SynchronousQueue()) {
                runnable ->
                Thread(runnable, "corobridge-task-${ids.incrementAndGet()}").apply {
                    isDaemon = true
                }
            }
        }
    }
}

/**
 * Runs the blocking [wait] to its end even if the thread is interrupted meanwhile: each interrupt
 * calls [onInterrupt] instead (like Ctrl-C under asyncio.run: cancel the main task, still wait for
 * its cleanup) and the interrupt flag is restored afterwards.
 */
internal inline fun waitThroughInterrupts(onInterrupt: () -> Unit, wait: () -> Unit) {
    var interrupted = false
    while (true) {
        try {
            wait()
            break
        } catch (e: InterruptedException) {
            interrupted = true
            onInterrupt()
        }
    }
    if (interrupted) Thread.currentThread().interrupt()
}

/**
 * Threads for the blocking work an I/O resource does beside its loop (a server parsing requests and
 * writing responses): a virtual thread per piece of work where the JDK has them, else a pool of
 * daemon platform threads, which [shutdown] lets end.
 */
@InternalCorobridgeApi
public class OffLoopThreads private constructor(name: String) : Executor {
    private val virtual = BodyThreads.virtualThreadFactory(name)
    private val pool: ThreadPoolExecutor? =
        if (virtual != null) null
        else
            ThreadPoolExecutor(0, Int.MAX_VALUE, 30, TimeUnit.SECONDS, SynchronousQueue()) {
                runnable ->
                Thread(runnable, name).apply { isDaemon = true }
            }

    /** True when the work runs on virtual threads, each its own. */
    public val isVirtual: Boolean
        get() = virtual != null

    @Volatile private var shutDown = false

    override fun execute(work: Runnable) {
        if (shutDown) throw RejectedExecutionException("these threads were shut down")
        if (virtual != null) virtual.newThread(work).start() else pool!!.execute(work)
    }

    /** Lets the pool's threads end once their work is done; later work is refused. */
    public fun shutdown() {
        shutDown = true
        pool?.shutdown()
    }

    public companion object {
        /** Threads named [name]. */
        @JvmStatic public fun named(name: String): OffLoopThreads = OffLoopThreads(name)
    }
}
