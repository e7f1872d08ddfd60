package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FileIoTest {
    static final List<String> OUTPUT =
            List.of(
                    "-- write, append, read",
                    "read 23 chars: [first line, second line]",
                    "-- an open file: write, seek, read",
                    "first word: corobridge",
                    "size: 17 bytes",
                    "-- a large file, line by line",
                    "300000 lines, total 45000150000",
                    "-- 10 files read at once",
                    "read 10 files, 55 lines in all");

    @Test
    @Timeout(30)
    void readsWritesAndStreamsFiles() throws Exception {
        assertEquals(OUTPUT, Console.capture(FileIo::main).out());
    }
}
