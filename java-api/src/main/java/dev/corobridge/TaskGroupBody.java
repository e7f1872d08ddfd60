package dev.corobridge;

/**
 * The body of {@link Async#taskGroup(TaskGroupBody)}: receives the group and launches its tasks
 * into it.
 *
 * <pre>{@code
 * Async.taskGroup(group -> {
 *     group.launch(() -> fetch("a"));
 *     group.launch(() -> fetch("b"));
 * }).await();
 * }</pre>
 */
@FunctionalInterface
public interface TaskGroupBody {
    /** Runs the group's body; it may launch tasks into {@code group} and await. */
    void run(TaskGroup group) throws Exception;
}
