package dev.corobridge.io;

import dev.corobridge.AsyncCloseable;
import dev.corobridge.Task;
import dev.corobridge.core.LineSource;
import dev.corobridge.stream.AsyncStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * An open file whose reads and writes are tasks: the file object of {@code async with
 * aiofiles.open(path) as f}. Made by {@link AsyncFiles#open(Path, java.nio.file.OpenOption...)};
 * closed by try-with-resources inside a task, which awaits {@link #closeAsync()}, cancelled or not.
 *
 * <p>Reads and writes go on from the file's position, on the I/O threads. <b>A cancelled read or
 * write closes the file</b>: its thread is interrupted, and the JDK closes an interrupted file
 * channel once the chunk under way is done (see {@link AsyncFiles}); later calls fail with {@link
 * java.nio.channels.ClosedChannelException}.
 *
 * <pre>{@code
 * try (AsyncFile file = AsyncFiles.open(Path.of("data.txt")).await()) {
 *     byte[] header = file.read(16).await();
 *     String rest = file.readString().await();
 * }
 * }</pre>
 */
public final class AsyncFile implements AsyncCloseable<IOException> {
    private final Path path;
    private final FileChannel channel;

    AsyncFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** The path it was opened with. */
    public Path path() {
        return path;
    }

    /** Reads up to {@code max} bytes: fewer near the end, none at the end ({@code f.read(n)}). */
    public Task<byte[]> read(int max) {
        if (max < 0) throw new IllegalArgumentException("max must be >= 0, was " + max);
        return AsyncFiles.call(
                () -> {
                    byte[] bytes = new byte[max];
                    int length = 0;
                    // Short reads happen (a FIFO, a file being written): up to max or the end.
                    while (length < max) {
                        int chunk = Math.min(AsyncFiles.CHUNK, max - length);
                        int read = channel.read(ByteBuffer.wrap(bytes, length, chunk));
                        if (read < 0) break;
                        length += read;
                    }
                    return length == max ? bytes : Arrays.copyOf(bytes, length);
                });
    }

    /** Reads everything from the position to the end. */
    public Task<byte[]> readAllBytes() {
        return AsyncFiles.call(() -> AsyncFiles.readFully(channel, remaining()));
    }

    /** Reads everything from the position to the end as UTF-8 text: {@code await f.read()}. */
    public Task<String> readString() {
        return readString(StandardCharsets.UTF_8);
    }

    /** Reads everything from the position to the end as text in {@code charset}. */
    public Task<String> readString(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return AsyncFiles.call(
                () -> AsyncFiles.decode(AsyncFiles.readFully(channel, remaining()), charset));
    }

    /**
     * The lines from the position to the end, UTF-8, read in batches (see {@link
     * AsyncFiles#lines(Path)}); stopping early leaves the file open, its position past what was
     * read ahead.
     */
    public AsyncStream<String> lines() {
        return lines(StandardCharsets.UTF_8);
    }

    /** The lines from the position to the end in {@code charset}; see {@link #lines()}. */
    public AsyncStream<String> lines(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        return AsyncFiles.linesOf(
                () ->
                        LineSource.of(
                                new AsyncFiles.ChannelInput(channel, false),
                                charset,
                                true,
                                AsyncFiles.LINE_READ));
    }

    /** Writes {@code text} as UTF-8 at the position: {@code await f.write(text)}. */
    public Task<@Nullable Void> write(CharSequence text) {
        Objects.requireNonNull(text, "text");
        return write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} at the position. */
    public Task<@Nullable Void> write(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        byte[] copy = bytes.clone();
        return AsyncFiles.call(
                () -> {
                    AsyncFiles.writeFully(channel, copy);
                    return null;
                });
    }

    /** Forces what was written to the storage device (fsync). */
    public Task<@Nullable Void> sync() {
        return AsyncFiles.call(
                () -> {
                    channel.force(true);
                    return null;
                });
    }

    /** The file's size in bytes. */
    public Task<Long> size() {
        return AsyncFiles.call(channel::size);
    }

    /** The position the next read or write starts at ({@code f.tell()}). */
    public long position() throws IOException {
        return channel.position();
    }

    /** Moves the position to {@code position} bytes from the start ({@code f.seek(n)}). */
    public void seek(long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, was " + position);
        }
        channel.position(position);
    }

    /** Whether the file is still open (a cancelled read or write closes it). */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the file, at once: closing a file channel does not wait for the disk, and a task
     * closing its files while it is cancelled could not start another task to do it.
     */
    @Override
    public CompletionStage<?> closeAsync() {
        try {
            channel.close();
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        return "AsyncFile[" + path + (channel.isOpen() ? "" : ", closed") + "]";
    }

    /** The bytes from the position to the end, as far as is known now (0 for a FIFO). */
    private long remaining() {
        try {
            return Math.max(0, channel.size() - channel.position());
        } catch (IOException noPosition) {
            return 0; // a FIFO: read until it ends
        }
    }
}
