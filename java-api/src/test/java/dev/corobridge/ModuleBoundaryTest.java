package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For JPMS users the engine is sealed by the module descriptors: {@code dev.corobridge.core} is
 * exported to the facade only, while the API and the Kotlin interop package are open to all.
 */
class ModuleBoundaryTest {
    @TempDir Path work;

    @Test
    void aModuleUsingTheApiCompiles() throws IOException {
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
    void aModuleCannotReachTheEngine() throws IOException {
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

    /** Compiles module {@code app} (requiring dev.corobridge) with one class in package app. */
    private List<String> compileModule(String... classLines) throws IOException {
        Path sources = Files.createDirectories(work.resolve("src/app"));
        Files.writeString(
                work.resolve("src/module-info.java"), "module app { requires dev.corobridge; }");
        Files.writeString(
                sources.resolve("Snippet.java"), "package app;\n" + String.join("\n", classLines));
        var compiler = ToolProvider.getSystemJavaCompiler();
        var collected = new DiagnosticCollector<JavaFileObject>();
        var files = compiler.getStandardFileManager(collected, null, null);
        var units =
                files.getJavaFileObjects(
                        work.resolve("src/module-info.java"), sources.resolve("Snippet.java"));
        var options =
                List.of(
                        "--module-path",
                        modulePath(),
                        "-d",
                        Files.createDirectories(work.resolve("out")).toString(),
                        "-proc:none");
        compiler.getTask(null, files, collected, options, null, units).call();
        return collected.getDiagnostics().stream()
                .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null))
                .toList();
    }

    /** corobridge's two modules and what they require, taken from the test's class path. */
    private static String modulePath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(
                        entry ->
                                entry.contains("kotlin-core")
                                        || entry.endsWith(
                                                "java-api"
                                                        + File.separator
                                                        + "target"
                                                        + File.separator
                                                        + "classes")
                                        || entry.contains("kotlin-stdlib")
                                        || entry.contains("kotlinx-coroutines-core")
                                        || entry.contains("jspecify"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
