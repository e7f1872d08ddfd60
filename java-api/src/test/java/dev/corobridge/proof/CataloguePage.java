package dev.corobridge.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A page of docs/ that a test writes from what it finds: with {@code -Dcorobridge.docs.update=true}
 * the page is rewritten, else it must already say exactly that.
 */
final class CataloguePage {
    private CataloguePage() {}

    static void check(String page, String found) throws IOException {
        Path path = Path.of("..", "docs", page);
        if (Boolean.getBoolean("corobridge.docs.update"))
            Files.writeString(path, found, StandardCharsets.UTF_8);
        assertTrue(Files.exists(path), "no page at " + path.toAbsolutePath());
        assertEquals(
                Files.readString(path, StandardCharsets.UTF_8),
                found,
                "docs/"
                        + page
                        + " differs from what the test finds: rerun it with"
                        + " -Dcorobridge.docs.update=true and review the diff");
    }
}
