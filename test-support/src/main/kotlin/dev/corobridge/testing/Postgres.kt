package dev.corobridge.testing

import java.io.IOException
import java.net.ServerSocket
import java.net.Socket
import java.nio.file.Files
import java.nio.file.Path
import java.util.Comparator
import java.util.concurrent.TimeUnit

/**
 * A PostgreSQL cluster of its own on a free loopback port, for tests and benchmarks: made by
 * `initdb` in a temporary directory and run in the foreground, so nothing of the machine's own
 * clusters (config, service, data) is touched. It trusts local connections: user [USER], no
 * password, database `postgres`. Run as root, it runs as the `postgres` user (PostgreSQL refuses
 * root).
 * <pre>
 * try (var postgres = Postgres.startOrSkip()) {
 *     var pool = new HikariDataSource(); pool.setJdbcUrl(postgres.jdbcUrl()); pool.setUsername(Postgres.USER);
 * }
 * </pre>
 */
class Postgres
private constructor(
    val dir: Path,
    val port: Int,
    private val bin: Path,
    private val process: Process,
) : AutoCloseable {
    /** The JDBC URL of the cluster's `postgres` database. */
    fun jdbcUrl(): String = "jdbc:postgresql://127.0.0.1:$port/postgres"

    /** Stops the cluster (fast shutdown: open sessions are ended), and removes its files. */
    override fun close() {
        try {
            run(bin.resolve("pg_ctl"), "-D", "$dir/data", "-m", "fast", "-w", "stop")
        } catch (e: IllegalStateException) {
            process.destroy()
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
        Files.walk(dir).use { paths ->
            paths.sorted(Comparator.reverseOrder()).forEach { Files.deleteIfExists(it) }
        }
    }

    companion object {
        /** Set (to anything) where PostgreSQL must be there: a missing one fails the tests. */
        const val REQUIRED = "COROBRIDGE_REQUIRE_POSTGRES"

        /** The superuser the tests connect as. */
        const val USER = "postgres"

        private val asRoot = System.getProperty("user.name") == "root"

        /** The directory of `initdb` and `postgres` (Debian's newest), or null without them. */
        @JvmStatic
        fun binaries(): Path? {
            val versions = Path.of("/usr/lib/postgresql")
            if (!Files.isDirectory(versions)) return null
            return Files.list(versions).use { found ->
                found
                    .map { it.resolve("bin") }
                    .filter { Files.isExecutable(it.resolve("initdb")) }
                    .max(Comparator.comparing { it.parent.fileName.toString().toIntOrNull() ?: 0 })
                    .orElse(null)
            }
        }

        /**
         * [start] for a test: without PostgreSQL the test is skipped, unless [REQUIRED] is set, as
         * `.ci/run` sets it, where it fails.
         */
        @JvmStatic
        @Throws(IOException::class)
        fun startOrSkip(): Postgres {
            if (binaries() == null) {
                skipOrFail(
                    "no PostgreSQL server on this machine (Debian: apt-get install postgresql)",
                    REQUIRED,
                )
            }
            return start()
        }

        /**
         * Makes and starts a cluster; its settings suit tests (no fsync: its data is thrown away).
         *
         * @throws IllegalStateException if PostgreSQL is missing or does not start
         */
        @JvmStatic
        @Throws(IOException::class)
        fun start(): Postgres {
            val bin = checkNotNull(binaries()) { "no PostgreSQL (Debian: postgresql)" }
            val dir = Files.createTempDirectory("corobridge-postgres")
            if (asRoot) {
                val owner = dir.fileSystem.userPrincipalLookupService.lookupPrincipalByName(USER)
                Files.setOwner(dir, owner)
            }
            run(
                bin.resolve("initdb"),
                "-D",
                "$dir/data",
                "-U",
                USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            )
            val port = ServerSocket(0).use { it.localPort }
            val out = dir.resolve("server.log")
            val process =
                ProcessBuilder(
                        asUser(
                            bin.resolve("postgres"),
                            "-D",
                            "$dir/data",
                            "-p",
                            "$port",
                            "-k",
                            "$dir",
                            "-c",
                            "listen_addresses=127.0.0.1",
                            "-c",
                            "fsync=off",
                            "-c",
                            "synchronous_commit=off",
                            "-c",
                            "full_page_writes=off",
                            "-c",
                            "max_connections=200",
                        )
                    )
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start()
            for (attempt in 1..400) {
                try {
                    Socket("127.0.0.1", port).close()
                    if (ready(bin, port)) return Postgres(dir, port, bin, process)
                } catch (notYet: IOException) {
                    if (!process.isAlive) break
                }
                Thread.sleep(25)
            }
            process.destroyForcibly().waitFor()
            error("PostgreSQL did not start: ${Files.readString(out).trim()}")
        }

        private fun ready(bin: Path, port: Int): Boolean {
            val check =
                ProcessBuilder(
                        bin.resolve("pg_isready").toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        "$port",
                    )
                    .redirectErrorStream(true)
                    .start()
            check.inputStream.readAllBytes()
            return check.waitFor() == 0
        }

        private fun asUser(program: Path, vararg arguments: String): List<String> =
            (if (asRoot) listOf("runuser", "-u", USER, "--") else emptyList()) +
                program.toString() +
                arguments

        private fun run(program: Path, vararg arguments: String) {
            val process =
                ProcessBuilder(asUser(program, *arguments)).redirectErrorStream(true).start()
            val output = process.inputStream.readAllBytes().decodeToString()
            check(process.waitFor() == 0) { "${program.fileName} failed: ${output.trim()}" }
        }
    }
}
