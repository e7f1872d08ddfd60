package dev.corobridge.io;

import dev.corobridge.Task;
import dev.corobridge.core.ConnectionWork;
import dev.corobridge.core.JdbcCalls;
import dev.corobridge.stream.AsyncStream;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * SQL as tasks, over any JDBC {@link DataSource} (a connection pool such as HikariCP, or a driver's
 * own): the guide's {@code await session.execute(query)} with async SQLAlchemy or aiomysql. JDBC
 * blocks, so every statement runs on the database's own threads, never on a loop: the loop goes on
 * with other tasks meanwhile. Parameters are bound to {@code ?} placeholders, never concatenated
 * into the SQL.
 *
 * <p><b>Limit.</b> At most {@link Builder#limit(int) limit} statements or transactions hold a
 * connection at once (10 by default, HikariCP's default pool size); the rest wait in the order they
 * came. Give it your pool's size: a fan-out of 10,000 queries then waits its turn instead of timing
 * out at the pool.
 *
 * <p><b>Cancellation.</b> Cancelling a statement's task (directly, by {@code Async.timeout}, by a
 * task group) calls {@link java.sql.Statement#cancel()}; the task ends once the driver's call has
 * returned and the connection has gone back to the pool, so nothing outlives it. A driver that
 * cannot cancel lets the statement run out first.
 *
 * <p><b>Transactions</b> pin one connection: {@link #transaction(TransactionBody)} commits when its
 * body returns and rolls back when it throws or is cancelled; {@link
 * Transaction#nested(TransactionBody)} makes a savepoint.
 *
 * <pre>{@code
 * Database db = Database.builder(pool).limit(16).build();
 * Async.run(() -> {
 *     Task<List<String>> names = db.query("SELECT name FROM users WHERE age > ?", row -> row.getString(1), 30);
 *     Task<Integer> count = db.queryOne("SELECT COUNT(*) FROM orders", row -> row.getInt(1)).thenApply(Optional::orElseThrow);
 *     System.out.println(names.await() + " placed " + count.await() + " orders");
 *     return null;
 * });
 * }</pre>
 */
public final class Database extends SqlVerbs {
    private final JdbcCalls calls;
    private final int limit;

    private Database(Builder builder) {
        super(builder.fetchSize, builder.queryTimeout);
        this.calls = new JdbcCalls(builder.dataSource, builder.limit);
        this.limit = builder.limit;
    }

    /** A database over {@code dataSource} with the defaults: a limit of 10, no query timeout. */
    public static Database over(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** A builder for a database over {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** How many statements or transactions may hold a connection at once. */
    public int limit() {
        return limit;
    }

    /**
     * Runs {@code body} in a transaction on one connection: commits when it returns, rolls back
     * when it throws or is cancelled, and gives the connection back after either. Statements on
     * {@code db} itself inside the body run outside the transaction, on other connections.
     *
     * <pre>{@code
     * // async with session.begin():
     * int moved = db.transaction(tx -> {
     *     tx.update("UPDATE accounts SET balance = balance - 10 WHERE id = ?", from).await();
     *     return tx.update("UPDATE accounts SET balance = balance + 10 WHERE id = ?", to).await();
     * }).await();
     * }</pre>
     */
    public <T extends @Nullable Object> Task<T> transaction(TransactionBody<T> body) {
        Objects.requireNonNull(body, "body");
        return IoTasks.task(
                calls.transaction(transaction -> body.run(transactionOver(transaction))));
    }

    /**
     * A query's rows as a stream, for results too large to hold: the guide's {@code async for row
     * in await conn.stream(query)}. Each iteration runs the query afresh; it waits for a place and
     * takes a connection at its first {@code hasNext}, and gives it back when the rows end, the
     * mapper throws, or the loop stops early or is cancelled. The rows come from the server a
     * {@link Builder#fetchSize(int) fetch size} at a time (1,000 when none is set), mapped on the
     * database's threads.
     *
     * <p>The query runs in a transaction of its own (with auto-commit off, as PostgreSQL needs to
     * stream). Inside a {@link #transaction(TransactionBody) transaction}, use {@link
     * Transaction#query} instead: a stream holds a connection while its loop runs.
     *
     * <pre>{@code
     * for (Order order : db.stream("SELECT id, total FROM orders WHERE day = ?", Order::of, today)) {
     *     report.add(order);
     * }
     * }</pre>
     */
    public <R> AsyncStream<R> stream(
            String sql, RowMapper<R> mapper, @Nullable Object... parameters) {
        Objects.requireNonNull(mapper, "mapper");
        return AsyncStream.fromFlow(
                calls.rows(streamFetchSize(), openRows(sql, parameters), mapper::map));
    }

    @Override
    <T extends @Nullable Object> Task<T> call(ConnectionWork<T> work) {
        return IoTasks.task(calls.withConnection(work));
    }

    @Override
    public String toString() {
        return "Database[limit " + limit + "]";
    }

    /** Settings of a {@link Database}. */
    public static final class Builder {
        private final DataSource dataSource;
        private int limit = 10;
        private int fetchSize;
        private @Nullable Duration queryTimeout;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * At most {@code limit} statements or transactions hold a connection at once; give it the
         * pool's maximum size. 10 by default.
         */
        public Builder limit(int limit) {
            if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
            this.limit = limit;
            return this;
        }

        /**
         * The rows a query fetches from the server at a time (JDBC's fetch size); 0: the driver's.
         */
        public Builder fetchSize(int rows) {
            if (rows < 0) throw new IllegalArgumentException("fetchSize must be >= 0, was " + rows);
            this.fetchSize = rows;
            return this;
        }

        /**
         * How long the driver lets a statement run before it cancels it (JDBC's query timeout, in
         * whole seconds, at least one); none by default. {@code Async.timeout} bounds a statement
         * more precisely.
         */
        public Builder queryTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("queryTimeout must be positive, was " + timeout);
            }
            this.queryTimeout = timeout;
            return this;
        }

        public Database build() {
            return new Database(this);
        }
    }
}
