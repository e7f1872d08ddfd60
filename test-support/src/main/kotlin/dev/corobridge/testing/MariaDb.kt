package dev.corobridge.testing

import java.io.IOException
import java.net.ServerSocket
import java.net.Socket
import java.nio.file.Files
import java.nio.file.Path
import java.util.Comparator
import java.util.concurrent.TimeUnit

/**
 * A MariaDB server of its own on a free loopback port, for tests: its data directory made by
 * `mariadb-install-db` in a temporary directory, the server run in the foreground without grant
 * tables (any user, no password), so nothing of the machine's own server is touched. Run as root,
 * the server runs as the `mysql` user.
 * <pre>
 * try (var mariadb = MariaDb.startOrSkip()) {
 *     var pool = new HikariDataSource(); pool.setJdbcUrl(mariadb.jdbcUrl("test"));
 * }
 * </pre>
 */
class MariaDb private constructor(val dir: Path, val port: Int, private val process: Process) :
    AutoCloseable {
    /** The JDBC URL of [database] on this server (`""`: none chosen). */
    fun jdbcUrl(database: String): String = "jdbc:mariadb://127.0.0.1:$port/$database?user=root"

    /** Stops the server (a clean shutdown), and removes its files. */
    override fun close() {
        process.destroy()
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
        Files.walk(dir).use { paths ->
            paths.sorted(Comparator.reverseOrder()).forEach { Files.deleteIfExists(it) }
        }
    }

    companion object {
        /** Set (to anything) where MariaDB must be there: a missing one fails the tests. */
        const val REQUIRED = "COROBRIDGE_REQUIRE_MARIADB"

        private const val SERVER = "/usr/sbin/mariadbd"
        private const val INSTALL_DB = "/usr/bin/mariadb-install-db"
        private const val USER = "mysql"

        private val asRoot = System.getProperty("user.name") == "root"

        /** True when Debian's `mariadb-server` is installed. */
        @JvmStatic
        fun installed(): Boolean =
            Files.isExecutable(Path.of(SERVER)) && Files.isExecutable(Path.of(INSTALL_DB))

        /**
         * [start] for a test: without MariaDB the test is skipped, unless [REQUIRED] is set, as
         * `.ci/run` sets it, where it fails.
         */
        @JvmStatic
        @Throws(IOException::class)
        fun startOrSkip(): MariaDb {
            if (!installed()) {
                skipOrFail(
                    "no MariaDB server on this machine (Debian: apt-get install mariadb-server)",
                    REQUIRED,
                )
            }
            return start()
        }

        /**
         * Makes a data directory and starts a server on it; its settings suit tests (no binary log,
         * no flush at each commit: its data is thrown away).
         *
         * @throws IllegalStateException if MariaDB is missing or does not start
         */
        @JvmStatic
        @Throws(IOException::class)
        fun start(): MariaDb {
            check(installed()) { "no MariaDB (Debian: mariadb-server)" }
            val dir = Files.createTempDirectory("corobridge-mariadb")
            if (asRoot) {
                val owner = dir.fileSystem.userPrincipalLookupService.lookupPrincipalByName(USER)
                Files.setOwner(dir, owner)
            }
            val user = if (asRoot) listOf("--user=$USER") else emptyList()
            val install =
                ProcessBuilder(
                        listOf(INSTALL_DB, "--no-defaults", "--datadir=$dir/data") +
                            user +
                            "--auth-root-authentication-method=normal"
                    )
                    .redirectErrorStream(true)
                    .start()
            val installed = install.inputStream.readAllBytes().decodeToString()
            check(install.waitFor() == 0) { "mariadb-install-db failed: ${installed.trim()}" }
            val port = ServerSocket(0).use { it.localPort }
            val log = dir.resolve("server.log")
            val process =
                ProcessBuilder(
                        listOf(
                            SERVER,
                            "--no-defaults",
                            "--datadir=$dir/data",
                            "--port=$port",
                            "--bind-address=127.0.0.1",
                            "--socket=$dir/mariadb.sock",
                            "--pid-file=$dir/mariadb.pid",
                            "--skip-grant-tables",
                            "--skip-log-bin",
                            "--innodb-buffer-pool-size=64M",
                            "--innodb-flush-log-at-trx-commit=0",
                            "--max-connections=200",
                            "--max-recursive-iterations=100000000",
                        ) + user
                    )
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start()
            for (attempt in 1..400) {
                if (greets(port)) return MariaDb(dir, port, process)
                if (!process.isAlive) break
                Thread.sleep(25)
            }
            process.destroyForcibly().waitFor()
            error("MariaDB did not start: ${Files.readString(log).trim()}")
        }

        /** True once the server sends its handshake to a new connection: it is ready. */
        private fun greets(port: Int): Boolean =
            try {
                Socket("127.0.0.1", port).use { socket ->
                    socket.soTimeout = 1_000
                    socket.getInputStream().read() >= 0
                }
            } catch (notYet: IOException) {
                false
            }
    }
}
