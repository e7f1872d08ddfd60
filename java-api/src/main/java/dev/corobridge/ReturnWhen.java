package dev.corobridge;

/**
 * When {@link Async#wait(java.util.Collection, ReturnWhen)} returns: asyncio's {@code return_when}.
 */
public enum ReturnWhen {
    /** Once one of the tasks has completed (succeeded, failed or been cancelled). */
    FIRST_COMPLETED,
    /** Once one of the tasks has failed, or all have completed. */
    FIRST_EXCEPTION,
    /** Once all of the tasks have completed. */
    ALL_COMPLETED
}
