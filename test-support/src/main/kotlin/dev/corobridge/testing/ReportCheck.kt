package dev.corobridge.testing

import org.junit.jupiter.api.extension.AfterEachCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.ParameterContext
import org.junit.jupiter.api.extension.ParameterResolver
import org.junit.platform.commons.support.AnnotationSupport
import org.opentest4j.AssertionFailedError

/**
 * Fails a test after which a task failure went unreported or a thread saw an uncaught exception,
 * like kotlinx-coroutines' test base: silence is not success. Registered for every test class by
 * JUnit's extension auto-detection (`META-INF/services`, enabled in `junit-platform.properties`).
 *
 * Before each test it installs, once per JVM, a handler on the engine's logger "dev.corobridge"
 * (where `FailureReports.LOG`, every loop's default exception handler, reports failures nobody
 * retrieved) and the default uncaught exception handler. After each test (and its `@AfterEach`
 * methods) it collects garbage, so that a failed background task the test dropped is usually
 * reported now (a thread that ran it may still hold it for a while; then a later test fails, at its
 * start, naming the task), and fails the test with every report the test did not
 * [take][Reports.take]. A test that drops a failed background task on purpose waits for its report
 * with [Reports.awaitTaskFailure]. A test that produces reports on purpose declares a [Reports]
 * parameter and asserts what it takes; a test that produces them because of a known engine defect
 * is marked [ExpectsReports].
 */
class ReportCheck : BeforeEachCallback, AfterEachCallback, ParameterResolver {
    override fun beforeEach(context: ExtensionContext) {
        Capture.install()
        val earlier = Capture.drain()
        context.getStore(NAMESPACE).put(KEY, Reports())
        if (earlier.isNotEmpty()) {
            throw failure("reported before this test started (after an earlier test?)", earlier)
        }
    }

    override fun afterEach(context: ExtensionContext) {
        Reports.collectGarbage()
        val untaken = Capture.drain()
        if (untaken.isEmpty()) return
        val marker =
            AnnotationSupport.findAnnotation(context.testMethod, ExpectsReports::class.java).or {
                AnnotationSupport.findAnnotation(context.testClass, ExpectsReports::class.java)
            }
        if (marker.isPresent) {
            System.err.println(
                "${context.displayName}: reported, as @ExpectsReports(\"${marker.get().reason}\") allows:\n" +
                    untaken.joinToString("\n") { "  $it" }
            )
            return
        }
        throw failure("reported and not taken by the test (Reports.take)", untaken)
    }

    override fun supportsParameter(
        parameter: ParameterContext,
        extension: ExtensionContext,
    ): Boolean = parameter.parameter.type == Reports::class.java

    override fun resolveParameter(parameter: ParameterContext, extension: ExtensionContext): Any =
        extension.getStore(NAMESPACE).get(KEY, Reports::class.java)

    private fun failure(what: String, reports: List<Report>): AssertionFailedError {
        val error =
            AssertionFailedError(
                "${reports.size} unexpected report(s), $what:\n" +
                    reports.joinToString("\n") { "  $it" }
            )
        reports.forEach { report -> report.exception?.let(error::addSuppressed) }
        return error
    }

    private companion object {
        val NAMESPACE: ExtensionContext.Namespace =
            ExtensionContext.Namespace.create(ReportCheck::class.java)
        const val KEY = "reports"
    }
}
