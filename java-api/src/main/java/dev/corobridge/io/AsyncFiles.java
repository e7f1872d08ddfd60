package dev.corobridge.io;

import dev.corobridge.Task;
import dev.corobridge.core.FileCalls;
import dev.corobridge.core.LineSource;
import dev.corobridge.stream.AsyncStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Files as tasks: the guide's aiofiles. {@link java.nio.file.Files} blocks, so every call here runs
 * on the I/O threads, never on a loop: the loop goes on with other tasks while the disk works. Text
 * is UTF-8 unless a charset is given.
 *
 * <p><b>Cancellation.</b> Cancelling a call's task (directly, by {@code Async.timeout}, by a task
 * group) interrupts the thread doing it; the JDK's file channels close when interrupted, so a long
 * read or write stops after the chunk under way (at most {@value #CHUNK} bytes: the JDK cannot stop
 * a system call once made) and the file is closed. The task ends after that, cancelled. A FIFO or
 * device that never delivers keeps its read waiting until it does.
 *
 * <p><b>Failures</b> are the JDK's own: {@link java.nio.file.NoSuchFileException} for a missing
 * file, {@link java.nio.file.AccessDeniedException} when permission is denied, each naming the
 * path.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     // async with aiofiles.open("data.txt") as f: text = await f.read()
 *     String text = AsyncFiles.readString(Path.of("data.txt")).await();
 *     AsyncFiles.append(Path.of("log.txt"), "read " + text.length() + " chars\n").await();
 *     for (String line : AsyncFiles.lines(Path.of("big.csv"))) {   // async for line in f:
 *         parse(line);
 *     }
 *     return null;
 * });
 * }</pre>
 */
public final class AsyncFiles {
    /**
     * Lines read per hop to an I/O thread: enough that the hop's cost is shared by many lines, few
     * enough that a stream reads little ahead of its consumer.
     */
    static final int LINES_PER_READ = 16384;

    /**
     * Bytes read at a time for lines: large reads, as few system calls as a reader makes, in a
     * buffer whose lines each stream takes whole. (64 KiB streamed a 1 GiB file a fifth slower.)
     */
    static final int LINE_READ = 1 << 18;

    /** The most bytes read or written by one system call: a cancellation waits for one at most. */
    static final int CHUNK = 1 << 20;

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private AsyncFiles() {}

    /** Reads a whole file as UTF-8 text: {@code await f.read()}. */
    public static Task<String> readString(Path path) {
        return readString(path, StandardCharsets.UTF_8);
    }

    /** Reads a whole file as text in {@code charset}. */
    public static Task<String> readString(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return call(() -> decode(readFully(path), charset));
    }

    /** Reads a whole file's bytes. */
    public static Task<byte[]> readAllBytes(Path path) {
        Objects.requireNonNull(path, "path");
        return call(() -> readFully(path));
    }

    /**
     * Writes {@code text} as UTF-8 to a file, as {@link Files#writeString(Path, CharSequence,
     * OpenOption...)} does: by default creating it, or replacing what it held. The task's value is
     * the path.
     *
     * <pre>{@code
     * AsyncFiles.write(Path.of("out.txt"), "hello\n").await();
     * }</pre>
     */
    public static Task<Path> write(Path path, CharSequence text, OpenOption... options) {
        Objects.requireNonNull(text, "text");
        return write(path, text.toString().getBytes(StandardCharsets.UTF_8), options);
    }

    /** Writes {@code bytes} to a file, as {@link Files#write(Path, byte[], OpenOption...)} does. */
    public static Task<Path> write(Path path, byte[] bytes, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        Set<OpenOption> opening = new HashSet<>(List.of(checked(options)));
        if (opening.isEmpty()) {
            opening.add(StandardOpenOption.CREATE);
            opening.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        opening.add(StandardOpenOption.WRITE);
        return call(
                () -> {
                    try (FileChannel channel = FileChannel.open(path, opening)) {
                        writeFully(channel, bytes);
                    }
                    return path;
                });
    }

    /** Appends {@code text} as UTF-8 to a file, creating it if it does not exist. */
    public static Task<Path> append(Path path, CharSequence text) {
        Objects.requireNonNull(text, "text");
        return append(path, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code bytes} to a file, creating it if it does not exist. */
    public static Task<Path> append(Path path, byte[] bytes) {
        return write(path, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * A file's lines as a stream, UTF-8: {@code async for line in f}. Each iteration opens the file
     * afresh and reads it a batch of lines at a time, at most two batches ahead of the loop, so a
     * file of any size streams in little memory; the file is closed when the lines end, reading
     * fails, or the loop stops early or is cancelled. Lines end at {@code \n}, {@code \r\n} or
     * {@code \r}, as {@link BufferedReader#readLine()} has them.
     *
     * <pre>{@code
     * long errors = 0;
     * for (String line : AsyncFiles.lines(Path.of("app.log"))) {
     *     if (line.contains("ERROR")) errors++;
     * }
     * }</pre>
     */
    public static AsyncStream<String> lines(Path path) {
        return lines(path, StandardCharsets.UTF_8);
    }

    /** A file's lines in {@code charset}; see {@link #lines(Path)}. */
    public static AsyncStream<String> lines(Path path, Charset charset) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(charset, "charset");
        return linesOf(
                () -> {
                    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                    return LineSource.of(new ChannelInput(channel, true), charset, true, LINE_READ);
                });
    }

    /**
     * Opens a file for reads and writes as tasks: {@code async with aiofiles.open(path) as f}. With
     * no options it opens for reading; the options are {@link FileChannel#open(Path, Set,
     * java.nio.file.attribute.FileAttribute...)}'s. Close it with try-with-resources inside a task.
     *
     * <pre>{@code
     * try (AsyncFile file = AsyncFiles.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE).await()) {
     *     file.write("first line\n").await();
     * }
     * }</pre>
     */
    public static Task<AsyncFile> open(Path path, OpenOption... options) {
        Objects.requireNonNull(path, "path");
        OpenOption[] copied = checked(options);
        Set<OpenOption> opening =
                copied.length == 0 ? Set.of(StandardOpenOption.READ) : Set.of(copied);
        return call(() -> new AsyncFile(path, FileChannel.open(path, opening)));
    }

    static <T> Task<T> call(Callable<T> work) {
        return IoTasks.task(FileCalls.call(work));
    }

    /** The lines of the readers {@code open} gives, read and closed on the I/O threads. */
    static AsyncStream<String> linesOf(Callable<LineSource> open) {
        return AsyncStream.fromFlow(FileCalls.read(LINES_PER_READ, open, LineSource::next));
    }

    /** Text as {@link Files#readString(Path, Charset)} decodes it: malformed input is an error. */
    static String decode(byte[] bytes, Charset charset) throws CharacterCodingException {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /**
     * A file channel as an input stream whose every read is the channel's own, a {@value #CHUNK} at
     * most, so that an interrupt closes the channel and ends the read. (A read of a FIFO through
     * the JDK 17 {@code Channels.newInputStream} was seen to stay blocked after the interrupt.)
     */
    static final class ChannelInput extends InputStream {
        private final FileChannel channel;
        private final boolean closesChannel;

        ChannelInput(FileChannel channel, boolean closesChannel) {
            this.channel = channel;
            this.closesChannel = closesChannel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) return 0;
            return channel.read(ByteBuffer.wrap(bytes, offset, Math.min(length, CHUNK)));
        }

        @Override
        public void close() throws IOException {
            if (closesChannel) channel.close();
        }
    }

    private static byte[] readFully(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return readFully(channel, channel.size());
        }
    }

    /**
     * Reads {@code channel} from its position to its end, a {@value #CHUNK} at most per call;
     * {@code expected} is the size to start with (files may grow or shrink as they are read).
     */
    static byte[] readFully(FileChannel channel, long expected) throws IOException {
        byte[] bytes = new byte[(int) Math.min(Math.max(expected, 0), MAX_ARRAY)];
        int length = 0;
        while (true) {
            if (length == bytes.length) {
                // Full as expected: a small read tells the end from a file that grew.
                ByteBuffer probe = ByteBuffer.allocate(8192);
                int read = channel.read(probe);
                if (read < 0) return bytes;
                if (length > MAX_ARRAY - read) {
                    throw new OutOfMemoryError("the file is larger than an array can hold");
                }
                long grown = Math.max(Math.max(length * 2L, length + read), 8192);
                bytes = Arrays.copyOf(bytes, (int) Math.min(grown, MAX_ARRAY));
                System.arraycopy(probe.array(), 0, bytes, length, read);
                length += read;
                continue;
            }
            int chunk = Math.min(CHUNK, bytes.length - length);
            int read = channel.read(ByteBuffer.wrap(bytes, length, chunk));
            if (read < 0) break;
            length += read;
        }
        return Arrays.copyOf(bytes, length);
    }

    /**
     * Writes all of {@code bytes} at the channel's position, a {@value #CHUNK} at most per call.
     */
    static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        for (int offset = 0; offset < bytes.length; ) {
            offset +=
                    channel.write(
                            ByteBuffer.wrap(bytes, offset, Math.min(CHUNK, bytes.length - offset)));
        }
    }

    private static OpenOption[] checked(OpenOption[] options) {
        Objects.requireNonNull(options, "options");
        OpenOption[] copied = options.clone();
        for (int i = 0; i < copied.length; i++) {
            Objects.requireNonNull(copied[i], "options[" + i + "]");
        }
        return copied;
    }
}
