package dev.corobridge.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** What a test checks was left behind: open files, busy threads, processes and zombies. */
final class Leaks {
    private Leaks() {}

    /** The files under {@code directory} this JVM has open (its /proc/self/fd links). */
    static List<Path> openFilesUnder(Path directory) {
        try {
            return openFiles(directory.toRealPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> openFiles(Path real) throws IOException {
        List<Path> open = new ArrayList<>();
        try (DirectoryStream<Path> descriptors =
                Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    Path target = Files.readSymbolicLink(descriptor);
                    if (target.startsWith(real)) open.add(target);
                } catch (IOException closedMeanwhile) {
                    // the descriptor of the listing itself, or one closed since
                }
            }
        }
        return open;
    }

    /**
     * Threads whose stack has a frame of a class whose name starts with one of {@code prefixes}.
     */
    static List<String> threadsIn(String... prefixes) {
        List<String> busy = new ArrayList<>();
        Thread.getAllStackTraces()
                .forEach(
                        (thread, stack) -> {
                            for (StackTraceElement frame : stack) {
                                for (String prefix : prefixes) {
                                    if (frame.getClassName().startsWith(prefix)) {
                                        busy.add(thread.getName() + " at " + frame);
                                        return;
                                    }
                                }
                            }
                        });
        return busy;
    }

    /** Whether a process with this pid exists, running or as a zombie (its /proc entry). */
    static boolean exists(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    /** The process's state letter from /proc (R, S, Z, ...), or '-' if it does not exist. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (NoSuchFileException e) {
            return '-';
        } catch (IOException e) {
            return '?';
        }
    }

    /** Zombie processes whose parent is this JVM. */
    static List<Long> zombieChildren() {
        try {
            return zombiesOf(ProcessHandle.current().pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Long> zombiesOf(long self) throws IOException {
        List<Long> zombies = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    String stat = Files.readString(entry.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (fields[0].equals("Z") && Long.parseLong(fields[1]) == self) {
                        zombies.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return zombies;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /**
     * Waits up to 10 s for {@code condition}; fails with {@code failure}'s message if it never
     * holds.
     */
    static void eventually(Check condition, Supplier<String> failure) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError(failure.get());
            Thread.sleep(20);
        }
    }
}
