package dev.corobridge.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * The database rows of the side-by-side harness ({@link DbSideBySide}): {@code queries} point
 * queries {@code SELECT age FROM users WHERE id = ?} over a pool of {@code pool} connections, each
 * contender returning the sum of the ages (so no row goes unread).
 */
public final class DbWorkloads {
    private DbWorkloads() {}

    static final String POINT_QUERY = "SELECT age FROM users WHERE id = ?";

    /** Rows of the table: ids 1 to this, each one's age {@code id % 100}. */
    static final int ROWS = 10_000;

    /** Who runs the queries. */
    public enum Contender {
        COROBRIDGE("corobridge (db.queryOne tasks, gather)"),
        COROBRIDGE_BODIES("corobridge (a Java body per query)"),
        PLATFORM_POOL("JDBC on a fixed pool of platform threads"),
        VIRTUAL_THREADS("JDBC on virtual threads + Semaphore"),
        ASYNCPG("asyncpg pool");

        final String label;

        Contender(String label) {
            this.label = label;
        }
    }

    /** The sum of ages that {@code queries} point queries read. */
    static long expectedSum(int queries) {
        long sum = 0;
        for (int i = 0; i < queries; i++) sum += idOf(i) % 100;
        return sum;
    }

    private static int idOf(int query) {
        return 1 + query % ROWS;
    }

    /** The pool every JVM contender uses: HikariCP with {@code size} connections, all opened. */
    static HikariDataSource pool(String url, String user, int size) {
        var config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    /** Makes the table the queries read; run once, before the contenders. */
    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS users");
            statement.execute("CREATE TABLE users (id INT PRIMARY KEY, age INT NOT NULL)");
            statement.execute(
                    "INSERT INTO users SELECT n, n % 100 FROM generate_series(1, " + ROWS + ") n");
            statement.execute("ANALYZE users");
        }
    }

    static long run(Contender contender, DataSource pool, int size, int queries) throws Exception {
        return switch (contender) {
            case COROBRIDGE -> corobridgeTasks(pool, size, queries);
            case COROBRIDGE_BODIES -> corobridgeBodies(pool, size, queries);
            case PLATFORM_POOL -> platformPool(pool, size, queries);
            case VIRTUAL_THREADS -> virtualThreads(pool, size, queries);
            case ASYNCPG -> throw new IllegalArgumentException("asyncpg runs in python3");
        };
    }

    /** What users write: a {@code queryOne} task per id, gathered. */
    static long corobridgeTasks(DataSource pool, int size, int queries) throws Exception {
        Database db = Database.builder(pool).limit(size).build();
        return Async.run(
                () -> {
                    List<Task<Optional<Integer>>> all = new ArrayList<>(queries);
                    for (int i = 0; i < queries; i++) {
                        all.add(db.queryOne(POINT_QUERY, row -> row.getInt(1), idOf(i)));
                    }
                    long sum = 0;
                    for (Optional<Integer> age : Async.gather(all).await())
                        sum += age.orElseThrow();
                    return sum;
                });
    }

    /** A Java body per query that awaits it, as a body that does more than one query would. */
    static long corobridgeBodies(DataSource pool, int size, int queries) throws Exception {
        Database db = Database.builder(pool).limit(size).build();
        return Async.run(
                () -> {
                    List<Task<Integer>> all = new ArrayList<>(queries);
                    for (int i = 0; i < queries; i++) {
                        int id = idOf(i);
                        all.add(
                                Async.launch(
                                        () ->
                                                db.queryOne(POINT_QUERY, row -> row.getInt(1), id)
                                                        .await()
                                                        .orElseThrow()));
                    }
                    long sum = 0;
                    for (int age : Async.gather(all).await()) sum += age;
                    return sum;
                });
    }

    /**
     * The classic: the same JDBC call submitted to a fixed pool of as many threads as connections.
     */
    static long platformPool(DataSource pool, int size, int queries) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(size);
        try {
            List<Future<Integer>> all = new ArrayList<>(queries);
            for (int i = 0; i < queries; i++) {
                int id = idOf(i);
                all.add(threads.submit(() -> pointQuery(pool, id)));
            }
            long sum = 0;
            for (Future<Integer> age : all) sum += age.get();
            return sum;
        } finally {
            threads.shutdown();
        }
    }

    /** A virtual thread per query, at most {@code size} inside the pool at once. */
    static long virtualThreads(DataSource pool, int size, int queries) throws Exception {
        return VirtualThreads.sumBounded(queries, size, i -> pointQuery(pool, idOf(i)));
    }

    private static int pointQuery(DataSource pool, int id) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(POINT_QUERY)) {
            statement.setInt(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
