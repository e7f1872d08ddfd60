package dev.corobridge.benchmarks;

import dev.corobridge.testing.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The database row, ratios in one run, one server for all: {@code --queries} point queries (10k) on
 * a private PostgreSQL cluster on loopback (the test suite's {@link Postgres}) over a pool of
 * {@code --pool} connections (16), one fresh process per contender and run. Writes {@code
 * docs/benchmarks-db.md} unless {@code --no-write}.
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am compile exec:java -Dbenchmarks.main=dev.corobridge.benchmarks.DbSideBySide
 * </pre>
 *
 * Needs Debian's {@code postgresql}, and {@code python3-asyncpg} for {@code /usr/bin/python3}; the
 * asyncpg row is left out without it, and the report says so.
 */
public final class DbSideBySide {
    private static final String PYTHON = "/usr/bin/python3";

    private DbSideBySide() {}

    record Options(int queries, int warmUp, int pool, int runs, @Nullable Path out) {
        static Options parse(String[] args) {
            int queries = 10_000, warmUp = 10_000, pool = 16, runs = 3;
            Path out = Path.of("docs", "benchmarks-db.md");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--queries" -> queries = Integer.parseInt(args[++i]);
                    case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                    case "--pool" -> pool = Integer.parseInt(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--no-write" -> out = null;
                    default ->
                            throw new IllegalArgumentException(
                                    "usage: DbSideBySide [--queries N] [--warm-up W] [--pool P] [--runs R]"
                                            + " [--out FILE | --no-write]; unknown: "
                                            + args[i]);
                }
            }
            return new Options(queries, warmUp, pool, runs, out);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String loadAtStart = SideBySide.loadAverage();
        List<String> notes = new ArrayList<>();
        boolean asyncpg = hasAsyncpg();
        if (!asyncpg) {
            notes.add(
                    "asyncpg row left out: "
                            + PYTHON
                            + " has no asyncpg (Debian: python3-asyncpg)");
        }
        if (VirtualThreads.factory().isEmpty()) {
            notes.add("virtual-thread row left out: this JDK has no virtual threads (JDK 21+)");
        }
        Path script = SideBySide.extractScript("db_workload.py");
        Map<DbWorkloads.Contender, List<Measurement>> results =
                new EnumMap<>(DbWorkloads.Contender.class);
        try (Postgres postgres = Postgres.start()) {
            try (var pool = DbWorkloads.pool(postgres.jdbcUrl(), Postgres.USER, 1)) {
                DbWorkloads.createTable(pool);
            }
            for (int run = 1; run <= options.runs(); run++) {
                for (DbWorkloads.Contender contender : DbWorkloads.Contender.values()) {
                    if (contender == DbWorkloads.Contender.ASYNCPG && !asyncpg) continue;
                    if (contender == DbWorkloads.Contender.VIRTUAL_THREADS
                            && VirtualThreads.factory().isEmpty()) continue;
                    Measurement measured = runContender(contender, postgres, options, script);
                    System.err.printf(
                            "%-20s run %d: %.0f ms%n", contender, run, measured.wallNanos() / 1e6);
                    results.computeIfAbsent(contender, c -> new ArrayList<>()).add(measured);
                }
            }
        }
        String report = report(options, results, notes, loadAtStart, SideBySide.loadAverage());
        System.out.println(report);
        if (options.out() != null) {
            Files.writeString(options.out(), report);
            System.err.println("wrote " + options.out().toAbsolutePath());
        }
    }

    private static Measurement runContender(
            DbWorkloads.Contender contender, Postgres postgres, Options options, Path script)
            throws Exception {
        List<String> sizes =
                List.of(
                        Integer.toString(options.pool()),
                        Integer.toString(options.queries()),
                        Integer.toString(options.warmUp()));
        List<String> command = new ArrayList<>();
        if (contender == DbWorkloads.Contender.ASYNCPG) {
            command.addAll(
                    List.of(
                            PYTHON,
                            script.toString(),
                            "127.0.0.1",
                            Integer.toString(postgres.getPort()),
                            Postgres.USER));
        } else {
            command.addAll(
                    ChildJvm.command(
                            List.of(),
                            DbChild.class.getName(),
                            List.of(contender.name(), postgres.jdbcUrl(), Postgres.USER)));
        }
        command.addAll(sizes);
        return ChildRuns.run(
                contender.toString(), command, DbWorkloads.expectedSum(options.queries()));
    }

    static String report(
            Options options,
            Map<DbWorkloads.Contender, List<Measurement>> results,
            List<String> notes,
            String loadAtStart,
            String loadAtEnd) {
        var out =
                ChildRuns.head(
                        "Database benchmarks",
                        DbSideBySide.class,
                        options.runs(),
                        "the contenders and the server",
                        notes,
                        loadAtStart,
                        loadAtEnd);
        out.append(
                String.format(
                        Locale.ROOT,
                        "## %,d point queries, a pool of %d connections, PostgreSQL on loopback%n%n",
                        options.queries(),
                        options.pool()));
        ChildRuns.table(
                out,
                "contender",
                "platform pool",
                "queries",
                ChildRuns.byLabel(results, contender -> contender.label),
                results.get(DbWorkloads.Contender.PLATFORM_POOL),
                options.queries());
        out.append(
                String.format(
                        Locale.ROOT,
                        "%nThe query is `%s` over a table of %,d rows; every contender reads every"
                                + " row's value (their sum is checked). Each process first runs %,d"
                                + " queries untimed (the JIT, the driver's statement caches), then"
                                + " the timed ones. The JVM contenders share one pool setup"
                                + " (HikariCP, %d connections, opened before the run); corobridge's"
                                + " `Database` has `limit(%d)`; the platform pool has %d threads; the"
                                + " virtual threads take a `Semaphore` permit of %d per query."
                                + " asyncpg's pool has min and max size %d. The server is the test"
                                + " suite's private cluster (fsync off).%n%n",
                        DbWorkloads.POINT_QUERY,
                        DbWorkloads.ROWS,
                        options.warmUp(),
                        options.pool(),
                        options.pool(),
                        options.pool(),
                        options.pool(),
                        options.pool()));
        out.append(
                "## Rerun\n\n```\nmvn -q -B -pl benchmarks -am compile exec:java "
                        + "-Dbenchmarks.main=dev.corobridge.benchmarks.DbSideBySide\n```\n");
        return out.toString();
    }

    private static boolean hasAsyncpg() throws InterruptedException {
        try {
            return new ProcessBuilder(PYTHON, "-c", "import asyncpg").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
