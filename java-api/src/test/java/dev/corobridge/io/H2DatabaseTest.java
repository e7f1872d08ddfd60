package dev.corobridge.io;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Database} against H2 in memory, a fresh database for each test. */
public class H2DatabaseTest extends DatabaseContract {
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** {@code PAUSE(ms)}: sleeps, counting the calls inside it. */
    public static final class Functions {
        static final AtomicInteger inside = new AtomicInteger();
        static final AtomicInteger most = new AtomicInteger();

        private Functions() {}

        public static boolean pause(long millis) throws InterruptedException {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                Thread.sleep(millis);
            } finally {
                inside.decrementAndGet();
            }
            return true;
        }
    }

    @Override
    void configure(HikariConfig config) {
        config.setJdbcUrl("jdbc:h2:mem:test" + NAMES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
    }

    @Override
    void createPause(Statement statement) throws SQLException {
        statement.execute("CREATE ALIAS PAUSE FOR \"" + Functions.class.getName() + ".pause\"");
    }

    @Override
    String range(String upTo) {
        return "SYSTEM_RANGE(1, " + upTo + ")";
    }

    @Override
    String endless() {
        return "SELECT SUM(X) FROM SYSTEM_RANGE(1, 100000000000) WHERE MOD(X, 7) = 3";
    }

    @Override
    PauseCount countPauses() {
        Functions.most.set(0);
        return Functions.most::get;
    }
}
