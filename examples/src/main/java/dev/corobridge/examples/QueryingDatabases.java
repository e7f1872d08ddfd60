package dev.corobridge.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Database I/O (guide section 7.2): ten queries at once over a pool of four connections, a transfer
 * in a transaction, a transfer that fails and rolls back, and a slow query cancelled by its
 * timeout, which cancels it in the database.
 *
 * <pre>
 * async def main():
 *     engine = create_async_engine(url, pool_size=4)
 *     async with AsyncSession(engine) as session:
 *         names = await asyncio.gather(*(name_of(session, id) for id in range(1, 11)))
 *         async with session.begin():                        # a transfer
 *             await session.execute(withdraw, {"id": 1, "amount": 30})
 *             await session.execute(deposit, {"id": 2, "amount": 30})
 *         try:
 *             async with asyncio.timeout(0.5):
 *                 await session.execute(slow_query)
 *         except TimeoutError:
 *             print("the slow query was cancelled")
 * </pre>
 *
 * <p>H2 in memory by default; a JDBC URL as its argument points it at another database, such as
 * PostgreSQL ({@code QueryingDatabases jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}).
 * It makes its own two tables there ({@code example_users}, {@code example_accounts}) and drops
 * them at the end. The timings go to the error stream.
 */
public final class QueryingDatabases {
    private QueryingDatabases() {}

    static final int POOL = 4;

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:h2:mem:example;DB_CLOSE_DELAY=-1";
        var config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(POOL);
        try (var pool = new HikariDataSource(config)) {
            Database db = Database.builder(pool).limit(POOL).build();
            boolean postgres = url.startsWith("jdbc:postgresql:");
            Async.run(
                    () -> {
                        createTables(db);
                        try {
                            queryConcurrently(db);
                            transfer(db, 1, 2, 30);
                            try {
                                transfer(db, 1, 2, 500);
                            } catch (IllegalStateException e) {
                                System.out.println("rolled back: " + e.getMessage());
                            }
                            System.out.println("balances: " + balances(db));
                            cancelSlowQuery(db, postgres);
                        } finally {
                            db.update("DROP TABLE example_users").await();
                            db.update("DROP TABLE example_accounts").await();
                        }
                        return null;
                    });
        }
    }

    static void createTables(Database db) throws Exception {
        db.update("CREATE TABLE example_users (id INT PRIMARY KEY, name VARCHAR(40))").await();
        List<List<Object>> users = new ArrayList<>();
        for (int id = 1; id <= 10; id++) users.add(List.of(id, "user " + id));
        db.batch("INSERT INTO example_users VALUES (?, ?)", users).await();
        db.update("CREATE TABLE example_accounts (id INT PRIMARY KEY, balance INT NOT NULL)")
                .await();
        db.batch(
                        "INSERT INTO example_accounts VALUES (?, ?)",
                        List.of(List.of(1, 100), List.of(2, 0)))
                .await();
    }

    /**
     * {@code asyncio.gather(*(name_of(session, id) for id in range(1, 11)))}: at most four at once.
     */
    static void queryConcurrently(Database db) throws Exception {
        long start = System.nanoTime();
        List<Task<Optional<String>>> names = new ArrayList<>();
        for (int id = 1; id <= 10; id++) {
            names.add(
                    db.queryOne(
                            "SELECT name FROM example_users WHERE id = ?",
                            row -> row.getString(1),
                            id));
        }
        List<String> found = new ArrayList<>();
        for (Optional<String> name : Async.gather(names).await()) found.add(name.orElse("?"));
        System.out.println(found.size() + " users: " + found.get(0) + " .. " + found.get(9));
        System.err.println("10 queries in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** {@code async with session.begin():} both updates, or neither. */
    static void transfer(Database db, int from, int to, int amount) throws Exception {
        db.transaction(
                        tx -> {
                            tx.update(
                                            "UPDATE example_accounts SET balance = balance - ? WHERE id = ?",
                                            amount,
                                            from)
                                    .await();
                            tx.update(
                                            "UPDATE example_accounts SET balance = balance + ? WHERE id = ?",
                                            amount,
                                            to)
                                    .await();
                            int left =
                                    tx.queryOne(
                                                    "SELECT balance FROM example_accounts WHERE id = ?",
                                                    row -> row.getInt(1),
                                                    from)
                                            .await()
                                            .orElseThrow();
                            if (left < 0) {
                                throw new IllegalStateException(
                                        "account " + from + " cannot pay " + amount);
                            }
                            return null;
                        })
                .await();
        System.out.println("moved " + amount + " from account " + from + " to account " + to);
    }

    static List<Integer> balances(Database db) throws Exception {
        return db.query("SELECT balance FROM example_accounts ORDER BY id", row -> row.getInt(1))
                .await();
    }

    /** {@code async with asyncio.timeout(0.5): await session.execute(slow_query)}. */
    static void cancelSlowQuery(Database db, boolean postgres) throws Exception {
        String slow =
                postgres
                        ? "SELECT 1 FROM pg_sleep(30)"
                        : "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000000000) WHERE MOD(X, 7) = 3";
        long start = System.nanoTime();
        try {
            Async.timeout(
                            Duration.ofMillis(500),
                            () -> db.query(slow, row -> row.getLong(1)).await())
                    .await();
            System.out.println("the slow query finished?");
        } catch (TimeoutException e) {
            System.out.println("the slow query was cancelled; its connection is back in the pool");
        }
        System.err.println("cancelled after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        System.out.println("still " + balances(db) + " after it");
    }
}
