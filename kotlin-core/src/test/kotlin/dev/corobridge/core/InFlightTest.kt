package dev.corobridge.core

import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource

/**
 * [InFlight]: what a server's graceful shutdown and a session's close rely on. A drain lets work
 * end within its grace, cancels the rest and returns only once their cleanup has run.
 */
internal class InFlightTest : JavaBodyTestBase() {
    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun aDrainWaitsWithinTheGraceThenCancelsAndAwaitsTheCleanup(kind: BodyThreads) {
        assumeAvailable(kind)
        engine.runMain(kind) {
            val inFlight = InFlight()
            val quick =
                inFlight.track(
                    launch("quick") {
                        sleep(50)
                        trail.add("quick done")
                    }
                )
            val slow = inFlight.track(sleeper("slow"))
            val plain = inFlight.track(CompletableFuture<String>())
            assertEquals(3, inFlight.count())

            await(inFlight.drain(300_000_000))

            trail.add("drained")
            assertEquals(listOf("quick done", "slow cleanup", "drained"), trail.events())
            assertTrue(quick.isDone && !quick.isCancelled)
            assertTrue(slow.isCancelled)
            assertTrue(plain.isCancelled)
            assertEquals(0, inFlight.count())
        }
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun workTrackedDuringTheDrainIsDrainedToo(kind: BodyThreads) {
        assumeAvailable(kind)
        engine.runMain(kind) {
            val inFlight = InFlight()
            inFlight.track(
                launch("first") {
                    sleep(20)
                    inFlight.track(
                        launch("second") {
                            sleep(50)
                            trail.add("second done")
                        }
                    )
                    trail.add("first done")
                }
            )

            await(inFlight.drain(5_000_000_000))

            trail.add("drained")
            assertEquals(listOf("first done", "second done", "drained"), trail.events())
        }
    }

    @ParameterizedTest
    @EnumSource(BodyThreads::class)
    fun cancelAllCancelsWhatRuns(kind: BodyThreads) {
        assumeAvailable(kind)
        engine.runMain(kind) {
            val inFlight = InFlight()
            val slow = inFlight.track(sleeper("slow"))
            sleep(10) // the sleeper has begun
            inFlight.cancelAll()
            val outcome = runCatching { await(slow) }.exceptionOrNull()
            assertTrue(outcome is CancellationException, "the task ended with $outcome")
            assertEquals(listOf("slow cleanup"), trail.events())
            assertEquals(0, inFlight.count())
        }
    }
}
