package dev.corobridge.io;

import static dev.corobridge.io.Leaks.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariConfig;
import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.testing.MariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Database} against a private MariaDB server on loopback, through the MariaDB JDBC driver
 * (see {@link MariaDb}; skipped without one, unless {@value MariaDb#REQUIRED} is set): the guide's
 * aiomysql. Cancellation is checked in the server's process list.
 */
public class MariaDbDatabaseTest extends DatabaseContract {
    private static MariaDb mariadb;

    @BeforeAll
    static void startServer() throws Exception {
        mariadb = MariaDb.startOrSkip();
        try (Connection connection = DriverManager.getConnection(mariadb.jdbcUrl(""));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE corobridge");
        }
    }

    @AfterAll
    static void stopServer() {
        if (mariadb != null) mariadb.close();
    }

    @Override
    void configure(HikariConfig config) {
        config.setJdbcUrl(mariadb.jdbcUrl("corobridge"));
    }

    @Override
    void createPause(Statement statement) throws SQLException {
        statement.execute("DROP FUNCTION IF EXISTS PAUSE");
        statement.execute(
                "CREATE FUNCTION PAUSE(ms INT) RETURNS BOOLEAN NOT DETERMINISTIC NO SQL"
                        + " BEGIN DO SLEEP(ms / 1000); RETURN TRUE; END");
    }

    @Override
    String range(String upTo) {
        return "(WITH RECURSIVE numbers(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM numbers"
                + " WHERE x < "
                + upTo
                + ") SELECT x FROM numbers) AS n";
    }

    @Override
    String endless() {
        return "SELECT SLEEP(600)";
    }

    /** Samples the server's process list every few milliseconds, from outside the pool. */
    @Override
    PauseCount countPauses() throws Exception {
        return sampling(monitor(), MariaDbDatabaseTest::sleeping);
    }

    @Test
    void aCancelledStatementStopsInTheServer() throws Exception {
        String sleeper = "SELECT SLEEP(600) AS sleeper";
        try (Connection monitor = monitor()) {
            Async.run(
                    () -> {
                        Task<List<Integer>> slow = db.query(sleeper, row -> row.getInt(1));
                        while (count(monitor, "%sleeper%") == 0) {
                            Async.sleep(Duration.ofMillis(20)).await();
                        }
                        slow.cancel(true);
                        assertThrows(CancellationException.class, slow::await);
                        assertEquals(0, active());
                        assertEquals(List.of(36, 85), ages());
                        return null;
                    });
            // The server lists a killed statement until its thread has cleaned up, a moment
            // after the client has its answer; uncancelled, it would stay for ten minutes.
            eventually(
                    () -> count(monitor, "%sleeper%") == 0,
                    () -> "the cancelled statement is still running in the server");
        }
    }

    private static Connection monitor() throws SQLException {
        return DriverManager.getConnection(mariadb.jdbcUrl("corobridge"));
    }

    /** Sessions inside {@code SLEEP} now (as {@code PAUSE} is). */
    private static int sleeping(Connection monitor) throws SQLException {
        try (var statement = monitor.createStatement();
                var rows =
                        statement.executeQuery(
                                "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                                        + " WHERE STATE = 'User sleep'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Statements of other sessions running now whose text is like {@code pattern}. */
    private static int count(Connection monitor, String pattern) throws SQLException {
        try (var statement =
                monitor.prepareStatement(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ?"
                                + " AND COMMAND = 'Query' AND ID <> CONNECTION_ID()")) {
            statement.setString(1, pattern);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
