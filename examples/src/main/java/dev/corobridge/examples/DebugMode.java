package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.EventLoop;
import dev.corobridge.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * asyncio's debug mode finds the three classic mistakes of async code; corobridge's does too.
 *
 * <pre>
 * asyncio.run(main(), debug=True)          # or PYTHONASYNCIODEBUG=1
 * python -m asyncio pstree PID             # the task tree of a running program
 * </pre>
 *
 * <p>The program makes each mistake once, in debug mode, and prints what debug mode reports: a
 * blocking call that holds the loop ({@code Thread.sleep} in a task), a {@code Task} dropped on the
 * floor ({@code Async.sleep(...)} without {@code await()}), and a failure nobody awaited. Then it
 * prints the task tree of a small crawler while it runs. In a real program the reports go to the
 * log ({@code System.Logger} "dev.corobridge"); the same program runs in debug mode with {@code
 * java -Dcorobridge.debug=true}, and {@code jconsole} shows the tree from outside ({@code
 * EventLoopsMXBean}).
 */
public final class DebugMode {
    private DebugMode() {}

    public static void main(String[] args) throws Exception {
        Logger log = Logger.getLogger("dev.corobridge");
        boolean toParents = log.getUseParentHandlers();
        Handler printer = new ReportPrinter();
        log.addHandler(printer);
        log.setUseParentHandlers(false); // printed here instead of on stderr
        try (EventLoop loop = EventLoop.create()) {
            loop.setDebug(true); // asyncio.run(main(), debug=True)
            loop.runBlocking(DebugMode::threeMistakes);
            System.out.println("-- the run has ended: what nobody awaited is reported now");
        } finally {
            log.removeHandler(printer);
            log.setUseParentHandlers(toParents);
        }

        System.out.println("-- the task tree of a running crawler");
        try (EventLoop loop = EventLoop.create()) {
            loop.setDebug(true); // the tree shows each task's age in debug mode
            loop.runBlocking(DebugMode::crawl);
        }
    }

    static void threeMistakes() throws Exception {
        System.out.println("-- 1. a blocking call inside a task");
        Async.launch("blocker", DebugMode::blockingCall).await();

        System.out.println("-- 2. Async.sleep(...) without await()");
        Async.sleep(Duration.ofMillis(10)); // the mistake: nothing waits for it

        System.out.println("-- 3. a task that fails, and nobody awaits it");
        Async.launch(
                "forgotten",
                () -> {
                    throw new IOException("disk full");
                });
        Async.sleep(Duration.ofMillis(50)).await();
    }

    static void blockingCall() throws InterruptedException {
        Thread.sleep(300); // holds the loop: use Async.sleep, or Async.toThread for blocking calls
    }

    static void crawl() throws Exception {
        Task<List<String>> crawler =
                Async.launch(
                        "crawler",
                        () ->
                                Async.gather(
                                                Async.launch("fetch /", () -> fetch("/", 1)),
                                                Async.launch(
                                                        "fetch /about", () -> fetch("/about", 2)))
                                        .await());
        Async.sleep(Duration.ofMillis(100)).await();
        System.out.print(Async.dumpTasks());
        System.out.println("crawled: " + crawler.await());
    }

    static String fetch(String page, int seconds) throws Exception {
        Async.sleep(Duration.ofSeconds(seconds)).await(); // the network, in this example
        return page;
    }

    /** Prints each report of debug mode on one line, with the line of this program it points at. */
    private static final class ReportPrinter extends Handler {
        @Override
        public void publish(LogRecord record) {
            System.out.println("debug mode: " + record.getMessage());
            Throwable thrown = record.getThrown();
            if (thrown != null) System.out.println("  " + whereInThisProgram(thrown));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        private static String whereInThisProgram(Throwable thrown) {
            for (StackTraceElement frame : thrown.getStackTrace())
                if (frame.getClassName().equals(DebugMode.class.getName()))
                    return "at %s.%s(%s:%d)"
                            .formatted(
                                    frame.getClassName(),
                                    frame.getMethodName(),
                                    frame.getFileName(),
                                    frame.getLineNumber());
            return thrown.toString();
        }
    }
}
