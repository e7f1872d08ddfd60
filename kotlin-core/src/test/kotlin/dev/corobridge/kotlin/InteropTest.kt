package dev.corobridge.kotlin

import java.io.IOException
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout

@Timeout(10)
class InteropTest {
    private val events = CopyOnWriteArrayList<String>()

    private fun CoroutineScope.hangingTask(): CompletableFuture<String> =
        startTask("hanging") {
            try {
                events += "started"
                awaitCancellation()
            } finally {
                events += "finally"
            }
        }

    @Test
    fun awaitOwnedReturnsTheValueOfAPlainFuture() = runBlocking {
        val future = CompletableFuture<String>()
        launch(Dispatchers.Default) { future.complete("done") }
        assertEquals("done", future.awaitOwned())
    }

    @Test
    fun awaitOwnedThrowsTheFuturesOwnException() = runBlocking {
        val failure = IOException("nope")
        val thrown =
            assertThrows(IOException::class.java) {
                runBlocking { CompletableFuture.failedFuture<String>(failure).awaitOwned() }
            }
        assertSame(failure, thrown)
    }

    @Test
    fun cancellingTheCallerCancelsAnOwnedTaskAndWaitsForItsCleanup() = runBlocking {
        val task = hangingTask()
        val caller = launch { task.awaitOwned() }
        yield()
        yield()
        caller.cancelAndJoin()
        assertTrue(task.isCancelled)
        assertEquals(listOf("started", "finally"), events)
    }

    @Test
    fun cancellingTheCallerLeavesASharedStageRunning() = runBlocking {
        val shared = CompletableFuture<String>()
        val caller = launch { shared.awaitShared() }
        yield()
        caller.cancelAndJoin()
        assertFalse(shared.isDone)
        shared.complete("still usable")
        assertEquals("still usable", shared.awaitShared())
    }

    @Test
    fun startTaskHandsJavaAFutureWithTheBlocksValue() {
        val future =
            runBlocking(Dispatchers.Default) {
                startTask {
                    delay(5)
                    42
                }
            }
        assertEquals(42, future.get(5, TimeUnit.SECONDS))
    }

    @Test
    fun startTaskFailsTheFutureWithTheBlocksOwnException() {
        val failure = IOException("bad")
        val scope = CoroutineScope(Job() + Dispatchers.Default)
        val future =
            scope.startTask {
                delay(5)
                throw failure
            }
        val thrown =
            assertThrows(ExecutionException::class.java) { future.get(5, TimeUnit.SECONDS) }
        assertSame(failure, thrown.cause)
    }

    @Test
    fun cancellingTheFutureCancelsTheCoroutine() = runBlocking {
        val future = hangingTask()
        yield()
        assertTrue(future.cancel(false))
        (future as dev.corobridge.core.TaskFuture<*>).let {
            while (!events.contains("finally")) yield()
        }
        assertEquals(listOf("started", "finally"), events)
    }

    @Test
    fun cancellingTheScopeCancelsTheFuture() = runBlocking {
        val scopeJob = Job()
        val scope = CoroutineScope(scopeJob + Dispatchers.Default)
        val future = scope.startTask { awaitCancellation() }
        scopeJob.cancelAndJoin()
        assertTrue(future.isCancelled)
    }

    @Test
    fun theTaskNameIsTheCoroutineName() = runBlocking {
        val future =
            startTask("report") { coroutineScope { coroutineContext[CoroutineName]?.name } }
        assertEquals("report", future.awaitShared())
        val inherited = async(CoroutineName("outer")) { startTask { 1 } }.await()
        assertEquals("outer", (inherited as dev.corobridge.core.TaskFuture<*>).name())
    }

    @Test
    fun aDerivedStageCancelsTheTaskItCameFrom() = runBlocking {
        val task = hangingTask()
        yield()
        val derived = task.thenApply { it.length }
        derived.cancel(false)
        assertThrows(CancellationException::class.java) { runBlocking { task.awaitShared() } }
        while (!events.contains("finally")) yield()
        assertEquals(listOf("started", "finally"), events)
    }

    @Test
    fun theBlockingJavaAwaitCalledFromACoroutineNamesTheSuspendingPath() = runBlocking {
        val engine = dev.corobridge.core.Engine.forTests { dev.corobridge.core.PlainTask<Any?>() }
        val error =
            assertThrows(IllegalStateException::class.java) {
                engine.tasks.await(
                    CompletableFuture.completedFuture(1)
                ) // what Java's Task.await() calls
            }
        assertTrue(error.message!!.contains("awaitOwned()"), error.message)
    }
}
