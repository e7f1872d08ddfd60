package dev.corobridge.core

import java.util.concurrent.Callable
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Timeout

/**
 * What the tests of direct-style Java bodies ([Callable]s run by [JavaBody] on an event loop)
 * share: an engine, an event trail, a failure handler that keeps its reports, and short names for
 * what a body does.
 */
// SEPARATE_THREAD: loop and body threads park without regard to interrupts, so only a separate
// thread can time out.
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class JavaBodyTestBase {
    protected val engine = testEngine()
    protected val trail = Trail()
    protected val failures = ReportedFailures()

    protected fun <T> launch(name: String?, body: () -> T): TaskFuture<T> =
        engine.tasks.launch(name, Callable { body() })

    protected fun <T> await(future: CompletableFuture<T>): T = engine.tasks.await(future)

    protected fun sleep(millis: Long) {
        await(engine.time.sleep(TimeUnit.MILLISECONDS.toNanos(millis)))
    }

    /** A body that sleeps (practically) forever and records its cleanup under [name]. */
    protected fun sleeper(name: String): TaskFuture<Unit> =
        launch(name) {
            try {
                sleep(10_000)
            } finally {
                trail.add("$name cleanup")
            }
        }
}
