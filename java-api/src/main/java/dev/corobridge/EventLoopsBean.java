package dev.corobridge;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/** {@link EventLoopsMXBean} over the engine; registered once, by the first run in debug mode. */
final class EventLoopsBean implements EventLoopsMXBean {
    private static volatile boolean registered;

    private EventLoopsBean() {}

    @Override
    public String dumpTasks() {
        return Async.ENGINE.tasks.dumpDebugRuns();
    }

    @Override
    public int getDebugLoopCount() {
        return Async.ENGINE.tasks.debugRunCount();
    }

    /** Registers the bean unless done already; a run in debug mode calls it before it starts. */
    static void registerOnce() {
        if (registered) return;
        synchronized (EventLoopsBean.class) {
            if (registered) return;
            registered = true;
            try {
                ManagementFactory.getPlatformMBeanServer()
                        .registerMBean(
                                new StandardMBean(
                                        new EventLoopsBean(), EventLoopsMXBean.class, true),
                                new ObjectName(OBJECT_NAME));
            } catch (InstanceAlreadyExistsException e) {
                // Another copy of corobridge (another class loader) registered its own first.
            } catch (JMException | RuntimeException e) {
                // The run goes on without it: the dump from outside is a diagnostic.
                System.getLogger("dev.corobridge")
                        .log(
                                System.Logger.Level.WARNING,
                                "debug mode could not register "
                                        + OBJECT_NAME
                                        + ": task dumps are available only from inside, through"
                                        + " Async.dumpTasks()",
                                e);
            }
        }
    }
}
