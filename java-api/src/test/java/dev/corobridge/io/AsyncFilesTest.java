package dev.corobridge.io;

import static dev.corobridge.io.Leaks.eventually;
import static dev.corobridge.io.Leaks.openFilesUnder;
import static dev.corobridge.io.Leaks.threadsIn;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.Async;
import dev.corobridge.Task;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AsyncFilesTest {
    @TempDir Path dir;

    @AfterEach
    void nothingLeftOpenOrBusy() throws Exception {
        eventually(
                () -> openFilesUnder(dir).isEmpty(),
                () -> "files left open: " + openFilesUnder(dir));
        eventually(
                () -> blockedOnFiles().isEmpty(),
                () -> "threads still in file I/O: " + blockedOnFiles());
    }

    @Test
    void writesAppendsAndReadsBack() throws Exception {
        Path file = dir.resolve("data.txt");
        String text =
                Async.run(
                        () -> {
                            assertEquals(file, AsyncFiles.write(file, "héllo\n").await());
                            AsyncFiles.append(file, "wörld\n").await();
                            AsyncFiles.append(file, new byte[] {'!'}).await();
                            assertArrayEquals(
                                    "héllo\nwörld\n!".getBytes(UTF_8),
                                    AsyncFiles.readAllBytes(file).await());
                            return AsyncFiles.readString(file).await();
                        });
        assertEquals("héllo\nwörld\n!", text);
        assertEquals("héllo\nwörld\n!", Files.readString(file));
    }

    @Test
    void writeReplacesAndTakesOptions() throws Exception {
        Path file = dir.resolve("replaced.txt");
        Files.writeString(file, "a much longer first version");
        Async.run(() -> AsyncFiles.write(file, "short").await());
        assertEquals("short", Files.readString(file));
        Exception exists =
                assertThrows(
                        java.nio.file.FileAlreadyExistsException.class,
                        () ->
                                Async.run(
                                        () ->
                                                AsyncFiles.write(
                                                                file,
                                                                "x",
                                                                StandardOpenOption.CREATE_NEW)
                                                        .await()));
        assertTrue(exists.getMessage().contains(file.toString()), exists.getMessage());
    }

    @Test
    void linesStreamALargeFileInOrder() throws Exception {
        Path file = dir.resolve("numbers.txt");
        int count = 200_000;
        try (var out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) out.write("line " + i + "\n");
        }
        long[] seen =
                Async.run(
                        () -> {
                            long lines = 0;
                            long sum = 0;
                            for (String line : AsyncFiles.lines(file)) {
                                if (!line.equals("line " + lines)) {
                                    throw new AssertionError("line " + lines + " was " + line);
                                }
                                sum += Long.parseLong(line.substring(5));
                                lines++;
                            }
                            return new long[] {lines, sum};
                        });
        assertEquals(count, seen[0]);
        assertEquals((long) count * (count - 1) / 2, seen[1]);
    }

    @Test
    void linesSplitLikeReadLineAndDecodeTheCharset() throws Exception {
        Path file = dir.resolve("mixed.txt");
        Files.write(file, "a\r\nb\rc\n\nd".getBytes(StandardCharsets.ISO_8859_1));
        Files.write(dir.resolve("latin.txt"), "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(
                List.of("a", "b", "c", "", "d"),
                Async.run(() -> AsyncFiles.lines(file).toList().await()));
        assertEquals(
                List.of("café"),
                Async.run(
                        () ->
                                AsyncFiles.lines(
                                                dir.resolve("latin.txt"),
                                                StandardCharsets.ISO_8859_1)
                                        .toList()
                                        .await()));
        assertEquals(
                List.of(),
                Async.run(
                        () ->
                                AsyncFiles.lines(Files.createFile(dir.resolve("empty")))
                                        .toList()
                                        .await()));
    }

    @Test
    void mappedAndFilteredLinesKeepTheirOrderAndAFailureComesAfterTheLinesBeforeIt()
            throws Exception {
        Path file = dir.resolve("numbers.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) text.append(i).append('\n');
        text.append("not a number\n").append("10001\n");
        Files.writeString(file, text);
        List<Integer> seen = new ArrayList<>();
        NumberFormatException failure =
                assertThrows(
                        NumberFormatException.class,
                        () ->
                                Async.run(
                                        () -> {
                                            for (int even :
                                                    AsyncFiles.lines(file)
                                                            .map(Integer::parseInt)
                                                            .filter(n -> n % 2 == 0)) {
                                                seen.add(even);
                                            }
                                            return null;
                                        }));
        assertTrue(failure.getMessage().contains("not a number"), failure.getMessage());
        assertEquals(5_000, seen.size());
        assertEquals(9_998, seen.get(seen.size() - 1));
    }

    @Test
    void longLinesComeWholeInSmallerBatches() throws Exception {
        Path file = dir.resolve("long-lines.txt");
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5; i++)
            written.add(String.valueOf((char) ('a' + i)).repeat(700_000 + i));
        Files.write(file, written);
        assertEquals(written, Async.run(() -> AsyncFiles.lines(file).toList().await()));
    }

    @Test
    void aLoopThatStopsEarlyClosesTheFile() throws Exception {
        Path file = dir.resolve("long.txt");
        Files.write(file, "x\n".repeat(100_000).getBytes(UTF_8));
        List<String> firstThree =
                Async.run(
                        () -> {
                            List<String> taken = new ArrayList<>();
                            for (String line : AsyncFiles.lines(file)) {
                                taken.add(line);
                                if (taken.size() == 3) break;
                            }
                            return taken;
                        });
        assertEquals(List.of("x", "x", "x"), firstThree);
        // nothingLeftOpenOrBusy checks the file was closed
    }

    @Test
    void missingFilesFailWithTheJdksExceptionNamingThePath() throws Exception {
        Path missing = dir.resolve("missing.txt");
        List<Exception> failures =
                List.of(
                        assertThrows(
                                NoSuchFileException.class,
                                () -> Async.run(() -> AsyncFiles.readString(missing).await())),
                        assertThrows(
                                NoSuchFileException.class,
                                () -> Async.run(() -> AsyncFiles.readAllBytes(missing).await())),
                        assertThrows(
                                NoSuchFileException.class,
                                () -> Async.run(() -> AsyncFiles.lines(missing).toList().await())),
                        assertThrows(
                                NoSuchFileException.class,
                                () -> Async.run(() -> AsyncFiles.open(missing).await())),
                        assertThrows(
                                NoSuchFileException.class,
                                () ->
                                        Async.run(
                                                () ->
                                                        AsyncFiles.write(
                                                                        dir.resolve(
                                                                                "no/such/dir.txt"),
                                                                        "x")
                                                                .await())));
        for (Exception failure : failures) {
            assertTrue(failure.getMessage().startsWith(dir.toString()), failure.getMessage());
        }
    }

    @Test
    void permissionDeniedFailsWithAccessDenied() throws Exception {
        Path denied = notWritable();
        assertThrows(
                AccessDeniedException.class,
                () -> Async.run(() -> AsyncFiles.write(denied, "x").await()));
        assertThrows(
                AccessDeniedException.class,
                () -> Async.run(() -> AsyncFiles.open(denied, StandardOpenOption.WRITE).await()));
    }

    @Test
    void cancellingAReadUnderWayClosesTheFileAndEndsTheTask() throws Exception {
        Path fifo = fifo("trickle");
        AtomicInteger ticks = new AtomicInteger();
        try (Trickle trickle = Trickle.into(fifo)) {
            Async.run(
                    () -> {
                        Task<String> read = AsyncFiles.readString(fifo);
                        Task<?> ticker = tick(ticks);
                        Async.sleep(Duration.ofMillis(300)).await();
                        assertTrue(trickle.written() > 0, "the read never started");
                        read.cancel();
                        assertThrows(CancellationException.class, read::await);
                        ticker.cancel();
                        return null;
                    });
            trickle.awaitReaderGone();
        }
        assertTrue(
                ticks.get() >= 10,
                "the loop was held while the file was read: " + ticks + " ticks");
    }

    @Test
    void aTimeoutStopsAStreamUnderWay() throws Exception {
        Path fifo = fifo("lines");
        try (Trickle trickle = Trickle.into(fifo)) {
            assertThrows(
                    TimeoutException.class,
                    () ->
                            Async.run(
                                    () ->
                                            Async.timeout(
                                                            Duration.ofMillis(300),
                                                            () ->
                                                                    AsyncFiles.lines(fifo)
                                                                            .toList()
                                                                            .await())
                                                    .await()));
            trickle.awaitReaderGone();
        }
    }

    @Test
    void cancellingAWriteUnderWayClosesTheFile() throws Exception {
        Path fifo = fifo("drain");
        int size = 64 << 20;
        try (Drain drain = Drain.from(fifo)) {
            Async.run(
                    () -> {
                        Task<Path> write = AsyncFiles.write(fifo, new byte[size]);
                        Async.sleep(Duration.ofMillis(300)).await();
                        assertTrue(drain.read() > 0, "the write never started");
                        write.cancel();
                        assertThrows(CancellationException.class, write::await);
                        return null;
                    });
            long total = drain.awaitEnd();
            assertTrue(total < size, "the write went on to the end after it was cancelled");
        }
    }

    @Test
    void aCancelledReadOfAnOpenFileClosesIt() throws Exception {
        Path fifo = fifo("handle");
        try (Trickle trickle = Trickle.into(fifo)) {
            Async.run(
                    () -> {
                        try (AsyncFile file = AsyncFiles.open(fifo).await()) {
                            Task<String> read = file.readString();
                            Async.sleep(Duration.ofMillis(200)).await();
                            read.cancel();
                            assertThrows(CancellationException.class, read::await);
                            assertFalse(file.isOpen());
                            assertThrows(ClosedChannelException.class, () -> file.read(1).await());
                        }
                        return null;
                    });
            trickle.awaitReaderGone();
        }
    }

    @Test
    void anOpenFileReadsWritesSeeksAndCloses() throws Exception {
        Path file = dir.resolve("handle.txt");
        AsyncFile[] kept = new AsyncFile[1];
        Async.run(
                () -> {
                    try (AsyncFile handle =
                            AsyncFiles.open(
                                            file,
                                            StandardOpenOption.CREATE,
                                            StandardOpenOption.READ,
                                            StandardOpenOption.WRITE)
                                    .await()) {
                        kept[0] = handle;
                        handle.write("0123456789\nsecond\nthird\n").await();
                        assertEquals(24L, handle.size().await());
                        assertEquals(24L, handle.position());
                        handle.seek(2);
                        assertArrayEquals("234".getBytes(UTF_8), handle.read(3).await());
                        assertEquals("56789\nsecond\nthird\n", handle.readString().await());
                        assertArrayEquals(new byte[0], handle.read(10).await());
                        handle.seek(11);
                        assertEquals(List.of("second", "third"), handle.lines().toList().await());
                        handle.sync().await();
                        assertTrue(handle.isOpen());
                    }
                    return null;
                });
        assertFalse(kept[0].isOpen());
        assertEquals("0123456789\nsecond\nthird\n", Files.readString(file));
    }

    @Test
    void badArgumentsFailAtTheCall() {
        NullPointerException noPath =
                assertThrows(NullPointerException.class, () -> AsyncFiles.readString(null));
        assertEquals("path", noPath.getMessage());
        assertThrows(NullPointerException.class, () -> AsyncFiles.write(dir, (byte[]) null));
        assertThrows(
                NullPointerException.class,
                () -> AsyncFiles.write(dir, "x", (StandardOpenOption) null));
        assertThrows(NullPointerException.class, () -> AsyncFiles.lines(dir, null));
    }

    /** Threads blocked reading or writing a file (or a FIFO). */
    private static List<String> blockedOnFiles() {
        return threadsIn("sun.nio.ch.FileDispatcherImpl", "sun.nio.ch.FileChannelImpl");
    }

    private Path fifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        return fifo;
    }

    /** A file that cannot be written, even by root: a read-only sysfs attribute then. */
    private Path notWritable() throws IOException {
        Path file = Files.createFile(dir.resolve("read-only.txt"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        if (!Files.isWritable(file)) return file;
        return Path.of("/sys/kernel/uevent_seqnum");
    }

    private static Task<?> tick(AtomicInteger ticks) {
        return Async.launch(
                () -> {
                    while (true) {
                        Async.sleep(Duration.ofMillis(10)).await();
                        ticks.incrementAndGet();
                    }
                });
    }

    /**
     * Writes a byte into a FIFO every few milliseconds, from a thread of its own, until nobody
     * reads.
     */
    static final class Trickle implements AutoCloseable {
        private final AtomicInteger written = new AtomicInteger();
        private final CompletableFuture<Void> readerGone = new CompletableFuture<>();
        private volatile boolean stop;

        static Trickle into(Path fifo) {
            Trickle trickle = new Trickle();
            Thread writer =
                    new Thread(
                            () -> {
                                try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                                    while (!trickle.stop) {
                                        out.write('x');
                                        out.flush();
                                        trickle.written.incrementAndGet();
                                        Thread.sleep(5);
                                    }
                                } catch (IOException brokenPipe) {
                                    trickle.readerGone.complete(null);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "trickle");
            writer.setDaemon(true);
            writer.start();
            return trickle;
        }

        int written() {
            return written.get();
        }

        /** Waits until a write fails because the reading end was closed. */
        void awaitReaderGone() throws Exception {
            readerGone.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            stop = true;
        }
    }

    /** Reads a FIFO slowly, from a thread of its own, until its writer closes it. */
    static final class Drain implements AutoCloseable {
        private final AtomicLong read = new AtomicLong();
        private final CompletableFuture<Long> end = new CompletableFuture<>();

        static Drain from(Path fifo) {
            Drain drain = new Drain();
            Thread reader =
                    new Thread(
                            () -> {
                                byte[] buffer = new byte[64 << 10];
                                try (InputStream in = new FileInputStream(fifo.toFile())) {
                                    int count;
                                    while ((count = in.read(buffer)) >= 0) {
                                        drain.read.addAndGet(count);
                                        Thread.sleep(10);
                                    }
                                    drain.end.complete(drain.read.get());
                                } catch (Exception e) {
                                    drain.end.completeExceptionally(e);
                                }
                            },
                            "drain");
            reader.setDaemon(true);
            reader.start();
            return drain;
        }

        long read() {
            return read.get();
        }

        /** Waits for the end of input (the writer closed the FIFO); the bytes read. */
        long awaitEnd() throws Exception {
            return end.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {}
    }
}
