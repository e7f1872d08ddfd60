package dev.corobridge.io;

import org.jspecify.annotations.Nullable;

/**
 * The body of a {@link Database#transaction(TransactionBody) transaction}: runs as a task body (it
 * may await), and reaches the database through the {@link Transaction} it is given. Returning
 * commits; throwing, or being cancelled, rolls back.
 *
 * <pre>{@code
 * TransactionBody<Integer> transfer = tx -> {
 *     tx.update("UPDATE accounts SET balance = balance - ? WHERE id = ?", 10, from).await();
 *     return tx.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", 10, to).await();
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TransactionBody<T extends @Nullable Object> {
    /** The transaction's work, and its result. */
    T run(Transaction transaction) throws Exception;
}
