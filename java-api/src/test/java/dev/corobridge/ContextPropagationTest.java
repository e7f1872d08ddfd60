package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class ContextPropagationTest {
    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();
    private AutoCloseable registration;

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

    @Test
    void nullArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> ContextPropagation.register(null));
        assertThrows(
                NullPointerException.class, () -> ContextPropagation.register(null, value -> {}));
    }
}
