package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.AsyncFile;
import dev.corobridge.io.AsyncFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Asynchronous file I/O (guide section 7.3): reading and writing files as tasks, an open file, a
 * large file streamed line by line, and ten files read at once. The disk works on the I/O threads;
 * the loop goes on with other tasks meanwhile.
 *
 * <pre>
 * async with aiofiles.open("data.txt") as f:
 *     text = await f.read()
 *
 * async with aiofiles.open("numbers.txt") as f:
 *     async for line in f:
 *         total += int(line)
 * </pre>
 *
 * <p>It works in a temporary directory of its own, deleted at the end.
 */
public final class FileIo {
    private FileIo() {}

    static final int LINES = 300_000;
    static final int FILES = 10;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("corobridge-files");
        try {
            Async.run(
                    () -> {
                        readAndWrite(dir.resolve("data.txt"));
                        openFile(dir.resolve("notes.txt"));
                        streamLines(dir.resolve("numbers.txt"));
                        readManyAtOnce(dir);
                        return null;
                    });
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    static void readAndWrite(Path data) throws Exception {
        System.out.println("-- write, append, read");
        AsyncFiles.write(data, "first line\n").await();
        AsyncFiles.append(data, "second line\n").await();
        String text = AsyncFiles.readString(data).await(); // text = await f.read()
        System.out.println("read " + text.length() + " chars: " + text.lines().toList());
    }

    static void openFile(Path notes) throws Exception {
        System.out.println("-- an open file: write, seek, read");
        try (AsyncFile file =
                AsyncFiles.open(
                                notes,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE)
                        .await()) {
            file.write("corobridge files\n").await();
            file.seek(0);
            System.out.println("first word: " + new String(file.read(10).await()));
            System.out.println("size: " + file.size().await() + " bytes");
        } // closed here, as async with closes it
    }

    static void streamLines(Path numbers) throws Exception {
        System.out.println("-- a large file, line by line");
        StringBuilder generated = new StringBuilder();
        for (int i = 1; i <= LINES; i++) generated.append(i).append('\n');
        AsyncFiles.write(numbers, generated).await();
        long count = 0;
        long total = 0;
        for (String line : AsyncFiles.lines(numbers)) { // async for line in f
            count++;
            total += Long.parseLong(line);
        }
        System.out.println(count + " lines, total " + total);
    }

    static void readManyAtOnce(Path dir) throws Exception {
        System.out.println("-- " + FILES + " files read at once");
        List<Task<String>> reads = new ArrayList<>();
        for (int i = 1; i <= FILES; i++) {
            Path file = dir.resolve("part-" + i + ".txt");
            AsyncFiles.write(file, "part " + i + "\n".repeat(i)).await();
            reads.add(AsyncFiles.readString(file));
        }
        List<String> parts = Async.gather(reads).await();
        int lines = 0;
        for (String part : parts) lines += (int) part.lines().count();
        System.out.println("read " + parts.size() + " files, " + lines + " lines in all");
    }
}
