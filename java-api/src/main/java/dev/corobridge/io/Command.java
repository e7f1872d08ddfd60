package dev.corobridge.io;

import dev.corobridge.Task;
import dev.corobridge.core.ProcessCalls;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A command to run as a child process, whose run is a task: asyncio's {@code
 * create_subprocess_exec}. {@link #run()} collects what the process writes and its exit code
 * ({@code await proc.communicate()}); {@link #start()} gives a {@link Subprocess} to stream its
 * output and write its input. Starting a process and using its pipes block, so they happen on the
 * I/O threads, never on a loop. The program is run directly, not through a shell.
 *
 * <p><b>Ending.</b> Cancelling a run (directly, by {@code Async.timeout}, by a task group) ends the
 * process and every process it started: they get SIGTERM, and whatever is left after {@link
 * #terminationGrace(Duration) the grace period} (2 seconds by default) SIGKILL. The task ends once
 * all of them have exited: nothing is left running, and no zombie is left behind.
 *
 * <p><b>Failures.</b> A program that does not exist, or is not executable, fails the task with an
 * {@link java.io.IOException} that says so and what to do. A non-zero exit code is not a failure of
 * {@code run()}: {@link ProcessResult#requireSuccess()} makes it one.
 *
 * <p>A command is a mutable builder, like {@link ProcessBuilder}; each {@code run()} or {@code
 * start()} starts a new process from its settings at that moment.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     ProcessResult listing = Command.of("ls", "-l", "/tmp").run().await();
 *     System.out.println(listing.exitCode() + ": " + listing.stdout());
 *     // a time limit that kills: asyncio.wait_for(proc.communicate(), 5)
 *     Async.timeout(Duration.ofSeconds(5), () -> Command.of("./slow-build.sh").run().await()).await();
 *     return null;
 * });
 * }</pre>
 */
public final class Command {
    private final List<String> commandLine;
    private @Nullable Path directory;
    private final Map<String, @Nullable String> environment = new LinkedHashMap<>();
    private byte @Nullable [] input;
    private Charset charset = StandardCharsets.UTF_8;
    private Duration grace = Duration.ofSeconds(2);
    private boolean errorsToOutput;

    private Command(List<String> commandLine) {
        this.commandLine = commandLine;
    }

    /**
     * {@code program} with {@code arguments}; a program without a path is looked up on the PATH.
     */
    public static Command of(String program, String... arguments) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(arguments, "arguments");
        List<String> line = new ArrayList<>(arguments.length + 1);
        line.add(program);
        for (int i = 0; i < arguments.length; i++) {
            line.add(Objects.requireNonNull(arguments[i], "arguments[" + i + "]"));
        }
        return of(line);
    }

    /** A command line: the program, then its arguments. */
    public static Command of(List<String> commandLine) {
        Objects.requireNonNull(commandLine, "commandLine");
        List<String> line = List.copyOf(commandLine); // rejects null elements
        if (line.isEmpty() || line.get(0).isEmpty()) {
            throw new IllegalArgumentException(
                    "the command line names no program: give the program first, then its arguments");
        }
        return new Command(line);
    }

    /** The program and its arguments. */
    public List<String> commandLine() {
        return commandLine;
    }

    /** The working directory of the process; by default this JVM's. */
    public Command directory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /**
     * Sets an environment variable of the process (on top of this JVM's environment); a {@code
     * null} value removes it.
     */
    public Command environment(String name, @Nullable String value) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('=') >= 0) {
            throw new IllegalArgumentException(
                    "an environment variable's name must be non-empty and without '=': " + name);
        }
        environment.put(name, value);
        return this;
    }

    /** What {@link #run()} writes to the process's stdin, as text in the command's charset. */
    public Command input(String text) {
        Objects.requireNonNull(text, "text");
        this.input = text.getBytes(charset);
        return this;
    }

    /** What {@link #run()} writes to the process's stdin before closing it. */
    public Command input(byte[] bytes) {
        this.input = Objects.requireNonNull(bytes, "bytes").clone();
        return this;
    }

    /**
     * The charset of the process's text: its output lines, and text written to it. UTF-8 by
     * default.
     */
    public Command charset(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
        return this;
    }

    /**
     * How long a process that is ended (by cancellation or {@link Subprocess#terminate()}) has
     * between SIGTERM and SIGKILL; 2 seconds by default.
     */
    public Command terminationGrace(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("terminationGrace must be >= 0, was " + grace);
        }
        this.grace = grace;
        return this;
    }

    /** Sends the process's stderr into its stdout ({@code stderr=STDOUT}). */
    public Command errorsToOutput() {
        this.errorsToOutput = true;
        return this;
    }

    /**
     * Starts the process, writes the {@link #input(String) input} to it, and collects its output
     * and exit code: {@code await proc.communicate()}. Cancelling the task ends the process; see
     * {@link Command}.
     *
     * <pre>{@code
     * String sorted = Command.of("sort").input("b\na\n").run().await().requireSuccess().stdout();
     * }</pre>
     */
    public Task<ProcessResult> run() {
        List<String> line = commandLine;
        Charset text = charset;
        return IoTasks.task(
                ProcessCalls.run(
                        builder(),
                        input,
                        text,
                        graceNanos(),
                        output -> new ProcessResult(line, output, text)));
    }

    /**
     * Starts the process and gives it as a {@link Subprocess}, to stream its output and write to
     * it; close it with try-with-resources inside a task, which ends it if it still runs.
     *
     * <pre>{@code
     * try (Subprocess tail = Command.of("tail", "-f", "app.log").start().await()) {
     *     for (String line : tail.stdoutLines()) {
     *         if (line.contains("ready")) break;
     *     }
     * }   // ends tail, and waits for that
     * }</pre>
     */
    public Task<Subprocess> start() {
        List<String> line = commandLine;
        Charset text = charset;
        return IoTasks.task(
                ProcessCalls.start(
                        builder(), text, graceNanos(), child -> new Subprocess(line, child, text)));
    }

    private long graceNanos() {
        try {
            return grace.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private ProcessBuilder builder() {
        var builder = new ProcessBuilder(commandLine);
        if (directory != null) builder.directory(directory.toFile());
        if (!environment.isEmpty()) {
            Map<String, String> variables = builder.environment();
            environment.forEach(
                    (name, value) -> {
                        if (value == null) variables.remove(name);
                        else variables.put(name, value);
                    });
        }
        builder.redirectErrorStream(errorsToOutput);
        return builder;
    }

    @Override
    public String toString() {
        return "Command" + commandLine;
    }
}
