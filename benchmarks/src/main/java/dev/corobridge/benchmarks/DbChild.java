package dev.corobridge.benchmarks;

/**
 * One JVM process of {@link DbSideBySide}:
 *
 * <pre>
 * DbChild CONTENDER JDBC_URL USER POOL QUERIES WARM_UP   prints CHECKSUM and the RESULT line
 * </pre>
 */
public final class DbChild {
    private DbChild() {}

    public static void main(String[] args) throws Exception {
        var contender = DbWorkloads.Contender.valueOf(args[0]);
        int size = Integer.parseInt(args[3]);
        int queries = Integer.parseInt(args[4]);
        try (var pool = DbWorkloads.pool(args[1], args[2], size)) {
            // Warm-up: the JIT, and the driver's prepared-statement cache on every connection.
            DbWorkloads.run(contender, pool, size, Integer.parseInt(args[5]));
            ChildRuns.measureAndPrint(() -> DbWorkloads.run(contender, pool, size, queries));
        }
        System.exit(0);
    }
}
