package dev.corobridge.io;

import dev.corobridge.Task;
import dev.corobridge.core.ConnectionWork;
import dev.corobridge.core.JdbcTransaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The statements a {@link Database} and a {@link Transaction} run alike: prepared, their parameters
 * bound (never concatenated into the SQL), cancellable while the driver runs them.
 */
abstract class SqlVerbs {
    /** A stream's fetch size when none is set: large enough to amortize a round trip. */
    static final int STREAM_FETCH_SIZE = 1000;

    private final int fetchSize;
    private final @Nullable Duration queryTimeout;

    SqlVerbs(int fetchSize, @Nullable Duration queryTimeout) {
        this.fetchSize = fetchSize;
        this.queryTimeout = queryTimeout;
    }

    /** A started task running {@code work} on a connection of this database or transaction. */
    abstract <T extends @Nullable Object> Task<T> call(ConnectionWork<T> work);

    /** The Java face of {@code transaction}, with this database's statement settings. */
    final Transaction transactionOver(JdbcTransaction transaction) {
        return new Transaction(transaction, fetchSize, queryTimeout);
    }

    /**
     * A started task: prepares {@code sql} with {@code parameters} bound, runs {@code work} on the
     * statement (cancellable through {@link Statement#cancel()}), and closes it.
     */
    private <T extends @Nullable Object> Task<T> onStatement(
            String sql, @Nullable Object[] parameters, SqlWork<PreparedStatement, T> work) {
        return call(
                (connection, cancels) -> {
                    try (PreparedStatement statement = prepare(connection, sql, parameters)) {
                        cancels.onCancel(statement);
                        return work.run(statement);
                    }
                });
    }

    /** {@link #onStatement} for a query: {@code work} reads its rows (at most {@code maxRows}). */
    private <T extends @Nullable Object> Task<T> onQuery(
            String sql,
            RowMapper<?> mapper,
            @Nullable Object[] parameters,
            int maxRows,
            SqlWork<ResultSet, T> work) {
        check(sql, parameters);
        Objects.requireNonNull(mapper, "mapper");
        return onStatement(
                sql,
                parameters,
                statement -> {
                    if (maxRows > 0) statement.setMaxRows(maxRows);
                    try (ResultSet rows = statement.executeQuery()) {
                        return work.run(rows);
                    }
                });
    }

    /**
     * Work that prepares and runs a query and leaves its rows open, for a stream to read a fetch at
     * a time; the statement closes if the query fails.
     */
    final ConnectionWork<ResultSet> openRows(String sql, @Nullable Object[] given) {
        check(sql, given);
        @Nullable Object[] parameters = given.clone(); // the stream may run again, later
        return (connection, cancels) -> {
            PreparedStatement statement = prepare(connection, sql, parameters);
            try {
                if (fetchSize == 0) statement.setFetchSize(STREAM_FETCH_SIZE);
                cancels.onCancel(statement);
                return statement.executeQuery();
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
        };
    }

    /** The rows a stream fetches from the server and maps at a time. */
    final int streamFetchSize() {
        return fetchSize > 0 ? fetchSize : STREAM_FETCH_SIZE;
    }

    @FunctionalInterface
    private interface SqlWork<S, T extends @Nullable Object> {
        T run(S on) throws SQLException;
    }

    /**
     * Runs a query and maps each row: {@code await session.execute(query)}, then {@code
     * result.all()}.
     *
     * <pre>{@code
     * List<String> names = db.query("SELECT name FROM users WHERE age > ?", row -> row.getString(1), 30).await();
     * }</pre>
     *
     * @param parameters bound to the {@code ?} placeholders in order ({@code null}: SQL NULL)
     */
    public <R> Task<List<R>> query(
            String sql, RowMapper<R> mapper, @Nullable Object... parameters) {
        return onQuery(
                sql,
                mapper,
                parameters,
                0,
                rows -> {
                    List<R> mapped = new ArrayList<>();
                    while (rows.next()) mapped.add(mapper.map(rows));
                    return mapped;
                });
    }

    /**
     * Runs a query that has at most one row: its value, or empty if there is none.
     *
     * <pre>{@code
     * Optional<String> name = db.queryOne("SELECT name FROM users WHERE id = ?", row -> row.getString(1), id).await();
     * }</pre>
     *
     * @throws IllegalStateException (from the task) if the query has more than one row
     */
    public <R> Task<Optional<R>> queryOne(
            String sql, RowMapper<R> mapper, @Nullable Object... parameters) {
        return onQuery(
                sql,
                mapper,
                parameters,
                2,
                rows -> {
                    if (!rows.next()) return Optional.empty();
                    R value = mapper.map(rows);
                    if (rows.next()) {
                        throw new IllegalStateException(
                                "queryOne expects at most one row, '"
                                        + sql
                                        + "' has more: use query() for several rows, or narrow"
                                        + " the WHERE clause");
                    }
                    return Optional.of(value);
                });
    }

    /**
     * Runs an {@code INSERT}, {@code UPDATE}, {@code DELETE} or DDL statement: how many rows it
     * changed.
     *
     * <pre>{@code
     * int changed = db.update("UPDATE users SET name = ? WHERE id = ?", "Ada", 1).await();
     * }</pre>
     */
    public Task<Integer> update(String sql, @Nullable Object... parameters) {
        check(sql, parameters);
        return onStatement(sql, parameters, PreparedStatement::executeUpdate);
    }

    /**
     * Runs one statement for each row of parameters, as one JDBC batch: the rows each changed.
     *
     * <pre>{@code
     * db.batch("INSERT INTO users (id, name) VALUES (?, ?)", List.of(List.of(1, "Ada"), List.of(2, "Grace"))).await();
     * }</pre>
     */
    public Task<int[]> batch(String sql, List<? extends List<?>> rows) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(rows, "rows");
        List<Object[]> copied = new ArrayList<>(rows.size());
        for (List<?> row : rows) {
            Objects.requireNonNull(row, "a row of parameters");
            copied.add(row.toArray());
        }
        return onStatement(
                sql,
                new Object[0],
                statement -> {
                    for (Object[] row : copied) {
                        bind(statement, row);
                        statement.addBatch();
                    }
                    return statement.executeBatch();
                });
    }

    private PreparedStatement prepare(
            Connection connection, String sql, @Nullable Object[] parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            if (fetchSize > 0) statement.setFetchSize(fetchSize);
            if (queryTimeout != null) {
                statement.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
            }
            bind(statement, parameters);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement statement, @Nullable Object[] parameters)
            throws SQLException {
        for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
    }

    private static void check(String sql, @Nullable Object[] parameters) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(parameters, "parameters (pass none, or null inside an array)");
        if (sql.isBlank()) throw new IllegalArgumentException("the SQL is blank");
    }
}
