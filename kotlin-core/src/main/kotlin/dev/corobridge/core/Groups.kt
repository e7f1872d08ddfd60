package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CompletableFuture
import java.util.function.Function

/** The engine's room for many tasks at once: gather and task groups. */
@InternalCorobridgeApi
public class Groups private constructor(private val starter: TaskStarter) {
    /** Results in argument order; fails with the first failure. Cancelling it cancels the tasks. */
    public fun <T> gather(tasks: List<CompletableFuture<out T>>): TaskFuture<List<T>> =
        starter.start(
            starter.currentContext(),
            null,
            startsInPlace = true,
            takesAwaitersCancellation = true,
        ) {
            val firstFailure = awaitAllOrCancel(tasks, stopAtFailure = true)
            if (firstFailure >= 0) {
                // asyncio's gather retrieves the exceptions of the children that fail after it.
                for (task in tasks) if (task is TaskFuture<*>) task.markAllRetrieved()
                tasks[firstFailure].outcome()
            }
            tasks.map { it.outcome() }
        }

    /**
     * Waits for every task and maps each settled one with [outcome]; never fails because a task
     * did.
     */
    public fun <T, R> gatherSettled(
        tasks: List<CompletableFuture<out T>>,
        outcome: Function<CompletableFuture<out T>, R>,
    ): TaskFuture<List<R>> =
        starter.start(
            starter.currentContext(),
            null,
            startsInPlace = true,
            takesAwaitersCancellation = true,
        ) {
            awaitAllOrCancel(tasks, stopAtFailure = false)
            tasks.map { task ->
                if (task is TaskFuture<*>) task.markRetrieved()
                outcome.apply(task)
            }
        }

    /**
     * Runs a task group (asyncio's `TaskGroup`, see [GroupBody]): [body] receives the group's scope
     * and runs at once, as a block of the calling task; a failed child cancels the body and its
     * siblings, and the group fails with the first failure, the later ones attached as suppressed.
     */
    public fun <T> taskGroup(body: Function<TaskGroupScope, Callable<T>>): TaskFuture<T> {
        val future = starter.newTask<T>(null)
        val group = GroupBody(starter.taskContext(starter.currentContext(), null), future, starter)
        group.launchInPlace(body.apply(TaskGroupScope.create(group)))
        return future
    }

    /** The scope a task group hands to its body. */
    public class TaskGroupScope private constructor(private val group: GroupBody<*>) {
        /** Starts [body] as a child of the group. */
        public fun <T> launch(name: String?, body: Callable<T>): TaskFuture<T> =
            group.launchChild(name, body)

        internal companion object {
            @JvmSynthetic fun create(group: GroupBody<*>): TaskGroupScope = TaskGroupScope(group)
        }
    }

    internal companion object {
        @JvmSynthetic fun create(starter: TaskStarter): Groups = Groups(starter)
    }
}
