package dev.corobridge.io;

import dev.corobridge.Task;
import dev.corobridge.core.ConnectionWork;
import dev.corobridge.core.JdbcTransaction;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A transaction of a {@link Database}, pinned to one connection: its statements run one at a time
 * on it, in the order they were started (a body may start several and await them together). Valid
 * only inside its body: a statement started after the body returned fails at the call.
 *
 * <pre>{@code
 * db.transaction(tx -> {
 *     tx.update("INSERT INTO orders (user_id, item) VALUES (?, ?)", user, item).await();
 *     tx.nested(inner -> inner.update("UPDATE stock SET count = count - 1 WHERE item = ?", item).await())
 *             .exceptionally(outOfStock -> 0)   // the savepoint rolled back; the order stays
 *             .await();
 *     return null;
 * }).await();
 * }</pre>
 */
public final class Transaction extends SqlVerbs {
    private final JdbcTransaction transaction;

    Transaction(JdbcTransaction transaction, int fetchSize, @Nullable Duration queryTimeout) {
        super(fetchSize, queryTimeout);
        this.transaction = transaction;
    }

    /**
     * Runs {@code body} inside a savepoint of this transaction: released when the body returns,
     * rolled back to when it throws or is cancelled, while this transaction goes on.
     */
    public <T extends @Nullable Object> Task<T> nested(TransactionBody<T> body) {
        Objects.requireNonNull(body, "body");
        return IoTasks.task(transaction.nested(savepoint -> body.run(transactionOver(savepoint))));
    }

    @Override
    <T extends @Nullable Object> Task<T> call(ConnectionWork<T> work) {
        return IoTasks.task(transaction.call(work));
    }

    @Override
    public String toString() {
        return "Transaction";
    }
}
