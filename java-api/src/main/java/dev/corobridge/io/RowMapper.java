package dev.corobridge.io;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Maps the current row of a query's {@link ResultSet} to a value. Runs on the database's threads,
 * off the loop, once per row: read the row's columns, do not move the cursor.
 *
 * <pre>{@code
 * RowMapper<User> user = row -> new User(row.getLong("id"), row.getString("name"));
 * }</pre>
 */
@FunctionalInterface
public interface RowMapper<R> {
    /** The value of the current row. */
    R map(ResultSet row) throws SQLException;
}
