package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import dev.corobridge.core.Engine;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing of the engine is reachable through the API: a task's outcome belongs to its work. */
@Timeout(20)
class SealedApiTest {

    @Test
    void onlyTheFacadeConnectsTheEngine() {
        var refused =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Engine.connect(MethodHandles.lookup(), Task::new));
        assertTrue(refused.getMessage().contains("dev.corobridge.Async"), refused.getMessage());
    }

    @Test
    void obtrudingARunningTaskIsRefusedAndItsWorkCompletes() throws Exception {
        String value =
                Async.run(
                        () -> {
                            var task =
                                    Async.launch(
                                            () -> {
                                                Async.sleep(Duration.ofMillis(20)).await();
                                                return "computed";
                                            });
                            assertThrows(
                                    UnsupportedOperationException.class,
                                    () -> task.obtrudeValue("fake"));
                            assertThrows(
                                    UnsupportedOperationException.class,
                                    () -> task.obtrudeException(new IOException("fake")));
                            return task.await();
                        });
        assertEquals("computed", value);
    }

    @Test
    void completeAsyncEndsTheWorkBehindTheTask() throws Exception {
        var stopped = new CompletableFuture<Void>();
        String value =
                Async.run(
                        () -> {
                            var task =
                                    Async.launch(
                                            () -> {
                                                try {
                                                    Async.sleep(Duration.ofSeconds(10)).await();
                                                    return "computed";
                                                } finally {
                                                    stopped.complete(null);
                                                }
                                            });
                            Async.yieldNow().await();
                            task.completeAsync(() -> "by hand", Runnable::run);
                            Async.await(stopped);
                            return task.join();
                        });
        assertEquals("by hand", value);
    }

    @Test
    void javaSourceCannotCallTheEnginesInternalMembersOfATask() {
        var diagnostics =
                compile(
                        "class UsesInternals {",
                        "  void settleBehindItsBack(dev.corobridge.Task<String> task) {",
                        "    task.settle$corobridge_kotlin_core(\"fake\");",
                        "    task.getCoroutine$corobridge_kotlin_core();",
                        "  }",
                        "}");
        assertEquals(2, diagnostics.size(), diagnostics.toString());
    }

    @Test
    void javaSourceCompilesAgainstTheApi() {
        var diagnostics =
                compile(
                        "class UsesTheApi {",
                        "  String greet() throws Exception {",
                        "    return dev.corobridge.Async.run(() -> dev.corobridge.Async.launch(() -> \"hi\").await());",
                        "  }",
                        "}");
        assertEquals(List.of(), diagnostics);
    }

    private static List<String> compile(String... lines) {
        return UserCode.compile(List.of(), String.join("\n", lines));
    }
}
