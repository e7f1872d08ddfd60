package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class KotlinInteropTest {
    private final KotlinService service = new KotlinService();

    @Test
    void aSuspendFunctionThatReturnsAtOnceGivesItsValue() throws Exception {
        int value =
                Async.run(() -> Async.<Integer>suspending(c -> service.immediate(21, c)).await());
        assertEquals(42, value);
    }

    @Test
    void aSuspendFunctionThatSuspendsGivesItsValue() throws Exception {
        int value = Async.run(() -> Async.<Integer>suspending(c -> service.delayed(14, c)).await());
        assertEquals(42, value);
    }

    @Test
    void anExceptionThrownAtOnceArrivesUnchanged() throws Exception {
        var thrown =
                Async.run(
                        () ->
                                assertThrows(
                                        IOException.class,
                                        () ->
                                                Async.<Integer>suspending(service::failsImmediately)
                                                        .await()));
        assertSame(service.getLastThrown(), thrown);
    }

    @Test
    void anExceptionThrownAfterSuspendingArrivesUnchanged() throws Exception {
        var thrown =
                Async.run(
                        () ->
                                assertThrows(
                                        IOException.class,
                                        () ->
                                                Async.<Integer>suspending(service::failsLater)
                                                        .await()));
        assertSame(service.getLastThrown(), thrown);
    }

    @Test
    void aContinuationResumedTwiceThrowsAtTheSecondResumeAndTheTaskKeepsItsFirstOutcome()
            throws Exception {
        var secondResume = new CompletableFuture<Throwable>();
        var outcomes =
                Async.run(
                        () -> {
                            Task<String> task =
                                    Async.<String>suspending(
                                            c -> {
                                                // A Java callback API that calls back twice.
                                                new Thread(
                                                                () -> {
                                                                    c.resumeWith("first");
                                                                    try {
                                                                        c.resumeWith("second");
                                                                        secondResume.complete(null);
                                                                    } catch (Throwable e) {
                                                                        secondResume.complete(e);
                                                                    }
                                                                })
                                                        .start();
                                                return IntrinsicsKt.getCOROUTINE_SUSPENDED();
                                            });
                            return List.of(task.await(), Async.await(secondResume));
                        });
        assertEquals("first", outcomes.get(0));
        var thrown = assertInstanceOf(IllegalStateException.class, outcomes.get(1));
        assertTrue(thrown.getMessage().contains("already resumed"), thrown.getMessage());
    }

    @Test
    void cancellingTheTaskCancelsTheKotlinCall() throws Exception {
        Async.run(
                () -> {
                    Task<kotlin.Unit> call = Async.<kotlin.Unit>suspending(service::hangs);
                    Async.sleep(Duration.ofMillis(20)).await();
                    call.cancel();
                    assertThrows(CancellationException.class, call::await);
                });
        assertEquals(List.of("kotlin started", "kotlin finally"), service.getEvents());
    }

    @Test
    void theKotlinCallRunsOnTheLoopOfTheCallingTask() throws Exception {
        String loopThread =
                Async.run(
                        () -> {
                            String kotlinThread =
                                    Async.<String>suspending(service::threadName).await();
                            // The loop thread is the one running Kotlin code of this loop.
                            assertFalse(kotlinThread.startsWith("DefaultDispatcher"), kotlinThread);
                            return kotlinThread;
                        });
        assertNotNull(loopThread);
    }

    @Test
    void theTaskNameIsTheKotlinCoroutineName() throws Exception {
        String name =
                Async.run(
                        () ->
                                Async.launch(
                                                "importer",
                                                () ->
                                                        Async.<String>suspending(
                                                                        service::coroutineName)
                                                                .await())
                                        .await());
        assertEquals("importer", name);
    }

    @Test
    void worksOutsideAnEventLoopAsAPlainFuture() {
        assertEquals(6, Async.<Integer>suspending(c -> service.delayed(2, c)).join());
        var thrown =
                assertThrows(
                        CompletionException.class,
                        () -> Async.<Integer>suspending(service::failsLater).join());
        assertSame(service.getLastThrown(), thrown.getCause());
    }

    @Test
    void cancellingADerivedStageCancelsTheTask() throws Exception {
        Async.run(
                () -> {
                    Task<kotlin.Unit> call = Async.<kotlin.Unit>suspending(service::hangs);
                    Async.yieldNow().await();
                    var derived = call.thenApply(x -> "never");
                    derived.cancel(false);
                    assertThrows(CancellationException.class, call::await);
                    assertTrue(call.isCancelled());
                });
        assertEquals(List.of("kotlin started", "kotlin finally"), service.getEvents());
    }
}
