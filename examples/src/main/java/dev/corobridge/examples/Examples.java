package dev.corobridge.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the examples by name: {@code list} prints their names, {@code all} runs every one in guide
 * order, and {@code NAME...} runs the named ones (simple class names, case-insensitive).
 *
 * <pre>
 * mvn -q -pl examples compile exec:java -Dexec.args=list
 * mvn -q -pl examples compile exec:java -Dexec.args=all
 * mvn -q -pl examples compile exec:java -Dexec.args=ConcurrentDownloads
 * </pre>
 */
public final class Examples {
    private Examples() {}

    /** An example's {@code main}. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    record Example(String name, Main main) {}

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
                    new Example("KotlinFromJava", KotlinFromJava::main));

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
        StringBuilder text = new StringBuilder("usage: Examples list | all | NAME...\nexamples:");
        ALL.forEach(example -> text.append("\n  ").append(example.name()));
        return text.toString();
    }
}
