package dev.corobridge;

import dev.corobridge.core.StatementBody;

/**
 * A task body that returns nothing and may throw anything, like {@link
 * java.util.concurrent.Callable} without a result: the Java form of an {@code async def} that
 * returns {@code None}.
 *
 * <pre>{@code
 * AsyncRunnable download = () -> Async.sleep(Duration.ofSeconds(1)).await();
 * Async.run(download);
 * }</pre>
 */
@FunctionalInterface
// The engine's StatementBody is exported to this module only; clients never name it: the engine
// calls statement bodies through it with no adapter frame (ADR 0009).
@SuppressWarnings("exports")
public interface AsyncRunnable extends StatementBody {
    /** Runs the body; inside a task it may {@link Task#await() await}. */
    @Override
    void run() throws Exception;
}
