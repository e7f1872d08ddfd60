package dev.corobridge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariConfig;
import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Database} against a private PostgreSQL server on loopback (see {@link Postgres}; skipped
 * without one, unless {@value Postgres#REQUIRED} is set). Cancellation is checked in the server's
 * own {@code pg_stat_activity}.
 */
public class PostgresDatabaseTest extends DatabaseContract {
    private static Postgres postgres;

    @BeforeAll
    static void startServer() throws Exception {
        postgres = Postgres.startOrSkip();
    }

    @AfterAll
    static void stopServer() {
        if (postgres != null) postgres.close();
    }

    @Override
    void configure(HikariConfig config) {
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(Postgres.USER);
    }

    @Override
    void createPause(Statement statement) throws SQLException {
        statement.execute(
                "CREATE OR REPLACE FUNCTION pause(ms int) RETURNS boolean LANGUAGE sql"
                        + " AS 'SELECT true FROM pg_sleep(ms / 1000.0)'");
    }

    @Override
    String range(String upTo) {
        return "generate_series(1, " + upTo + ") AS numbers(x)";
    }

    @Override
    String endless() {
        return "SELECT 1 FROM pg_sleep(600)";
    }

    /**
     * Samples the server's active {@code PAUSE} calls every few milliseconds, from outside the
     * pool.
     */
    @Override
    PauseCount countPauses() throws Exception {
        return sampling(monitor(), watcher -> count(watcher, "%PAUSE(%", "active"));
    }

    @Test
    void aCancelledStatementStopsInTheServerAndItsConnectionStaysUsable() throws Exception {
        String sleeper = "SELECT 1 FROM pg_sleep(600) WHERE 'sleeper' = 'sleeper'";
        try (Connection monitor = monitor()) {
            Async.run(
                    () -> {
                        Task<List<Integer>> slow = db.query(sleeper, row -> row.getInt(1));
                        while (count(monitor, "%'sleeper'%", "active") == 0) {
                            Async.sleep(Duration.ofMillis(20)).await();
                        }
                        slow.cancel(true);
                        assertThrows(CancellationException.class, slow::await);
                        // Cancelled in the server, the session kept: idle in the pool.
                        assertEquals(0, count(monitor, "%'sleeper'%", "active"));
                        assertEquals(1, count(monitor, "%'sleeper'%", "idle"));
                        assertEquals(0, active());

                        // A timeout on a stream cancels the same way.
                        assertThrows(
                                TimeoutException.class,
                                () ->
                                        Async.timeout(
                                                        Duration.ofMillis(300),
                                                        () ->
                                                                db.stream(sleeper, r -> 1)
                                                                        .toList()
                                                                        .await())
                                                .await());
                        assertEquals(0, count(monitor, "%'sleeper'%", "active"));
                        assertEquals(0, active());
                        for (int i = 0; i < POOL; i++) {
                            assertEquals(
                                    Optional.of(3),
                                    db.queryOne("SELECT COUNT(*) FROM users", r -> r.getInt(1))
                                            .await());
                        }
                        return null;
                    });
        }
    }

    private static Connection monitor() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), Postgres.USER, "");
    }

    /** Other sessions whose current or last query is like {@code pattern}, in {@code state}. */
    private static int count(Connection monitor, String pattern, String state) throws SQLException {
        try (var statement =
                monitor.prepareStatement(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE ? AND state = ?"
                                + " AND pid <> pg_backend_pid()")) {
            statement.setString(1, pattern);
            statement.setString(2, state);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
