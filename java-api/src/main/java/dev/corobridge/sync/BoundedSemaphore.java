package dev.corobridge.sync;

/**
 * A semaphore that refuses to be released more often than acquired: asyncio's {@code
 * BoundedSemaphore}, which catches a stray {@code release()} that would otherwise raise the cap.
 *
 * <pre>{@code
 * var pool = new BoundedSemaphore(4);
 * pool.release();   // IllegalStateException: released more often than acquired
 * }</pre>
 */
public final class BoundedSemaphore extends AsyncSemaphore {
    /**
     * A bounded semaphore with {@code permits} permits, never more.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits, permits);
    }

    /**
     * Gives a permit back.
     *
     * @throws IllegalStateException if every permit is already free
     */
    @Override
    public void release() {
        super.release();
    }
}
