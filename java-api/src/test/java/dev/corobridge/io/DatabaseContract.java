package dev.corobridge.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.stream.AsyncStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link Database} does on every engine, behind a HikariCP pool of {@value #POOL} connections:
 * each engine's test gives the pool's settings and its SQL for a pause, a range of numbers and a
 * statement that runs until cancelled.
 */
@Timeout(60)
abstract class DatabaseContract {
    static final int POOL = 3;

    HikariDataSource pool;
    Database db;

    /** The pool's URL and user. */
    abstract void configure(HikariConfig config);

    /** Makes {@code PAUSE(ms)}, a boolean function that sleeps; drops what an earlier test left. */
    abstract void createPause(Statement statement) throws SQLException;

    /** A FROM item of the numbers 1 to {@code upTo} (SQL), in a column {@code X}. */
    abstract String range(String upTo);

    /** A query of one row and column that runs for minutes unless cancelled. */
    abstract String endless();

    /** Starts counting the {@code PAUSE} calls running at once. */
    abstract PauseCount countPauses() throws Exception;

    /** The most {@code PAUSE} calls seen running at once since it started; ends the count. */
    @FunctionalInterface
    interface PauseCount {
        int most() throws Exception;
    }

    /** What {@link #sampling} samples: a count read through {@code watcher}. */
    @FunctionalInterface
    interface Sample {
        int read(Connection watcher) throws SQLException;
    }

    /**
     * Samples {@code sample} every few milliseconds on a thread of its own, over {@code watcher} (a
     * connection from outside the pool, closed at the end), keeping the most seen.
     */
    static PauseCount sampling(Connection watcher, Sample sample) {
        var most = new AtomicInteger();
        var stop = new AtomicBoolean();
        Thread sampler =
                new Thread(
                        () -> {
                            try (watcher) {
                                while (!stop.get()) {
                                    most.accumulateAndGet(sample.read(watcher), Math::max);
                                    Thread.sleep(3);
                                }
                            } catch (Exception e) {
                                most.set(-1); // seen as a wrong count by the test
                            }
                        },
                        "database sampler");
        sampler.setDaemon(true);
        sampler.start();
        return () -> {
            stop.set(true);
            sampler.join();
            return most.get();
        };
    }

    @BeforeEach
    void openPool() throws Exception {
        var config = new HikariConfig();
        configure(config);
        config.setMaximumPoolSize(POOL);
        config.setConnectionTimeout(2_000); // a fan-out past the pool would fail here
        pool = new HikariDataSource(config);
        db = Database.builder(pool).limit(POOL).build();
        try (var connection = pool.getConnection();
                var statement = connection.createStatement()) {
            createPause(statement);
            statement.execute("DROP TABLE IF EXISTS users");
            statement.execute(
                    "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, age INT)");
            statement.execute(
                    "INSERT INTO users VALUES (1, 'Ada', 36), (2, 'Grace', 85), (3, 'Alan', 41)");
        }
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void queriesUpdatesAndBatchesRunWithBoundParameters() throws Exception {
        Async.run(
                () -> {
                    assertEquals(
                            List.of("Alan", "Grace"),
                            db.query(
                                            "SELECT name FROM users WHERE age > ? ORDER BY name",
                                            row -> row.getString(1),
                                            40)
                                    .await());
                    assertEquals(
                            Optional.of("Ada"),
                            db.queryOne(
                                            "SELECT name FROM users WHERE id = ?",
                                            row -> row.getString("name"),
                                            1)
                                    .await());
                    assertEquals(
                            Optional.empty(),
                            db.queryOne("SELECT name FROM users WHERE id = ?", r -> "?", 9)
                                    .await());
                    // A parameter is a value, never SQL.
                    String hostile = "x' OR '1'='1";
                    assertEquals(
                            List.of(),
                            db.query("SELECT id FROM users WHERE name = ?", r -> 1, hostile)
                                    .await());
                    assertEquals(
                            1,
                            db.update("UPDATE users SET name = ? WHERE id = ?", "Ada L.", 1)
                                    .await());
                    // null binds SQL NULL.
                    assertEquals(
                            1, db.update("UPDATE users SET age = ? WHERE id = ?", null, 3).await());
                    assertEquals(
                            Optional.of(true),
                            db.queryOne(
                                            "SELECT age IS NULL FROM users WHERE id = 3",
                                            r -> r.getBoolean(1))
                                    .await());
                    int[] inserted =
                            db.batch(
                                            "INSERT INTO users VALUES (?, ?, ?)",
                                            List.of(
                                                    List.of(4, "Edsger", 72),
                                                    List.of(5, "Barbara", 83)))
                                    .await();
                    assertEquals(List.of(1, 1), List.of(inserted[0], inserted[1]));
                    assertEquals(
                            Optional.of(5),
                            db.queryOne("SELECT COUNT(*) FROM users", row -> row.getInt(1))
                                    .await());
                    return null;
                });
        assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
    }

    @Test
    void failuresComeFromTheAwaitAndLeaveTheConnectionsFree() throws Exception {
        Async.run(
                () -> {
                    var badSql =
                            assertThrows(
                                    SQLException.class,
                                    () -> db.query("SELECT nope FROM users", r -> 1).await());
                    assertTrue(
                            badSql.getMessage().toLowerCase(Locale.ROOT).contains("nope"),
                            badSql.getMessage());
                    var two =
                            assertThrows(
                                    IllegalStateException.class,
                                    () -> db.queryOne("SELECT id FROM users", r -> 1).await());
                    assertTrue(two.getMessage().contains("at most one row"), two.getMessage());
                    var mapper =
                            assertThrows(
                                    SQLException.class,
                                    () ->
                                            db.query("SELECT id FROM users", r -> r.getString(7))
                                                    .await());
                    assertTrue(mapper.getMessage().contains("7"), mapper.getMessage());
                    return null;
                });
        assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
        assertThrows(IllegalArgumentException.class, () -> db.update(" "));
        assertThrows(IllegalArgumentException.class, () -> Database.builder(pool).limit(0));
    }

    @Test
    void aFanOutPastThePoolWaitsInsteadOfExhaustingIt() throws Exception {
        int queries = 12;
        PauseCount inside = countPauses();
        List<Integer> ids =
                Async.run(
                        () -> {
                            List<Task<Optional<Integer>>> all = new ArrayList<>();
                            for (int i = 0; i < queries; i++) {
                                all.add(
                                        db.queryOne(
                                                "SELECT id FROM users WHERE id = ? AND PAUSE(100)",
                                                row -> row.getInt(1),
                                                1 + i % 3));
                            }
                            List<Integer> found = new ArrayList<>();
                            for (Optional<Integer> id : Async.gather(all).await()) {
                                found.add(id.orElseThrow());
                            }
                            return found;
                        });
        assertEquals(queries, ids.size());
        assertEquals(POOL, inside.most(), "queries inside the database at once");
    }

    @Test
    void theLoopGoesOnWhileAStatementBlocks() throws Exception {
        Async.run(
                () -> {
                    var ticks = new AtomicInteger();
                    Task<?> ticker =
                            Async.launch(
                                    () -> {
                                        while (true) {
                                            Async.sleep(Duration.ofMillis(10)).await();
                                            ticks.incrementAndGet();
                                        }
                                    });
                    Thread body = Thread.currentThread();
                    List<Thread> mappedIn =
                            db.query(
                                            "SELECT id FROM users WHERE id = 1 AND PAUSE(500)",
                                            row -> Thread.currentThread())
                                    .await();
                    ticker.cancel(true);
                    assertNotSame(body, mappedIn.get(0), "the statement ran in the body's thread");
                    assertTrue(ticks.get() >= 10, "the loop stalled: " + ticks.get() + " ticks");
                    return null;
                });
    }

    @Test
    void cancellingAStatementCancelsItInTheDriver() throws Exception {
        String endless = endless();
        Async.run(
                () -> {
                    Task<List<Long>> sum = db.query(endless, row -> row.getLong(1));
                    Async.sleep(Duration.ofMillis(300)).await();
                    long start = System.nanoTime();
                    sum.cancel(true);
                    assertThrows(CancellationException.class, sum::await);
                    Duration stopped = Duration.ofNanos(System.nanoTime() - start);
                    assertTrue(
                            stopped.compareTo(Duration.ofSeconds(10)) < 0,
                            "the statement ran on for " + stopped);
                    // The connection went back to the pool, healthy.
                    assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
                    assertEquals(
                            Optional.of(3),
                            db.queryOne("SELECT COUNT(*) FROM users", row -> row.getInt(1))
                                    .await());

                    // A timeout cancels the same way.
                    assertThrows(
                            TimeoutException.class,
                            () ->
                                    Async.timeout(
                                                    Duration.ofMillis(200),
                                                    () ->
                                                            db.query(endless, row -> row.getLong(1))
                                                                    .await())
                                            .await());
                    assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
                    return null;
                });
    }

    @Test
    void aTransactionCommitsOnReturnAndRollsBackOnFailureOrCancellation() throws Exception {
        Async.run(
                () -> {
                    int moved =
                            db.transaction(
                                            tx -> {
                                                tx.update(
                                                                "UPDATE users SET age = age + 1 WHERE id = ?",
                                                                1)
                                                        .await();
                                                return tx.update(
                                                                "UPDATE users SET age = age - 1 WHERE id = ?",
                                                                2)
                                                        .await();
                                            })
                                    .await();
                    assertEquals(1, moved);
                    assertEquals(List.of(37, 84), ages());

                    var failed =
                            assertThrows(
                                    IllegalStateException.class,
                                    () ->
                                            db.transaction(
                                                            tx -> {
                                                                tx.update(
                                                                                "UPDATE users SET age = 0")
                                                                        .await();
                                                                throw new IllegalStateException(
                                                                        "changed my mind");
                                                            })
                                                    .await());
                    assertEquals("changed my mind", failed.getMessage());
                    assertEquals(List.of(37, 84), ages());

                    Task<Object> slow =
                            db.transaction(
                                    tx -> {
                                        tx.update("UPDATE users SET age = 0").await();
                                        Async.sleep(Duration.ofSeconds(30)).await();
                                        return "never";
                                    });
                    Async.sleep(Duration.ofMillis(200)).await();
                    slow.cancel(true);
                    assertThrows(CancellationException.class, slow::await);
                    assertEquals(List.of(37, 84), ages());
                    assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
                    return null;
                });
    }

    @Test
    void aNestedTransactionIsASavepoint() throws Exception {
        Async.run(
                () -> {
                    db.transaction(
                                    tx -> {
                                        tx.update("UPDATE users SET age = 1 WHERE id = 1").await();
                                        assertThrows(
                                                IllegalStateException.class,
                                                () ->
                                                        tx.nested(
                                                                        inner -> {
                                                                            inner.update(
                                                                                            "UPDATE users SET age = 2 WHERE id = 2")
                                                                                    .await();
                                                                            throw new IllegalStateException(
                                                                                    "undo the inner part");
                                                                        })
                                                                .await());
                                        tx.nested(
                                                        inner ->
                                                                inner.update(
                                                                                "UPDATE users SET age = 3 WHERE id = 3")
                                                                        .await())
                                                .await();
                                        return null;
                                    })
                            .await();
                    assertEquals(List.of(1, 85, 3), allAges());
                    return null;
                });
    }

    @Test
    void aTransactionIsUsableOnlyInsideItsBody() throws Exception {
        Async.run(
                () -> {
                    Transaction escaped = db.transaction(tx -> tx).await();
                    var e =
                            assertThrows(
                                    IllegalStateException.class,
                                    () -> escaped.update("UPDATE users SET age = 0"));
                    assertTrue(e.getMessage().contains("has ended"), e.getMessage());
                    return null;
                });
        assertEquals(0, pool.getHikariPoolMXBean().getActiveConnections());
    }

    @Test
    void aStreamHoldsAConnectionOnlyWhileItsLoopRuns() throws Exception {
        Database fetching = Database.builder(pool).limit(POOL).fetchSize(100).build();
        AsyncStream<Long> numbers =
                fetching.stream(
                        "SELECT X FROM " + range("?") + " ORDER BY X",
                        row -> row.getLong(1),
                        2_500);
        Async.run(
                () -> {
                    assertEquals(0, active(), "a connection taken before the first hasNext");
                    long sum = 0;
                    int seen = 0;
                    for (long n : numbers) {
                        if (seen++ % 500 == 0) assertEquals(1, active(), "while streaming");
                        sum += n;
                    }
                    assertEquals(2_500, seen);
                    assertEquals(2_500L * 2_501 / 2, sum);
                    assertEquals(0, active(), "after the rows ended");

                    // Stopping early gives the connection back; each iteration runs the query
                    // again.
                    try (var rows = numbers.iterator()) {
                        assertTrue(rows.hasNext());
                        assertEquals(1L, rows.next());
                    }
                    assertEquals(0, active(), "after stopping early");
                    assertEquals(List.of(1L, 2L, 3L), numbers.take(3).toList().await());
                    return null;
                });
        assertEquals(0, active());
    }

    @Test
    void aStreamsFailureReachesItsLoopAndFreesTheConnection() throws Exception {
        Async.run(
                () -> {
                    AsyncStream<Long> failing =
                            db.stream(
                                    "SELECT X FROM " + range("3000") + " ORDER BY X",
                                    row -> {
                                        long n = row.getLong(1);
                                        if (n == 1_500)
                                            throw new SQLException("row " + n + " is bad");
                                        return n;
                                    });
                    var seen = new AtomicInteger();
                    var e =
                            assertThrows(
                                    SQLException.class,
                                    () -> {
                                        for (long n : failing) seen.incrementAndGet();
                                    });
                    assertEquals("row 1500 is bad", e.getMessage());
                    assertEquals(1_000, seen.get(), "the first fetch of 1,000 rows");
                    assertEquals(0, active());
                    assertThrows(
                            SQLException.class,
                            () -> db.stream("SELECT nope", r -> 1).toList().await());
                    // The connection went back with auto-commit restored.
                    db.update("UPDATE users SET age = 1 WHERE id = 1").await();
                    assertEquals(List.of(1, 85), ages());
                    return null;
                });
        assertEquals(0, active());
        assertThrows(IllegalArgumentException.class, () -> db.stream(" ", r -> 1));
    }

    @Test
    void cancellingAStreamCancelsItsStatement() throws Exception {
        String endless = endless();
        Async.run(
                () -> {
                    long start = System.nanoTime();
                    assertThrows(
                            TimeoutException.class,
                            () ->
                                    Async.timeout(
                                                    Duration.ofMillis(300),
                                                    () ->
                                                            db.stream(endless, r -> 1)
                                                                    .toList()
                                                                    .await())
                                            .await());
                    Duration stopped = Duration.ofNanos(System.nanoTime() - start);
                    assertTrue(
                            stopped.compareTo(Duration.ofSeconds(10)) < 0,
                            "the statement ran on for " + stopped);
                    assertEquals(0, active());
                    return null;
                });
    }

    /** The ages of users 1 and 2, read outside any transaction. */
    List<Integer> ages() throws Exception {
        return db.query("SELECT age FROM users WHERE id IN (1, 2) ORDER BY id", r -> r.getInt(1))
                .await();
    }

    int active() {
        return pool.getHikariPoolMXBean().getActiveConnections();
    }

    private List<Integer> allAges() throws Exception {
        return db.query("SELECT age FROM users ORDER BY id", r -> r.getInt(1)).await();
    }
}
