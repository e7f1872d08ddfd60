package dev.corobridge.io;

import dev.corobridge.AsyncCloseable;
import dev.corobridge.Task;
import dev.corobridge.core.ChildProcess;
import dev.corobridge.stream.AsyncStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A running child process, started by {@link Command#start()}: asyncio's {@code Process}. Its
 * output comes as streams of lines, its input takes writes, and its end is a task. Close it with
 * try-with-resources inside a task: closing ends it if it still runs (SIGTERM, then SIGKILL after
 * the command's grace period, to it and every process it started) and waits for that, cancelled or
 * not.
 *
 * <p><b>Output.</b> {@link #stdoutLines()} and {@link #stderrLines()} are each read once, a few
 * batches of lines ahead of the loop that iterates them: a process whose output nobody reads blocks
 * when its pipe is full, as asyncio's would. Lines come as soon as the process writes them.
 *
 * <p><b>Waiting.</b> {@link #waitFor()} is {@code await proc.wait()}, except that cancelling it
 * (directly, by {@code Async.timeout}, by a task group) ends the process: nothing is left running
 * unwatched.
 *
 * <pre>{@code
 * try (Subprocess sorter = Command.of("sort", "-n").start().await()) {
 *     sorter.write("3\n1\n2\n").await();
 *     sorter.closeInput().await();
 *     List<String> sorted = sorter.stdoutLines().toList().await();   // [1, 2, 3]
 *     int code = sorter.waitFor().await();
 * }
 * }</pre>
 */
public final class Subprocess implements AsyncCloseable<RuntimeException> {
    private final List<String> commandLine;
    private final ChildProcess child;
    private final Charset charset;
    private final AsyncStream<String> stdout;
    private final AsyncStream<String> stderr;

    Subprocess(List<String> commandLine, ChildProcess child, Charset charset) {
        this.commandLine = commandLine;
        this.child = child;
        this.charset = charset;
        this.stdout = AsyncStream.fromFlow(child.outputLines());
        this.stderr = AsyncStream.fromFlow(child.errorLines());
    }

    /** The process's id. */
    public long pid() {
        return child.process().pid();
    }

    /** Whether it is still running. */
    public boolean isAlive() {
        return child.process().isAlive();
    }

    /** The program and its arguments. */
    public List<String> commandLine() {
        return commandLine;
    }

    /**
     * The lines it writes to stdout, as they come; read once: iterating again goes on where the
     * last loop stopped.
     *
     * <pre>{@code
     * for (String line : process.stdoutLines()) System.out.println("> " + line);
     * }</pre>
     */
    public AsyncStream<String> stdoutLines() {
        return stdout;
    }

    /** The lines it writes to stderr, as they come; read once, like {@link #stdoutLines()}. */
    public AsyncStream<String> stderrLines() {
        return stderr;
    }

    /**
     * Writes {@code text} to its stdin in the command's charset, and flushes: {@code
     * proc.stdin.write(...); await proc.stdin.drain()}. Writes happen in the order they were
     * started; one to a full pipe waits until the process reads (cancelling it does not stop it:
     * closing the process does).
     */
    public Task<@Nullable Void> write(String text) {
        Objects.requireNonNull(text, "text");
        return write(text.getBytes(charset));
    }

    /** Writes {@code bytes} to its stdin, and flushes; see {@link #write(String)}. */
    public Task<@Nullable Void> write(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return IoTasks.task(child.write(bytes.clone()));
    }

    /** Closes its stdin, after the writes started before: the process then reads end of input. */
    public Task<@Nullable Void> closeInput() {
        return IoTasks.task(child.closeInput());
    }

    /**
     * Waits for it to exit and gives its exit code ({@code await proc.wait()}); cancelling the wait
     * ends the process and waits for that.
     */
    public Task<Integer> waitFor() {
        return IoTasks.task(child.exitCode());
    }

    /**
     * Ends it gracefully: SIGTERM now to it and the processes it started, SIGKILL after the grace
     * period to whatever is left. The task's value is its exit code once all have exited (143 when
     * SIGTERM ended it).
     */
    public Task<Integer> terminate() {
        return IoTasks.task(child.terminate(false));
    }

    /**
     * Ends it and the processes it started now, with SIGKILL; the task's value is its exit code.
     */
    public Task<Integer> kill() {
        return IoTasks.task(child.terminate(true));
    }

    /**
     * Ends it if it still runs, waits until it and the processes it started have exited and its
     * output has been read to the end (or dropped), and closes its pipes.
     */
    @Override
    public CompletionStage<?> closeAsync() {
        return child.close();
    }

    @Override
    public String toString() {
        return "Subprocess[pid " + pid() + ", " + String.join(" ", commandLine) + "]";
    }
}
