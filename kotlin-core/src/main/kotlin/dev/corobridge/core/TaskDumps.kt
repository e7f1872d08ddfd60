package dev.corobridge.core

import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import kotlinx.coroutines.Job

/**
 * A loop's live tasks as a tree, like `pstree` (Python's `python -m asyncio pstree`): each task
 * under the task that started it, with its name, its state and, for a Java body, the line of the
 * caller's code where it waits; in debug mode, its age too.
 *
 * ```
 * Task-1 (running) at com.example.Crawler.main(Crawler.java:12)
 *   fetch-1 (awaiting task 'Task-4') at com.example.Crawler.fetch(Crawler.java:30)
 *   fetch-2 (cancelling) at com.example.Crawler.fetch(Crawler.java:31)
 * ```
 */
internal object TaskDumps {
    /** The runs in debug mode, each with the thread that runs it: dumps from outside list them. */
    private val debugRuns = ConcurrentHashMap<TaskEnvironment, Thread>()

    /** From now until [forget], [environment]'s run is listed by [dumpDebugRuns]. */
    fun list(environment: TaskEnvironment) {
        debugRuns[environment] = Thread.currentThread()
    }

    fun forget(environment: TaskEnvironment) {
        debugRuns.remove(environment)
    }

    fun debugRunCount(): Int = debugRuns.size

    /**
     * Every run in debug mode, each headed by the thread that called it, with its tasks indented
     * under it; read from any thread, for a dump asked for from outside the process.
     */
    fun dumpDebugRuns(): String {
        val text = StringBuilder()
        for ((environment, thread) in debugRuns) {
            val root = environment.root ?: continue
            text.append("event loop run by thread '").append(thread.name).append("':\n")
            dump(root)
                .lineSequence()
                .filter { it.isNotEmpty() }
                .forEach { text.append("  ").append(it).append('\n') }
        }
        return text.ifEmpty { "no event loop is running in debug mode\n" }.toString()
    }

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
        val now = System.nanoTime() // one moment for every age
        fun print(task: TaskCoroutine<*>, depth: Int) {
            repeat(depth) { text.append("  ") }
            text.append(describe(task, now)).append('\n')
            children[task]?.forEach { print(it, depth + 1) }
        }
        children[null]?.forEach { print(it, 0) }
        return text.toString()
    }

    private fun forEachJob(job: Job, action: (Job) -> Unit) {
        action(job)
        job.children.forEach { forEachJob(it, action) }
    }

    private fun describe(task: TaskCoroutine<*>, now: Long): String {
        val name = task.future.name()
        val age = task.future.origin?.let { ", age ${age(now - it.createdNanos)}" } ?: ""
        // The engine's own coroutine for a verb (a gather, a wait) is named by that verb.
        val kind = task.future.origin?.site?.verb?.let { "from $it" } ?: "a Kotlin coroutine"
        val body = task as? JavaBody<*> ?: return "$name (${state(task, null)}$age, $kind)"
        val line =
            body.thread()?.let(CallerFrames::innermost)?.let {
                " at ${it.className}.${it.methodName}(${it.fileName}:${it.lineNumber})"
            } ?: ""
        return "$name (${state(task, body)}$age)$line"
    }

    /** `250 ms`, `1.2 s`, `3 min 20 s`. */
    private fun age(nanos: Long): String {
        val millis = nanos / 1_000_000
        return when {
            millis < 1_000 -> "$millis ms"
            millis < 60_000 -> "${millis / 1_000}.${millis % 1_000 / 100} s"
            else -> "${millis / 60_000} min ${millis % 60_000 / 1_000} s"
        }
    }

    private fun state(task: TaskCoroutine<*>, body: JavaBody<*>?): String =
        when {
            task.isCancelled -> "cancelling"
            // The body holding its loop's run permit, or the one on the asking thread.
            body != null && (JavaBody.current() === body || body.loop?.permitHolder === body) ->
                "running"
            else ->
                when (val awaited = body?.awaitedNow()) {
                    null -> "waiting"
                    is TaskFuture<*> -> "awaiting ${describeAwaited(awaited)}"
                    else -> "awaiting ${describe(awaited)}"
                }
        }

    /** `a sleep`, `Async.gather` (an engine verb's task, in debug mode), `task 'fetch-1'`. */
    private fun describeAwaited(task: TaskFuture<*>): String {
        val coroutine = task.coroutine
        if (coroutine is SleepCoroutine) return "a sleep"
        val verb = task.origin?.site?.verb
        return if (coroutine !is JavaBody<*> && verb != null) verb else "task '${task.name()}'"
    }

    private fun describe(future: CompletableFuture<*>): String =
        future.javaClass.simpleName.ifEmpty { "a future" }
}
