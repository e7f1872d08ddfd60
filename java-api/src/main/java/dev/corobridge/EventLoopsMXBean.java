package dev.corobridge;

/**
 * The task trees of every event loop running in debug mode, for a dump asked for from outside the
 * process with the JDK's own tools, no agent: corobridge registers it in the platform MBean server
 * as {@value #OBJECT_NAME} when the first loop runs in debug mode ({@link EventLoop#setDebug}, or
 * {@code -Dcorobridge.debug=true}).
 *
 * <p>From {@code jconsole} (or JDK Mission Control): connect to the process, open the MBeans tab,
 * {@code dev.corobridge} → {@code EventLoops} → Operations → {@code dumpTasks}. From code, over
 * JMX:
 *
 * <pre>{@code
 * EventLoopsMXBean loops = JMX.newMXBeanProxy(
 *         connection, new ObjectName(EventLoopsMXBean.OBJECT_NAME), EventLoopsMXBean.class);
 * System.out.println(loops.dumpTasks());
 * }</pre>
 *
 * <p>Inside a task, {@link Async#dumpTasks()} gives its own loop's tree, in debug mode or not.
 */
public interface EventLoopsMXBean {
    /** The name this bean is registered under. */
    String OBJECT_NAME = "dev.corobridge:type=EventLoops";

    /**
     * Every loop running in debug mode, headed by the thread that runs it, with its live tasks as a
     * tree ({@link Async#dumpTasks()}'s format, ages included); a line saying so when there is
     * none.
     */
    String dumpTasks();

    /** How many loops are running in debug mode now. */
    int getDebugLoopCount();
}
