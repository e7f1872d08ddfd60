package dev.corobridge;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link Async#wait(java.util.Collection, ReturnWhen)} found: the given futures themselves,
 * split into those that had completed and those still pending, each set in the order they were
 * given. asyncio's {@code done, pending = await asyncio.wait(...)}.
 *
 * <pre>{@code
 * var waited = Async.wait(tasks, ReturnWhen.FIRST_COMPLETED).await();
 * for (var task : waited.pending()) task.cancel();
 * }</pre>
 *
 * @param done the futures that had completed
 * @param pending the futures still running
 * @param <F> the type of the futures
 */
public record DoneAndPending<F extends CompletableFuture<?>>(Set<F> done, Set<F> pending) {
    /** Copies both sets, keeping their order. */
    public DoneAndPending {
        done = Collections.unmodifiableSet(new LinkedHashSet<>(done));
        pending = Collections.unmodifiableSet(new LinkedHashSet<>(pending));
    }
}
