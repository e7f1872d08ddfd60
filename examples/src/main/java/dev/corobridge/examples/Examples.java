package dev.corobridge.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Runs the examples by name: {@code list} prints their names, {@code all} runs every one in guide
 * order, {@code NAME...} runs the named ones (simple class names, case-insensitive), and {@code
 * NAME ARG...} runs one with arguments of its own.
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.args=list
 * mvn -q -pl examples compile exec:java -Dexec.args=all
 * mvn -q -pl examples compile exec:java -Dexec.args=ConcurrentDownloads
 * mvn -q -pl examples compile exec:java -Dexec.args="QueryingDatabases jdbc:postgresql://127.0.0.1/postgres?user=postgres"
 * </pre>
 */
public final class Examples {
    private Examples() {}

    /** An example's {@code main}. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /** An example; {@code arguments} names what it accepts after its name, or is empty. */
    record Example(String name, Main main, String arguments) {
        Example(String name, Main main) {
            this(name, main, "");
        }
    }

    /** Every example, in the order of the guide. */
    static final List<Example> ALL =
            List.of(
                    new Example("DefiningAndAwaitingTasks", DefiningAndAwaitingTasks::main),
                    new Example("HelloWorld", HelloWorld::main),
                    new Example("ConcurrentDownloads", ConcurrentDownloads::main),
                    new Example("SleepLetsOthersRun", SleepLetsOthersRun::main),
                    new Example("EventLoopExplicit", EventLoopExplicit::main),
                    new Example("ErrorHandling", ErrorHandling::main),
                    new Example("AsyncFor", AsyncFor::main),
                    new Example("AsyncWith", AsyncWith::main),
                    new Example("RateLimitedDownloads", RateLimitedDownloads::main),
                    new Example("WorkerPool", WorkerPool::main),
                    new Example("ResultsAsTheyArrive", ResultsAsTheyArrive::main),
                    new Example("FetchingPages", FetchingPages::main),
                    new Example("SmallService", SmallService::main),
                    new Example("QueryingDatabases", QueryingDatabases::main, "[JDBC_URL]"),
                    new Example("FileIo", FileIo::main),
                    new Example("TasksThreadsProcesses", TasksThreadsProcesses::main),
                    new Example("RedisCommands", RedisCommands::main, "[REDIS_URI]"),
                    new Example("KotlinFromJava", KotlinFromJava::main),
                    new Example("DebugMode", DebugMode::main));

    /** Exit code for a command line that names no known example. */
    static final int USAGE = 2;

    public static void main(String[] args) throws Exception {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Carries out one command line and returns the process exit code: 0, or {@link #USAGE} (with a
     * message on {@code System.err}) for a missing or unknown name. An example's own exception
     * propagates.
     */
    static int run(String... args) throws Exception {
        if (args.length == 0) {
            System.err.println(usage());
            return USAGE;
        }
        if (args.length == 1 && args[0].equalsIgnoreCase("list")) {
            ALL.forEach(example -> System.out.println(example.name()));
            return 0;
        }
        Example first = find(args[0]);
        if (first != null && !first.arguments().isEmpty() && args.length > 1) {
            // NAME ARG...: one example, with its own arguments (a JDBC URL, say).
            first.main().run(Arrays.copyOfRange(args, 1, args.length));
            return 0;
        }
        List<Example> selected = new ArrayList<>();
        if (args.length == 1 && args[0].equalsIgnoreCase("all")) {
            selected.addAll(ALL);
        } else {
            for (String name : args) {
                Example example = find(name);
                if (example == null) {
                    System.err.println("unknown example '" + name + "'\n" + usage());
                    return USAGE;
                }
                selected.add(example);
            }
        }
        boolean headers = selected.size() > 1;
        for (Example example : selected) {
            if (headers) {
                System.out.println("== " + example.name() + " ==");
            }
            example.main().run(new String[0]);
        }
        return 0;
    }

    private static Example find(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Example example : ALL) {
            if (example.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return example;
            }
        }
        return null;
    }

    private static String usage() {
        StringBuilder text =
                new StringBuilder("usage: Examples list | all | NAME... | NAME ARG...\nexamples:");
        ALL.forEach(example -> text.append("\n  ").append(example.name()));
        return text.toString();
    }
}
