package dev.corobridge;

/**
 * How far a fan-out has come, as its progress listener sees it: of {@code total} tasks, {@code
 * done} have ended, {@code failed} of those with an exception or a cancellation.
 *
 * <pre>{@code
 * Async.gather(downloads, progress -> bar.stepTo(progress.done())).await();
 * }</pre>
 *
 * @param done the tasks that have ended, successfully or not
 * @param failed the tasks among {@code done} that failed or were cancelled
 * @param total all the tasks
 */
public record Progress(int done, int failed, int total) {
    /** Checks that the counts fit together. */
    public Progress {
        if (failed < 0 || done < failed || total < done) {
            throw new IllegalArgumentException(
                    "need 0 <= failed <= done <= total, got failed "
                            + failed
                            + ", done "
                            + done
                            + ", total "
                            + total);
        }
    }

    /** The tasks among {@code done} that succeeded. */
    public int succeeded() {
        return done - failed;
    }

    /** True once every task has ended. */
    public boolean finished() {
        return done == total;
    }
}
