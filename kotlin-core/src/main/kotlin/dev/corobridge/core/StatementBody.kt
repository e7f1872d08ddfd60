package dev.corobridge.core

import java.util.concurrent.Callable

/**
 * A task body that returns nothing: the engine's side of `dev.corobridge.AsyncRunnable`, which
 * extends it. Java users implement `AsyncRunnable`.
 */
public fun interface StatementBody {
    /** Runs the body. */
    @Throws(Exception::class) public fun run()
}

/**
 * [statement] as a `Callable` of no value, for the engine's entry points that take a `Callable`. A
 * Java body given one calls the statement directly: a lambda adapter in between would be two more
 * stack frames that every suspended body keeps.
 */
@InternalCorobridgeApi
public class StatementCallable(@JvmField public val statement: StatementBody) : Callable<Void?> {
    override fun call(): Void? {
        statement.run()
        return null
    }
}
