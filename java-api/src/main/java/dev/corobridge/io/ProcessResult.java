package dev.corobridge.io;

import dev.corobridge.core.ProcessOutput;
import java.nio.charset.Charset;
import java.util.List;

/**
 * What a finished process left: Python's {@code CompletedProcess}. Its output is decoded in the
 * command's charset.
 *
 * <pre>{@code
 * ProcessResult result = Command.of("git", "status", "--short").run().await();
 * if (result.succeeded()) System.out.print(result.stdout());
 * }</pre>
 *
 * @param commandLine the program and its arguments
 * @param exitCode the process's exit code: 0 for success; 128 + n when signal n ended it
 * @param stdout everything it wrote to stdout
 * @param stderr everything it wrote to stderr (empty with {@link Command#errorsToOutput()})
 */
public record ProcessResult(List<String> commandLine, int exitCode, String stdout, String stderr) {
    public ProcessResult {
        commandLine = List.copyOf(commandLine);
    }

    ProcessResult(List<String> commandLine, ProcessOutput output, Charset charset) {
        this(
                commandLine,
                output.exitCode(),
                new String(output.stdout(), charset),
                new String(output.stderr(), charset));
    }

    /** Whether the process exited with code 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * This result if the process succeeded; else throws: Python's {@code check_returncode()}.
     *
     * @throws ProcessFailedException if the exit code is not 0, with the end of stderr
     */
    public ProcessResult requireSuccess() throws ProcessFailedException {
        if (!succeeded()) throw new ProcessFailedException(commandLine, exitCode, stderr);
        return this;
    }
}
