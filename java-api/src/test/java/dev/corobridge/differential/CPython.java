package dev.corobridge.differential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The oracle: a CPython of at least 3.13 (3.11 and 3.12 differ from it on task-group cancellation),
 * found as {@code -Dcorobridge.python}, {@code $COROBRIDGE_PYTHON}, {@code python3.13} on the PATH,
 * or a pyenv installation.
 */
public final class CPython {
    private final String executable;

    private CPython(String executable) {
        this.executable = executable;
    }

    /** The oracle, or empty with why not. */
    public static Optional<CPython> find(StringBuilder whyNot) {
        List<String> candidates = new ArrayList<>();
        String property = System.getProperty("corobridge.python");
        if (property != null && !property.isBlank()) candidates.add(property);
        String environment = System.getenv("COROBRIDGE_PYTHON");
        if (environment != null && !environment.isBlank()) candidates.add(environment);
        candidates.add("python3.14");
        candidates.add("python3.13");
        Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        if (Files.isDirectory(pyenv)) {
            try (Stream<Path> versions = Files.list(pyenv)) {
                versions.sorted()
                        .map(version -> version.resolve("bin").resolve("python3"))
                        .filter(Files::isExecutable)
                        .forEach(python -> candidates.add(python.toString()));
            } catch (IOException e) {
                whyNot.append("cannot list ").append(pyenv).append(": ").append(e).append("; ");
            }
        }
        for (String candidate : candidates) {
            String version = version(candidate);
            if (version == null) continue;
            String[] parts = version.split("\\.");
            if (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) >= 13) {
                return Optional.of(new CPython(candidate));
            }
            whyNot.append(candidate).append(" is ").append(version).append("; ");
        }
        whyNot.append(
                "no CPython 3.13 or later found (set -Dcorobridge.python=/path/to/python3.13)");
        return Optional.empty();
    }

    private static String version(String executable) {
        try {
            Process process =
                    new ProcessBuilder(
                                    executable,
                                    "-c",
                                    "import sys; print('%d.%d' % sys.version_info[:2])")
                            .redirectErrorStream(true)
                            .start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) return null;
            return out.trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs {@code source} as a script and returns the lines it printed; fails if it fails. */
    public List<String> run(String source) throws IOException, InterruptedException {
        Path script = Files.createTempFile("corobridge-", ".py");
        try {
            Files.writeString(script, source);
            Process process =
                    new ProcessBuilder(executable, script.toString())
                            .redirectErrorStream(true)
                            .start();
            String out =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(executable + " did not finish the script in 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(executable + " failed on the script:\n" + out);
            }
            return out.lines().toList();
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Override
    public String toString() {
        return executable;
    }

    /** Starts running {@code programs}; {@link Batch#trails()} gives their trails. */
    Batch start(List<Program> programs) throws IOException {
        Path script = Files.createTempFile("corobridge-differential", ".py");
        Files.writeString(script, PythonWriter.script(programs));
        Process process =
                new ProcessBuilder(executable, script.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
        return new Batch(process, script, programs.size());
    }

    /** A running CPython batch. */
    static final class Batch {
        private final Process process;
        private final Path script;
        private final int count;

        Batch(Process process, Path script, int count) {
            this.process = process;
            this.script = script;
            this.count = count;
        }

        /** Each program's trail, in program order. */
        List<List<String>> trails() throws IOException, InterruptedException {
            Map<Integer, List<String>> byProgram = new HashMap<>();
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    int start = line.indexOf(':') + 1;
                    int number = Integer.parseInt(line.substring(start, line.indexOf(',')).trim());
                    byProgram.put(number, strings(line.substring(line.indexOf('['))));
                }
            }
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("CPython did not finish " + script);
            }
            if (process.exitValue() != 0 || byProgram.size() != count) {
                throw new IllegalStateException(
                        "CPython failed (exit "
                                + process.exitValue()
                                + ") after "
                                + byProgram.size()
                                + " of "
                                + count
                                + " programs; run "
                                + script);
            }
            Files.deleteIfExists(script);
            List<List<String>> trails = new ArrayList<>();
            for (int i = 0; i < count; i++) trails.add(byProgram.get(i));
            return trails;
        }
    }

    /** The strings of a JSON array of strings. */
    private static List<String> strings(String json) {
        List<String> strings = new ArrayList<>();
        int i = json.indexOf('[') + 1;
        while (true) {
            while (json.charAt(i) == ' ' || json.charAt(i) == ',') i++;
            if (json.charAt(i) == ']') return strings;
            StringBuilder value = new StringBuilder();
            i++; // the opening quote
            while (json.charAt(i) != '"') {
                char c = json.charAt(i++);
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                char escaped = json.charAt(i++);
                switch (escaped) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        value.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> value.append(escaped);
                }
            }
            strings.add(value.toString());
            i++; // the closing quote
        }
    }
}
