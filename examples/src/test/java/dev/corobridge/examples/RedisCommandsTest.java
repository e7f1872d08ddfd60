package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RedisCommandsTest {
    /** Set (to anything) where redis-server must be there: a missing one fails, as in .ci/run. */
    static final String REQUIRED = "COROBRIDGE_REQUIRE_REDIS";

    static final List<String> OUTPUT =
            List.of(
                    "greeting: hello",
                    "visits: 100 after 100 INCRs",
                    "pipelined 10 SETs, then MGET: [0, 5, 9]",
                    "BLPOP cancelled by its timeout",
                    "GET greeting after it: hello",
                    "jobs left: 0 (the cancelled BLPOP took one)",
                    "news: headline 1",
                    "news: headline 2",
                    "news: headline 3");

    /** What the example prints here: the commands' output, or why it was skipped. */
    static List<String> output() {
        if (LocalRedis.executable() != null) return OUTPUT;
        return List.of(
                "skipped: no redis-server on this machine (Debian: apt-get install redis-server);"
                        + " or give a redis:// URI");
    }

    @Test
    @Timeout(60)
    void runsCommandsAPipelineACancelledCommandAndPubSub() throws Exception {
        requireRedis();
        var captured = Console.capture(RedisCommands::main);
        assertEquals(OUTPUT, captured.out());
        assertEquals(List.of(), captured.err());
        assertEquals(List.of(), lettuceThreads(), "threads left by the client");
    }

    @Test
    @Timeout(60)
    void aCancelledCommandNeverAnswersTheNextOne() throws Exception {
        requireRedis();
        try (var server = LocalRedis.start()) {
            for (int round = 0; round < 20; round++) {
                var captured =
                        Console.capture(
                                () -> {
                                    RedisCommands.run(server.uri());
                                    return null;
                                });
                assertEquals(OUTPUT, captured.out(), "round " + round);
            }
        }
    }

    /** Skips the test without redis-server, unless {@value #REQUIRED} is set: then it fails. */
    private static void requireRedis() {
        if (LocalRedis.executable() != null) return;
        String why = "no redis-server on this machine (Debian: apt-get install redis-server)";
        if (System.getenv(REQUIRED) != null) fail(why + "; " + REQUIRED + " is set");
        Assumptions.abort(why);
    }

    private static List<String> lettuceThreads() throws InterruptedException {
        List<String> alive = List.of();
        for (int attempt = 0; attempt < 100; attempt++) {
            alive =
                    Thread.getAllStackTraces().keySet().stream()
                            .map(Thread::getName)
                            .filter(name -> name.startsWith("lettuce-"))
                            .toList();
            if (alive.isEmpty()) break;
            Thread.sleep(50);
        }
        return alive;
    }
}
