package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * For JPMS users the engine is sealed by the module descriptors: {@code dev.corobridge.core} is
 * exported to the facade only, while the API and the Kotlin interop package are open to all.
 */
class ModuleBoundaryTest {
    @Test
    void aModuleUsingTheApiCompiles() {
        var errors =
                compileModule(
                        "class Uses {",
                        "  String greet() throws Exception {",
                        "    dev.corobridge.Task<String> task = dev.corobridge.Async.launch(() -> \"hi\");",
                        "    task.cancel();",
                        "    return task.name() + dev.corobridge.Async.run(() -> \"hi\");",
                        "  }",
                        "}");
        assertEquals(List.of(), errors);
    }

    @Test
    void aModuleCannotReachTheEngine() {
        var errors =
                compileModule(
                        "class Reaches {",
                        "  Object engine() {",
                        "    return dev.corobridge.core.Engine.class;",
                        "  }",
                        "}");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("not visible"), errors.get(0));
    }

    private static List<String> compileModule(String... classLines) {
        return UserCode.compileModule(String.join("\n", classLines));
    }
}
