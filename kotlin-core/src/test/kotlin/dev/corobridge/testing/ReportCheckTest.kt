package dev.corobridge.testing

import dev.corobridge.core.BodyThreads
import dev.corobridge.core.runMain
import dev.corobridge.core.testEngine
import java.util.concurrent.Callable
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.platform.engine.discovery.DiscoverySelectors.selectClass
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder
import org.junit.platform.launcher.core.LauncherFactory
import org.junit.platform.launcher.listeners.SummaryGeneratingListener

/** Runs small test classes under [ReportCheck] and looks at how they ended. */
@Timeout(30)
class ReportCheckTest {
    /** Runs [fixture]'s one test; returns the failure message, or null if it passed. */
    private fun run(fixture: Class<*>): String? {
        val listener = SummaryGeneratingListener()
        LauncherFactory.create()
            .execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
                listener,
            )
        val summary = listener.summary
        assertEquals(1, summary.testsStartedCount, "tests started in ${fixture.simpleName}")
        return summary.failures.singleOrNull()?.exception?.message
    }

    @Test
    fun aTaskFailureNobodyRetrievedFailsTheTest() {
        val message = run(ForgetsAFailure::class.java)
        assertTrue(message!!.contains("TASK_FAILURE 'forgotten'"), message)
    }

    @Test
    fun anUncaughtExceptionOnAnyThreadFailsTheTest() {
        val message = run(LeavesAnUncaughtException::class.java)
        assertTrue(message!!.contains("UNCAUGHT_EXCEPTION 'stray'"), message)
    }

    @Test
    fun aTestThatTakesItsReportsPasses() {
        assertEquals(null, run(TakesTheFailure::class.java))
    }

    @Test
    fun aTestMarkedExpectsReportsPasses() {
        assertEquals(null, run(MarkedExpectsReports::class.java))
    }

    // Nested, so Surefire does not run them itself (it skips names with '$').

    class ForgetsAFailure {
        @Test
        fun test() {
            forgetAFailure()
        }
    }

    class LeavesAnUncaughtException {
        @Test
        fun test() {
            val thread = Thread({ throw IllegalStateException("nobody catches this") }, "stray")
            thread.start()
            thread.join()
        }
    }

    class TakesTheFailure {
        @Test
        fun test(reports: Reports) {
            forgetAFailure()
            val taken = reports.take()
            assertEquals(
                listOf(Report.Kind.TASK_FAILURE to "forgotten"),
                taken.map { it.kind to it.source },
            )
        }
    }

    @ExpectsReports(reason = "the fixture of ReportCheckTest.aTestMarkedExpectsReportsPasses")
    class MarkedExpectsReports {
        @Test
        fun test() {
            forgetAFailure()
        }
    }

    private companion object {
        fun forgetAFailure() {
            val engine = testEngine()
            engine.runMain(BodyThreads.PLATFORM) {
                engine.tasks.launch(
                    "forgotten",
                    Callable { throw IllegalStateException("forgotten") },
                )
                engine.tasks.await(
                    engine.time.yieldNow()
                ) // it fails (rather than being cancelled as a leftover)
            }
        }
    }
}
