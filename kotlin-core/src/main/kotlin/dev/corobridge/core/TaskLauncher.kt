package dev.corobridge.core

import java.util.concurrent.Callable
import kotlin.coroutines.CoroutineContext

/**
 * Where a task launches its tasks, kept to launch more from other threads later: a server's threads
 * start each request's handler as a task of the task that started the server, on its loop. A task
 * launched after that task has ended starts cancelled.
 */
@InternalCorobridgeApi
public class TaskLauncher private constructor(private val context: CoroutineContext) {
    /** Starts [body] as a task, as the task that made this launcher would; from any thread. */
    public fun <T> launch(name: String?, body: Callable<T>): TaskFuture<T> =
        starter.startBody(context, name, body)

    public companion object {
        private val starter = TaskStarter { DefaultTasks.newTask<Any?>() }

        /** The launcher of the calling task (outside any task: of the background dispatcher). */
        @JvmStatic public fun ofCurrentTask(): TaskLauncher = TaskLauncher(starter.currentContext())
    }
}
