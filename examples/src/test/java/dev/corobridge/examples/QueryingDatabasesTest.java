package dev.corobridge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corobridge.testing.Postgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class QueryingDatabasesTest {
    static final List<String> OUTPUT =
            List.of(
                    "10 users: user 1 .. user 10",
                    "moved 30 from account 1 to account 2",
                    "rolled back: account 1 cannot pay 500",
                    "balances: [70, 30]",
                    "the slow query was cancelled; its connection is back in the pool",
                    "still [70, 30] after it");

    @Test
    @Timeout(60)
    void queriesConcurrentlyTransfersAndCancelsTheSlowQueryOnH2() throws Exception {
        var captured = Console.capture(QueryingDatabases::main);
        assertEquals(OUTPUT, captured.out());
        assertTimings(captured.err());
    }

    @Test
    @Timeout(120)
    void doesTheSameOnPostgres() throws Exception {
        try (var postgres = Postgres.startOrSkip()) {
            String url = postgres.jdbcUrl() + "?user=" + Postgres.USER;
            var captured = Console.capture(() -> Examples.run("QueryingDatabases", url));
            assertEquals(0, captured.value());
            assertEquals(OUTPUT, captured.out());
            assertTimings(captured.err());
        }
    }

    private static void assertTimings(List<String> err) {
        assertEquals(2, err.size(), err.toString());
        assertTrue(err.get(0).matches("10 queries in \\d+ ms"), err.get(0));
        assertTrue(err.get(1).matches("cancelled after \\d+ ms"), err.get(1));
    }
}
