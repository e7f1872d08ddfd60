package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class ContextPropagationTest {
    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();
    private ContextPropagation.Registration registration;

    @BeforeEach
    void register() {
        registration = ContextPropagation.register(REQUEST);
    }

    @AfterEach
    void unregister() throws Exception {
        registration.close();
        REQUEST.remove();
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    void aTaskSeesTheContextOfWhereItWasStartedAcrossAwaits(BodyThreads kind) throws Exception {
        var trail = new Trail();
        Loops.run(
                kind,
                () -> {
                    REQUEST.set("r-1");
                    Task<Void> child =
                            Async.launch(
                                    () -> {
                                        trail.add("child before await: " + REQUEST.get());
                                        Async.sleep(Duration.ofMillis(5)).await();
                                        trail.add("child after await: " + REQUEST.get());
                                    });
                    REQUEST.set("r-2"); // changes after the launch do not reach the child
                    child.await();
                    trail.add("main: " + REQUEST.get());
                });
        assertEquals(
                List.of("child before await: r-1", "child after await: r-1", "main: r-2"),
                trail.events());
    }

    @Test
    void theCallerOfRunPassesItsContextToTheMainTask() throws Exception {
        REQUEST.set("from main thread");
        assertEquals("from main thread", Async.run(REQUEST::get));
    }

    @Test
    void offloadedWorkSeesTheContextAndTheWorkerIsPutBack() throws Exception {
        Async.run(
                () -> {
                    REQUEST.set("r-7");
                    Thread[] worker = new Thread[1];
                    String seen =
                            Async.toThread(
                                            () -> {
                                                worker[0] = Thread.currentThread();
                                                return REQUEST.get();
                                            })
                                    .await();
                    assertEquals("r-7", seen);
                    // The same pooled worker, asked again without context, has none left over.
                    REQUEST.remove();
                    String leftover = Async.toThread(REQUEST::get).await();
                    assertNull(leftover);
                });
    }

    @Test
    void kotlinCodeCalledFromATaskSeesTheContext() throws Exception {
        var service = new KotlinService();
        String seen =
                Async.run(
                        () -> {
                            REQUEST.set("r-k");
                            return Async.<String>suspending(c -> service.readAfterDelay(REQUEST, c))
                                    .await();
                        });
        assertEquals("r-k", seen);
    }

    @Test
    void backgroundTasksCarryTheCallersContext() {
        REQUEST.set("bg");
        assertEquals("bg", Async.launch(REQUEST::get).join());
    }

    @Test
    void anUnregisteredCarrierIsNotPropagated() throws Exception {
        registration.close();
        REQUEST.set("not carried");
        assertNull(Async.launch(REQUEST::get).join());
    }

    /**
     * A carrier that works until told to fail: then its capture or restore throws the given
     * exception, every time. Closing it unregisters it and fails if a thread saw an uncaught
     * exception meanwhile: a carrier's failure belongs to its task.
     */
    private static final class FailingCarrier implements AutoCloseable {
        final AtomicReference<RuntimeException> captureFails = new AtomicReference<>();
        final AtomicReference<RuntimeException> restoreFails = new AtomicReference<>();
        private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        private final Thread.UncaughtExceptionHandler previousHandler =
                Thread.getDefaultUncaughtExceptionHandler();

        {
            Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
        }

        private final ContextPropagation.Registration registration =
                ContextPropagation.register(
                        () -> {
                            var failure = captureFails.get();
                            if (failure != null) throw failure;
                            return "tenant-1";
                        },
                        value -> {
                            var failure = restoreFails.get();
                            if (failure != null) throw failure;
                        });

        @Override
        public void close() {
            registration.close();
            Thread.setDefaultUncaughtExceptionHandler(previousHandler);
            assertEquals(List.of(), uncaught);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    // SEPARATE_THREAD: a run that hangs does not answer an interrupt.
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRestoreThatThrowsFailsTheMainTaskInsteadOfHanging(BodyThreads kind) throws Exception {
        var failure = new IllegalStateException("restore failed");
        try (var carrier = new FailingCarrier()) {
            carrier.restoreFails.set(failure);
            assertSame(failure, assertThrows(Exception.class, () -> Loops.run(kind, () -> "done")));
        }
    }

    @Test
    // SEPARATE_THREAD: a run that hangs does not answer an interrupt.
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRestoreThatThrowsFailsAsyncRun() throws Exception {
        var failure = new IllegalStateException("restore failed");
        try (var carrier = new FailingCarrier()) {
            carrier.restoreFails.set(failure);
            assertSame(
                    failure,
                    assertThrows(IllegalStateException.class, () -> Async.run(() -> "done")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    // SEPARATE_THREAD: a run that hangs does not answer an interrupt.
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRestoreThatThrowsFailsTheTaskItInstallsForAndNotItsParent(BodyThreads kind)
            throws Exception {
        var failure = new IllegalStateException("restore failed");
        try (var carrier = new FailingCarrier()) {
            String result =
                    Loops.run(
                            kind,
                            () -> {
                                Task<String> child = Async.launch(() -> "child ran");
                                carrier.restoreFails.set(failure); // before the child's thread
                                try {
                                    assertSame(
                                            failure, assertThrows(Exception.class, child::await));
                                } finally {
                                    carrier.restoreFails.set(null);
                                }
                                return "parent went on";
                            });
            assertEquals("parent went on", result);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corobridge.Loops#kinds")
    // SEPARATE_THREAD: a run that hangs does not answer an interrupt.
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCaptureThatThrowsWhileInstallingFailsTheTask(BodyThreads kind) throws Exception {
        var failure = new IllegalStateException("capture failed");
        try (var carrier = new FailingCarrier()) {
            String result =
                    Loops.run(
                            kind,
                            () -> {
                                Task<String> child = Async.launch(() -> "child ran");
                                // The child's thread reads its own value first, to put it back.
                                carrier.captureFails.set(failure);
                                try {
                                    assertSame(
                                            failure, assertThrows(Exception.class, child::await));
                                } finally {
                                    carrier.captureFails.set(null);
                                }
                                return "parent went on";
                            });
            assertEquals("parent went on", result);
        }
    }

    @Test
    // SEPARATE_THREAD: a run that hangs does not answer an interrupt.
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCaptureThatThrowsWhereATaskStartsIsThrownByTheStartingCall() throws Exception {
        var failure = new IllegalStateException("capture failed");
        try (var carrier = new FailingCarrier()) {
            carrier.captureFails.set(failure);
            assertSame(
                    failure,
                    assertThrows(IllegalStateException.class, () -> Async.run(() -> "done")));
            assertSame(
                    failure,
                    assertThrows(IllegalStateException.class, () -> Async.launch(() -> 1)));
        }
    }

    @Test
    // SEPARATE_THREAD: a run that hangs does not answer an interrupt.
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRestoreThatThrowsFailsAKotlinTask() throws Exception {
        assertFailsAKotlinTask(carrier -> carrier.restoreFails);
    }

    @Test
    // SEPARATE_THREAD: a run that hangs does not answer an interrupt.
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCaptureThatThrowsWhileInstallingFailsAKotlinTask() throws Exception {
        assertFailsAKotlinTask(carrier -> carrier.captureFails);
    }

    /**
     * Makes the carrier's {@code side} throw before a Kotlin task's first step: awaiting that task
     * rethrows the carrier's exception, and its parent goes on.
     */
    private static void assertFailsAKotlinTask(
            java.util.function.Function<FailingCarrier, AtomicReference<RuntimeException>> side)
            throws Exception {
        var failure = new IllegalStateException("carrier failed");
        var service = new KotlinService();
        try (var carrier = new FailingCarrier()) {
            String result =
                    Async.run(
                            () -> {
                                Task<Integer> kotlin = Async.suspending(c -> service.delayed(1, c));
                                side.apply(carrier).set(failure); // before its first step
                                try {
                                    assertSame(
                                            failure, assertThrows(Exception.class, kotlin::await));
                                } finally {
                                    side.apply(carrier).set(null);
                                }
                                return "parent went on";
                            });
            assertEquals("parent went on", result);
        }
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> ContextPropagation.register(null));
        assertThrows(
                NullPointerException.class, () -> ContextPropagation.register(null, value -> {}));
    }
}
