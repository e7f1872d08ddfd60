package dev.corobridge.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Captures what an example prints. Tests of this module run one at a time, so swapping System.out
 * is safe.
 */
final class Console {
    private Console() {}

    /** What a call printed, line by line, and what it returned. */
    record Captured<T>(T value, List<String> out, List<String> err) {}

    /** Runs {@code main} with System.out and System.err captured. */
    static Captured<Void> capture(Examples.Main main) throws Exception {
        return capture(
                () -> {
                    main.run(new String[0]);
                    return null;
                });
    }

    /** Calls {@code action} with System.out and System.err captured. */
    static <T> Captured<T> capture(Callable<T> action) throws Exception {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        T value;
        try {
            System.setOut(new PrintStream(out, true, UTF_8));
            System.setErr(new PrintStream(err, true, UTF_8));
            value = action.call();
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Captured<>(value, lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(UTF_8).lines().toList();
    }
}
