/**
 * corobridge for Kotlin code that meets Java: await Java futures and corobridge tasks by
 * suspending, and hand `suspend` work to Java callers as futures.
 */
@file:OptIn(InternalCorobridgeApi::class, ExperimentalCoroutinesApi::class)

package dev.corobridge.kotlin

import dev.corobridge.core.DefaultTasks
import dev.corobridge.core.InternalCorobridgeApi
import dev.corobridge.core.TaskCoroutine
import dev.corobridge.core.awaitSettled
import dev.corobridge.core.outcome
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.newCoroutineContext
import kotlinx.coroutines.withContext

/**
 * Suspends until this future (a corobridge `Task` or any `CompletableFuture`) completes, and
 * returns its value or throws its own exception, never a `CompletionException` wrapper.
 *
 * Ownership: the caller owns this work. If the calling coroutine is cancelled while waiting, the
 * future is cancelled too and its cleanup awaited before `CancellationException` is thrown. Use
 * [awaitShared] for a stage that others also wait for.
 *
 * ```kotlin
 * val user: User = Async.launch { repository.load(id) }.awaitOwned()
 * ```
 *
 * Named apart from the Java member `Task.await()` on purpose: in Kotlin a member beats an
 * extension, and that member blocks a thread instead of suspending.
 */
public suspend fun <T> CompletableFuture<T>.awaitOwned(): T {
    try {
        awaitSettled(this)
    } catch (e: CancellationException) {
        cancel(false)
        withContext(NonCancellable) { awaitSettled(this@awaitOwned) }
        throw e
    }
    return outcome()
}

/**
 * Suspends until this stage completes, and returns its value or throws its own exception.
 * Cancelling the caller leaves the stage running: it is shared, not owned. See [awaitOwned].
 *
 * ```kotlin
 * val config = sharedConfigFuture.awaitShared()
 * ```
 */
public suspend fun <T> CompletionStage<T>.awaitShared(): T {
    val future = toCompletableFuture()
    awaitSettled(future)
    return future.outcome()
}

/**
 * Starts [block] in this scope and returns it to Java callers as a `CompletableFuture`: the work
 * belongs to this scope (cancelling the scope cancels it and the future), and cancelling the future
 * cancels the coroutine. The future completes with the block's own value or exception.
 *
 * ```kotlin
 * class UserService(private val scope: CoroutineScope) {
 *     suspend fun fetch(id: Int): User = ...
 *     fun fetchAsync(id: Int): CompletableFuture<User> = scope.startTask("fetch $id") { fetch(id) }
 * }
 * ```
 *
 * @param name the task's name, also the coroutine's `CoroutineName`
 */
public fun <T> CoroutineScope.startTask(
    name: String? = null,
    block: suspend CoroutineScope.() -> T,
): CompletableFuture<T> {
    val future = DefaultTasks.newTask<T>()
    val context =
        newCoroutineContext(
            if (name == null) coroutineContext else coroutineContext + CoroutineName(name)
        )
    val coroutine = TaskCoroutine(context, future)
    coroutine.start(CoroutineStart.DEFAULT, coroutine, block)
    return future
}
