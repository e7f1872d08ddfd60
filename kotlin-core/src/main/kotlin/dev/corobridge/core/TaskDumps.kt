package dev.corobridge.core

import java.util.concurrent.CompletableFuture
import kotlinx.coroutines.Job

/**
 * A loop's live tasks as a tree, like `pstree` (Python's `python -m asyncio pstree`): each task
 * under the task that started it, with its name, its state and, for a Java body, the line of the
 * caller's code where it waits.
 *
 * ```
 * Task-1 (running) at com.example.Crawler.main(Crawler.java:12)
 *   fetch-1 (awaiting task 'Task-4') at com.example.Crawler.fetch(Crawler.java:30)
 *   fetch-2 (cancelling) at com.example.Crawler.fetch(Crawler.java:31)
 * ```
 */
internal object TaskDumps {
    fun dump(root: Job): String {
        // The tasks a body launches live in a job of their own under the loop's main task: shown
        // under the body that launched them.
        val launchers = HashMap<Job, TaskCoroutine<*>>()
        forEachJob(root) { job ->
            (job as? JavaBody<*>)?.launchedJob()?.let { launchers[it] = job }
        }
        val children = LinkedHashMap<TaskCoroutine<*>?, MutableList<TaskCoroutine<*>>>()
        fun place(job: Job, parent: TaskCoroutine<*>?) {
            // A sleep is a task inside the engine, not in asyncio: shown as what its task awaits.
            val task =
                (job as? TaskCoroutine<*>)?.takeIf { !it.isCompleted && it !is SleepCoroutine }
            if (task != null) children.getOrPut(parent) { ArrayList() }.add(task)
            val under = task ?: launchers[job] ?: parent
            job.children.forEach { place(it, under) }
        }
        place(root, null)
        val text = StringBuilder()
        fun print(task: TaskCoroutine<*>, depth: Int) {
            repeat(depth) { text.append("  ") }
            text.append(describe(task)).append('\n')
            children[task]?.forEach { print(it, depth + 1) }
        }
        children[null]?.forEach { print(it, 0) }
        return text.toString()
    }

    private fun forEachJob(job: Job, action: (Job) -> Unit) {
        action(job)
        job.children.forEach { forEachJob(it, action) }
    }

    private fun describe(task: TaskCoroutine<*>): String {
        val name = task.future.name()
        val body = task as? JavaBody<*> ?: return "$name (${state(task, null)}, a Kotlin coroutine)"
        val line =
            body.thread()?.let(::callerFrame)?.let {
                " at ${it.className}.${it.methodName}(${it.fileName}:${it.lineNumber})"
            } ?: ""
        return "$name (${state(task, body)})$line"
    }

    private fun state(task: TaskCoroutine<*>, body: JavaBody<*>?): String =
        when {
            task.isCancelled -> "cancelling"
            body != null && JavaBody.current() === body -> "running"
            else ->
                when (val awaited = body?.awaitedNow()) {
                    null -> "waiting"
                    is TaskFuture<*> ->
                        if (awaited.coroutine is SleepCoroutine) "awaiting a sleep"
                        else "awaiting task '${awaited.name()}'"
                    else -> "awaiting ${describe(awaited)}"
                }
        }

    private fun describe(future: CompletableFuture<*>): String =
        future.javaClass.simpleName.ifEmpty { "a future" }

    /**
     * The innermost frame of the user's code: frames of the JDK, of Kotlin and of corobridge's own
     * code (its classes' location, not their package: a user's tests may share the package) are
     * passed over.
     */
    private fun callerFrame(thread: Thread): StackTraceElement? {
        val loader = thread.contextClassLoader ?: TaskDumps::class.java.classLoader
        return thread.stackTrace.firstOrNull { !isEngineFrame(it, loader) }
    }

    private fun isEngineFrame(frame: StackTraceElement, loader: ClassLoader): Boolean {
        val name = frame.className
        if (PLATFORM_PACKAGES.any { name.startsWith(it) }) return true
        if (!name.startsWith("dev.corobridge.")) return false
        val type =
            try {
                Class.forName(name, false, loader)
            } catch (e: ClassNotFoundException) {
                return false
            } catch (e: LinkageError) {
                return false
            }
        return location(type) in ENGINE_LOCATIONS
    }

    private fun location(type: Class<*>): String? =
        type.protectionDomain?.codeSource?.location?.toString()

    private val PLATFORM_PACKAGES = listOf("java.", "jdk.", "sun.", "kotlin.", "kotlinx.")

    /** Where the engine's and the Java facade's classes come from. */
    private val ENGINE_LOCATIONS: Set<String> by lazy {
        val facade =
            try {
                Class.forName(FACADE, false, TaskDumps::class.java.classLoader)
            } catch (e: ClassNotFoundException) {
                null
            }
        setOfNotNull(location(TaskDumps::class.java), facade?.let(::location))
    }

    private const val FACADE = "dev.corobridge.Async"
}
