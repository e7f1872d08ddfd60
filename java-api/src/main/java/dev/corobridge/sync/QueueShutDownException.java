package dev.corobridge.sync;

/**
 * An operation on an {@link AsyncQueue} that was shut down: asyncio's {@code QueueShutDown}. A put
 * fails once the queue is shut down; a get once it is also empty (at once, for an immediate
 * shutdown).
 */
public final class QueueShutDownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    QueueShutDownException() {
        super("the queue was shut down: no more items go in, and the ones left are all taken");
    }
}
