package dev.corobridge.core

import java.util.concurrent.CompletableFuture
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * Guards for code shaped for the JIT and for the size of a suspended body (ADR 0007-0009): a
 * simplification that looks harmless there costs every suspended body stack, or every resume a
 * deoptimization, and fails here instead of only in a benchmark.
 */
@Timeout(20)
internal class HotPathShapeTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun aParkedBodyKeepsOnlyTheEnginesAwaitFramesOnItsStack(kind: BodyThreads) {
        assumeAvailable(kind)
        val never = CompletableFuture<Unit>()
        var bodyThread: Thread? = null
        var frames: List<String> = emptyList()

        engine.runMain(kind) {
            val task =
                engine.tasks.launch(
                    "parked",
                    StatementCallable {
                        bodyThread = Thread.currentThread()
                        await(never)
                    },
                )
            await(engine.time.yieldNow())
            val thread = bodyThread!!
            engine.threads
                .toThread {
                    awaitParked(thread)
                    frames =
                        thread.stackTrace
                            .filter { it.className.startsWith("dev.corobridge.core.") }
                            .filter { "Test" !in it.className } // this test's own frames
                            .map { "${it.className.substringAfterLast('.')}.${it.methodName}" }
                }
                .also { await(it) }
            task.cancel(false)
            engine.tasks.awaitNonCancellable(task.handle { _, _ -> null })
        }

        // Between the park and the body: JavaBody.await (yieldTurn and parkUntilTurn inlined into
        // it) and Tasks.await, whose private helper is inlined; below the body, JavaBody.run
        // (runBody inlined), the thread's entry point itself. Each extra frame stays on every
        // suspended body's stack (measured: ~100 B interpreted per frame, ADR 0009).
        assertEquals(listOf("JavaBody.await", "Tasks.await", "JavaBody.run"), frames)
    }
}
