package dev.corobridge.core

/**
 * Marks engine declarations that are public only so that corobridge's Java facade
 * (`dev.corobridge`) can reach them. They may change in any release; Java and Kotlin users go
 * through `dev.corobridge.Async`.
 */
@RequiresOptIn(
    message = "corobridge engine internals: use dev.corobridge.Async (Java) instead.",
    level = RequiresOptIn.Level.ERROR,
)
// Runtime: a test checks that what carries it exposes no Kotlin-internal member to Java.
@Retention(AnnotationRetention.RUNTIME)
@Target(
    AnnotationTarget.CLASS,
    AnnotationTarget.FUNCTION,
    AnnotationTarget.PROPERTY,
    AnnotationTarget.CONSTRUCTOR,
)
public annotation class InternalCorobridgeApi
