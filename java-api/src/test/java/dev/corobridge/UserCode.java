package dev.corobridge;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;

/**
 * Compiles Java source as a user of corobridge would, against its two jars and what they require,
 * on the class path or as a module, and returns javac's diagnostics as "line: message".
 */
final class UserCode {
    private UserCode() {}

    /** Compiles {@code source} (one top-level class, no package) on the class path. */
    static List<String> compile(List<String> options, String source) {
        return javac(
                List.of("-classpath", dependencies()),
                options,
                java.util.Map.of("UserCode.java", source));
    }

    /**
     * Compiles module {@code app} (requiring dev.corobridge) whose package app holds {@code
     * source}.
     */
    static List<String> compileModule(String source) {
        return javac(
                List.of("--module-path", dependencies()),
                List.of(),
                java.util.Map.of(
                        "module-info.java",
                        "module app { requires dev.corobridge; }",
                        "app/UserCode.java",
                        "package app;\n" + source));
    }

    private static List<String> javac(
            List<String> path, List<String> options, java.util.Map<String, String> sources) {
        var compiler = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        Path work = null;
        try {
            work = Files.createTempDirectory("user-code");
            var files = new ArrayList<Path>();
            for (var source : sources.entrySet()) {
                Path file = work.resolve("src").resolve(source.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                files.add(file);
            }
            var arguments = new ArrayList<>(path);
            arguments.addAll(options);
            arguments.addAll(List.of("-proc:none", "-d", work.resolve("out").toString()));
            var manager = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null);
            compiler.getTask(
                            null,
                            manager,
                            diagnostics,
                            arguments,
                            null,
                            manager.getJavaFileObjectsFromPaths(files))
                    .call();
            return diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
                    .map(d -> d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(work);
        }
    }

    /** corobridge's jars (or class directories) and what they require. */
    private static String dependencies() {
        return Stream.of(
                        Async.class,
                        dev.corobridge.core.Engine.class,
                        kotlin.Unit.class,
                        kotlinx.coroutines.Job.class,
                        Nullable.class)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation())
                .map(url -> Path.of(URI.create(url.toString())).toString())
                .distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void delete(@Nullable Path directory) {
        if (directory == null) return;
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
