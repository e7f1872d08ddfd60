package dev.corobridge.benchmarks;

import java.util.List;

/**
 * Runs the JMH microbenchmarks in a JVM with this module's classpath, passing every argument to JMH
 * ({@code -h} lists them; a regular expression selects benchmarks). JMH forks from {@code
 * java.class.path}, which under {@code exec:java} is Maven's: hence this launcher.
 *
 * <pre>{@code
 * mvn -q -B -pl benchmarks -am compile exec:java -Dbenchmarks.main=dev.corobridge.benchmarks.Micro -Dexec.args="RoundTrip -f 1"
 * }</pre>
 */
public final class Micro {
    private Micro() {}

    /** Runs {@code org.openjdk.jmh.Main} with {@code args} and exits with its status. */
    public static void main(String[] args) throws Exception {
        var command = ChildJvm.command(List.of(), "org.openjdk.jmh.Main", List.of(args));
        int status = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (status != 0) {
            System.exit(status);
        }
    }
}
