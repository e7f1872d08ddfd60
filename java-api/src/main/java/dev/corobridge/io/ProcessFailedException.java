package dev.corobridge.io;

import java.io.IOException;
import java.util.List;

/**
 * A process exited with a code other than 0: Python's {@code CalledProcessError}, thrown by {@link
 * ProcessResult#requireSuccess()}. The message names the command and the code and ends with the
 * last lines the process wrote to stderr.
 */
public final class ProcessFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final int STDERR_SHOWN = 2000;

    private final String[] commandLine;
    private final int exitCode;
    private final String stderr;

    ProcessFailedException(List<String> commandLine, int exitCode, String stderr) {
        super(message(commandLine, exitCode, stderr));
        this.commandLine = commandLine.toArray(String[]::new);
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    /** The program and its arguments. */
    public List<String> commandLine() {
        return List.of(commandLine);
    }

    /** The exit code, not 0. */
    public int exitCode() {
        return exitCode;
    }

    /** Everything the process wrote to stderr. */
    public String stderr() {
        return stderr;
    }

    private static String message(List<String> commandLine, int exitCode, String stderr) {
        String tail = stderr.strip();
        if (tail.length() > STDERR_SHOWN) {
            tail = "..." + tail.substring(tail.length() - STDERR_SHOWN);
        }
        return String.join(" ", commandLine)
                + " exited with code "
                + exitCode
                + (tail.isEmpty() ? "" : ": " + tail);
    }
}
