package dev.corobridge.testing

import org.junit.jupiter.api.Assertions
import org.junit.jupiter.api.Assumptions

/**
 * Skips the calling test because a server it needs is missing ([why]), or fails it where the
 * environment variable [required] is set, as `.ci/run` sets it: there a missing server is a fault.
 */
internal fun skipOrFail(why: String, required: String): Nothing {
    if (System.getenv(required) != null) Assertions.fail<Unit>("$why; $required is set")
    Assumptions.abort<Unit>(why)
    throw AssertionError("unreachable: abort throws")
}
