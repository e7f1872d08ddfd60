package dev.corobridge.core

import java.lang.invoke.MethodHandles
import java.util.concurrent.CompletableFuture
import java.util.function.Supplier
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext

/**
 * Every operation of the Java facade, implemented once, in one room per concern: [loops] (running
 * an event loop), [tasks] (starting and awaiting tasks), [time] (sleeps and timeouts), [groups]
 * (gather and task groups), [threads] (work on other dispatchers) and [kotlin] (calling Kotlin
 * `suspend` code). Each verb returns a [TaskFuture] (the facade's `Task`), started as a child of
 * the current task, or on the background dispatcher when the caller is not inside a task.
 *
 * Arguments are the facade's to check; the engine takes them as given.
 */
@InternalCorobridgeApi
public class Engine private constructor(newFuture: Supplier<out TaskFuture<*>>) {
    private val starter = TaskStarter(newFuture)

    @JvmField public val loops: Loops = Loops.create(starter)
    @JvmField public val tasks: Tasks = Tasks.create(starter)
    @JvmField public val time: Time = Time.create(starter)
    @JvmField public val groups: Groups = Groups.create(starter)
    @JvmField public val threads: Threads = Threads.create(starter)
    @JvmField public val kotlin: KotlinCalls = KotlinCalls.create(starter)

    init {
        DefaultTasks.register(newFuture)
        // A parked body runs the code after its await for the first time only when it resumes,
        // possibly long after the JIT compiled that code. A class still unloaded at compile time
        // becomes an uncommon trap there, and every resuming body then deoptimizes (measured:
        // ~90k deoptimizations for 100k bodies woken together). Running it once loads it.
        CompletableFuture.completedFuture(null).outcome()
        // Likewise for the coroutine classes the JIT takes to be all there are: it binds calls in
        // a body's frames to the ones loaded so far, and the first task group or `withContext`
        // after 100k bodies parked loads another, invalidates that code, and each parked body
        // then deoptimizes as it resumes (measured: 2.9 s instead of 1.6 s for 100k bodies
        // awaiting a sleep, then gathered). Loaded now, they are part of what the JIT sees.
        GroupBody::class.java
        suspend { withContext(NonCancellable) {} }
            .startCoroutine(Continuation(EmptyCoroutineContext) {})
    }

    public companion object {
        private const val FACADE = "dev.corobridge.Async"
        @Volatile private var connected = false

        /**
         * Connects the Java facade, once per class loader: [facade] must be a full-privilege lookup
         * of `dev.corobridge.Async`, which only that class can make. Nothing else gets an engine.
         */
        @JvmStatic
        public fun connect(
            facade: MethodHandles.Lookup,
            newFuture: Supplier<out TaskFuture<*>>,
        ): Engine {
            require(facade.lookupClass().name == FACADE && facade.hasFullPrivilegeAccess()) {
                "the corobridge engine serves its Java facade only: use $FACADE"
            }
            synchronized(this) {
                check(!connected) { "the corobridge engine is connected already: use $FACADE" }
                connected = true
            }
            return Engine(newFuture)
        }

        /** An engine for the engine's own tests, whose tasks [newFuture] makes. */
        @JvmSynthetic
        internal fun forTests(newFuture: Supplier<out TaskFuture<*>>): Engine = Engine(newFuture)
    }
}
