package dev.corobridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.corobridge.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Task dumps from outside the process: debug mode's {@link EventLoopsMXBean}, read over JMX as
 * {@code jconsole} reads it (the JDK's attach mechanism and management agent, no -javaagent).
 */
@Timeout(120)
class DumpFromOutsideTest {
    @Test
    void anotherProcessReadsTheTaskTreeOfARunningProgram() throws Exception {
        Process child =
                new ProcessBuilder(
                                ChildJvm.command(
                                        DebugRunForDump.class.getName(),
                                        List.of("-D" + EventLoop.DEBUG_PROPERTY + "=true"),
                                        List.of()))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try {
            var output =
                    new BufferedReader(
                            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", output.readLine());
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(child.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                EventLoopsMXBean loops = proxy(connector.getMBeanServerConnection());
                assertEquals(1, loops.getDebugLoopCount());
                List<String> lines = loops.dumpTasks().lines().toList();
                String joined = String.join("\n", lines);
                assertEquals("event loop run by thread 'main':", lines.get(0), joined);
                String here = " at " + DebugRunForDump.class.getName() + ".";
                assertTrue(
                        lines.get(1)
                                .matches(
                                        "  Task-\\d+ \\(awaiting Async\\.toThread, age \\d+ ms\\)"
                                                + java.util.regex.Pattern.quote(here)
                                                + "lambda\\$main\\$\\d+\\(DebugRunForDump\\.java:\\d+\\)"),
                        joined);
                assertTrue(
                        lines.stream()
                                .anyMatch(
                                        line ->
                                                line.matches(
                                                        "    crawler \\(awaiting Async\\.gather, age \\d+ ms\\) at .*")),
                        joined);
                for (String fetch : List.of("fetch-1", "fetch-2")) {
                    String start = "      " + fetch + " (awaiting a sleep, age ";
                    String site = here + "fetch(DebugRunForDump.java:";
                    assertTrue(
                            lines.stream()
                                    .anyMatch(
                                            line -> line.startsWith(start) && line.contains(site)),
                            joined);
                }
            }
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the program did not end");
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void insideTheProcessTheBeanListsOnlyLoopsRunningInDebugMode() throws Exception {
        String during = dumpFromAnotherThreadWhileASleeperWaits(true);
        assertTrue(
                during.startsWith(
                        "event loop run by thread '" + Thread.currentThread().getName() + "':\n"),
                during);
        assertTrue(during.contains("\n    sleeper (awaiting a sleep, age "), during);

        EventLoopsMXBean loops = proxy(ManagementFactory.getPlatformMBeanServer());
        assertEquals(0, loops.getDebugLoopCount());
        assertEquals("no event loop is running in debug mode\n", loops.dumpTasks());
        assertEquals(
                "no event loop is running in debug mode\n",
                dumpFromAnotherThreadWhileASleeperWaits(false));
    }

    /** The bean's dump, read on another thread while a loop in [debug] mode or not runs. */
    private static String dumpFromAnotherThreadWhileASleeperWaits(boolean debug) throws Exception {
        EventLoopsMXBean loops = proxy(ManagementFactory.getPlatformMBeanServer());
        try (EventLoop loop = EventLoop.create()) {
            loop.setDebug(debug);
            return loop.runBlocking(
                    () -> {
                        Task<Void> sleeper =
                                Async.launch(
                                        "sleeper",
                                        () -> Async.sleep(Duration.ofSeconds(30)).await());
                        Async.yieldNow().await();
                        String dump = Async.toThread(loops::dumpTasks).await();
                        sleeper.cancel();
                        return dump;
                    });
        }
    }

    private static EventLoopsMXBean proxy(MBeanServerConnection connection) throws Exception {
        return JMX.newMXBeanProxy(
                connection, new ObjectName(EventLoopsMXBean.OBJECT_NAME), EventLoopsMXBean.class);
    }
}
