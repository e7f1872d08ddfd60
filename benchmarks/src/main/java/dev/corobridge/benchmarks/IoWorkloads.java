package dev.corobridge.benchmarks;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.AsyncFiles;
import dev.corobridge.io.Command;
import dev.corobridge.sync.AsyncSemaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The file and process rows of the side-by-side harness ({@link IoSideBySide}): each workload is
 * run by each contender, which returns a checksum of what it read, so nothing goes unread.
 */
final class IoWorkloads {
    private IoWorkloads() {}

    /** Small files read at once, and their size. */
    static final int SMALL_FILES = 1_000;

    static final int SMALL_FILE_BYTES = 4096;

    /** Child processes, and how many run at once. */
    static final int PROCESSES = 200;

    static final int PROCESSES_AT_ONCE = 16;

    /**
     * Platform threads of the JDK contender for small files: as many as kotlinx's Dispatchers.IO,
     * where corobridge's file calls run.
     */
    static final int FILE_THREADS = 64;

    enum Workload {
        SMALL_FILES,
        LINES,
        PROCESSES
    }

    enum Contender {
        COROBRIDGE("corobridge"),
        PLATFORM_THREADS("plain JDK on platform threads"),
        VIRTUAL_THREADS("plain JDK on virtual threads"),
        PYTHON("Python asyncio (aiofiles, create_subprocess_exec)");

        final String label;

        Contender(String label) {
            this.label = label;
        }
    }

    /** Writes the small files into {@code dir}: file i holds bytes of value i % 251. */
    static void writeSmallFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < SMALL_FILES; i++) {
            byte[] bytes = new byte[SMALL_FILE_BYTES];
            java.util.Arrays.fill(bytes, (byte) (i % 251));
            Files.write(dir.resolve("f" + i), bytes);
        }
    }

    static long smallFilesChecksum() {
        long sum = 0;
        for (int i = 0; i < SMALL_FILES; i++) sum += (long) (i % 251) * SMALL_FILE_BYTES;
        return sum;
    }

    /** A file of lines "row N, ..." of about {@code mebibytes} MiB; returns its checksum. */
    static long writeLines(Path file, int mebibytes) throws IOException {
        long target = (long) mebibytes << 20;
        long written = 0;
        long checksum = 0;
        try (var out = Files.newBufferedWriter(file)) {
            for (long n = 0; written < target; n++) {
                String line =
                        "row " + n + ", a line of a log file as it might look, with some text";
                out.write(line);
                out.write('\n');
                written += line.length() + 1;
                checksum += line.length() + 1;
            }
        }
        return checksum;
    }

    static long processesChecksum() {
        return (long) PROCESSES * (PROCESSES - 1) / 2;
    }

    static long run(Workload workload, Contender contender, Path path) throws Exception {
        return switch (workload) {
            case SMALL_FILES -> smallFiles(contender, path);
            case LINES -> lines(contender, path);
            case PROCESSES -> processes(contender);
        };
    }

    private static long smallFiles(Contender contender, Path dir) throws Exception {
        if (contender == Contender.COROBRIDGE) {
            return Async.run(
                    () -> {
                        List<Task<byte[]>> reads = new ArrayList<>(SMALL_FILES);
                        for (int i = 0; i < SMALL_FILES; i++) {
                            reads.add(AsyncFiles.readAllBytes(dir.resolve("f" + i)));
                        }
                        long sum = 0;
                        for (byte[] bytes : Async.gather(reads).await()) sum += sumOf(bytes);
                        return sum;
                    });
        }
        List<Callable<byte[]>> reads = new ArrayList<>(SMALL_FILES);
        for (int i = 0; i < SMALL_FILES; i++) {
            Path file = dir.resolve("f" + i);
            reads.add(() -> Files.readAllBytes(file));
        }
        long sum = 0;
        try (var pool = new Closing(executor(contender, FILE_THREADS))) {
            for (Future<byte[]> read : pool.executor.invokeAll(reads)) sum += sumOf(read.get());
        }
        return sum;
    }

    private static long sumOf(byte[] bytes) {
        long sum = 0;
        for (byte b : bytes) sum += b & 0xff;
        return sum;
    }

    private static long lines(Contender contender, Path file) throws Exception {
        if (contender == Contender.COROBRIDGE) {
            return Async.run(
                    () -> {
                        long sum = 0;
                        for (String line : AsyncFiles.lines(file)) sum += line.length() + 1;
                        return sum;
                    });
        }
        Callable<Long> read =
                () -> {
                    long sum = 0;
                    try (BufferedReader in = Files.newBufferedReader(file)) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            sum += line.length() + 1;
                        }
                    }
                    return sum;
                };
        try (var pool = new Closing(executor(contender, 1))) {
            return pool.executor.submit(read).get();
        }
    }

    @SuppressWarnings("try") // a permit held for the block
    private static long processes(Contender contender) throws Exception {
        if (contender == Contender.COROBRIDGE) {
            return Async.run(
                    () -> {
                        var atOnce = new AsyncSemaphore(PROCESSES_AT_ONCE);
                        List<Task<Long>> runs = new ArrayList<>(PROCESSES);
                        for (int i = 0; i < PROCESSES; i++) {
                            String n = Integer.toString(i);
                            runs.add(
                                    Async.launch(
                                            () -> {
                                                try (var permit = atOnce.hold()) {
                                                    return Long.parseLong(
                                                            Command.of("echo", n)
                                                                    .run()
                                                                    .await()
                                                                    .stdout()
                                                                    .strip());
                                                }
                                            }));
                        }
                        long sum = 0;
                        for (long value : Async.gather(runs).await()) sum += value;
                        return sum;
                    });
        }
        List<Callable<Long>> runs = new ArrayList<>(PROCESSES);
        for (int i = 0; i < PROCESSES; i++) {
            String n = Integer.toString(i);
            runs.add(
                    () -> {
                        Process process = new ProcessBuilder("echo", n).start();
                        process.getOutputStream().close();
                        String out;
                        try (InputStream in = process.getInputStream()) {
                            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        }
                        process.getErrorStream().readAllBytes();
                        if (process.waitFor() != 0) throw new IllegalStateException("echo failed");
                        return Long.parseLong(out.strip());
                    });
        }
        long sum = 0;
        try (var pool = new Closing(executor(contender, PROCESSES_AT_ONCE))) {
            for (Future<Long> run : pool.executor.invokeAll(runs)) sum += run.get();
        }
        return sum;
    }

    /**
     * A fixed pool of {@code threads} platform threads; for virtual threads, {@code threads} of
     * them at a time (a fixed pool of virtual threads).
     */
    private static ExecutorService executor(Contender contender, int threads) {
        return contender == Contender.VIRTUAL_THREADS
                ? Executors.newFixedThreadPool(threads, VirtualThreads.require())
                : Executors.newFixedThreadPool(threads);
    }

    /** Shuts an executor down at the end of a block (JDK 17's has no close()). */
    private record Closing(ExecutorService executor) implements AutoCloseable {
        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
