package dev.corobridge.core

import dev.corobridge.testing.Report
import dev.corobridge.testing.Reports
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import org.jetbrains.kotlinx.lincheck.annotations.Operation
import org.jetbrains.kotlinx.lincheck.annotations.Validate
import org.jetbrains.kotlinx.lincheck.check
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Model checking (lincheck) of the engine's small lock-free protocols: every interleaving of the
 * operations, up to the options' bounds, must give results that some sequential order gives, and
 * keep the protocol's invariant.
 */
class ModelCheckTest {
    /**
     * A loop timer fired (queued, then taken) while it is disposed of, as a sleep fires while its
     * task is cancelled: the action runs, or the disposal stops it, never both, and the disposal
     * says truly where it stopped the timer (the heap counts those it stopped in the heap).
     */
    class TimerLifeScenario {
        private val timer = TimerLife()
        @Volatile private var ran = 0

        @Operation fun queue(): Boolean = timer.queue()

        @Operation fun take(): Boolean = timer.take().also { if (it) ran++ }

        @Operation fun dispose(): String = timer.disposeLife().name

        @Validate
        fun ranAtMostOnceAndNotOnceDisposed() {
            check(ran <= 1) { "the action ran $ran times" }
            check(!(ran == 1 && timer.disposed)) { "the action ran and the timer is disposed" }
        }
    }

    /**
     * The continuation `Async.suspending` hands to Java, resumed by a callback while the call
     * itself returns or throws: the task gets one outcome, the first, and the other is refused.
     */
    class ResumeOnceScenario {
        private val task = RecordingContinuation()
        private val once = ResumeOnce(task)

        @Operation
        fun resume(value: Int): String =
            try {
                once.resumeWith(Result.success(value))
                "resumed"
            } catch (e: IllegalStateException) {
                "refused"
            }

        @Operation
        fun callReturns(value: Int): String =
            when (val outcome = once.settle(Result.success(value))) {
                COROUTINE_SUSPENDED -> "kept the first"
                else -> "returned $outcome"
            }

        @Validate
        fun theTaskGotOneOutcome() {
            check(task.resumes <= 1) { "the task was resumed ${task.resumes} times" }
        }
    }

    class RecordingContinuation : Continuation<Int> {
        @Volatile var resumes = 0

        override val context: CoroutineContext = EmptyCoroutineContext

        override fun resumeWith(result: Result<Int>) {
            resumes++
        }
    }

    @Test
    fun timerFiredWhileDisposed() {
        options()
            .addCustomScenario {
                // The race that matters, always among the scenarios: the loop takes a queued
                // timer while a cancellation disposes of it.
                initial { actor(TimerLifeScenario::queue) }
                parallel {
                    thread { actor(TimerLifeScenario::take) }
                    thread { actor(TimerLifeScenario::dispose) }
                }
            }
            .check(TimerLifeScenario::class.java)
        SCENARIOS += "timer fire vs dispose"
    }

    @Test
    fun suspendingCallResumedTwice(reports: Reports) {
        options()
            .addCustomScenario {
                parallel {
                    thread { actor(ResumeOnceScenario::resume, 1) }
                    thread { actor(ResumeOnceScenario::callReturns, 2) }
                }
            }
            .check(ResumeOnceScenario::class.java)
        // A call that returned after its continuation was resumed is reported, never thrown.
        val refused = reports.take()
        assertTrue(
            refused.all {
                it.kind == Report.Kind.UNCAUGHT_EXCEPTION &&
                    it.exception?.message?.startsWith("the continuation was already resumed") ==
                        true
            },
            refused.toString(),
        )
        SCENARIOS += "Async.suspending resumed twice"
    }

    private fun options() =
        ModelCheckingOptions()
            .iterations(ITERATIONS)
            .invocationsPerIteration(INVOCATIONS)
            .threads(3)
            .actorsPerThread(2)

    companion object {
        private const val ITERATIONS = 5
        private const val INVOCATIONS = 200
        private val SCENARIOS = java.util.concurrent.ConcurrentLinkedQueue<String>()

        @JvmStatic
        @org.junit.jupiter.api.AfterAll
        fun printFigures() {
            println(
                "model checking: ${SCENARIOS.size} protocols ($SCENARIOS), each the race that matters " +
                    "and $ITERATIONS random scenarios of 3 threads x 2 operations, up to " +
                    "$INVOCATIONS interleavings each; all linearizable"
            )
        }
    }
}
