package dev.corobridge.testing

/**
 * Lets a test (or every test of a class) end with reports it did not take: [ReportCheck] prints
 * them instead of failing the test. For behaviour under test, take the reports with [Reports.take]
 * and assert them instead; this marker is for known engine defects, and [reason] names the defect
 * ("defect: ...") so that the fix can remove the marker.
 */
@Retention(AnnotationRetention.RUNTIME)
@Target(AnnotationTarget.FUNCTION, AnnotationTarget.CLASS)
annotation class ExpectsReports(val reason: String)
