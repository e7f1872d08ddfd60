package dev.corobridge.testing

import java.io.IOException
import java.net.ServerSocket
import java.net.Socket
import java.net.URI
import java.nio.file.Files
import java.nio.file.Path
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory

/**
 * An nginx of its own on a free loopback port, for tests and benchmarks that need an HTTP server
 * that is not the JDK's: it runs in the foreground from a temporary directory, so nothing of the
 * machine's own nginx (config, logs, service) is touched.
 *
 * [locations] is the body of the `server` block. Every request is logged to [accessLog] as `method
 * uri status bytes_sent completion connection`, where completion is `OK` only for a response sent
 * to the end (a client that went away mid-body leaves it empty), and `/nginx-status` serves nginx's
 * connection counts ([activeConnections]).
 * <pre>
 * try (var nginx = Nginx.startOrSkip("location /hello { return 200 'hi'; }")) {
 *     var text = session.get(nginx.uri("/hello").toString()).await().text().await();
 * }
 * </pre>
 */
class Nginx
private constructor(
    val dir: Path,
    val port: Int,
    private val process: Process,
    private val tls: Boolean,
) : AutoCloseable {
    /** [path] on this server: `http://127.0.0.1:port/path`, or `https` with [TLS]. */
    fun uri(path: String): URI =
        URI.create("${if (tls) "https" else "http"}://127.0.0.1:$port$path")

    /** The access log's lines so far (see the class comment for their fields). */
    fun accessLog(): List<String> {
        val log = dir.resolve("access.log")
        return if (Files.exists(log)) Files.readAllLines(log) else emptyList()
    }

    /**
     * The connections nginx has open to clients, as its `stub_status` counts them, not counting the
     * one that asks.
     */
    fun activeConnections(): Int {
        check(!tls) { "activeConnections needs a plain-HTTP nginx" }
        // A raw request of its own: whatever client the test uses must not be the one counted.
        Socket("127.0.0.1", port).use { socket ->
            socket
                .getOutputStream()
                .write(
                    "GET /nginx-status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .toByteArray()
                )
            val reply = socket.getInputStream().readAllBytes().decodeToString()
            val counted =
                Regex("Active connections: (\\d+)").find(reply)?.groupValues?.get(1)
                    ?: error("nginx's status page gave no connection count: $reply")
            return counted.toInt() - 1
        }
    }

    /** A context that trusts this server's self-signed certificate (with [TLS] only). */
    fun sslContext(): SSLContext {
        check(tls) { "this nginx serves plain HTTP; start it with tls = true" }
        val certificate =
            Files.newInputStream(dir.resolve("cert.pem")).use {
                CertificateFactory.getInstance("X.509").generateCertificate(it)
            }
        val trusted = KeyStore.getInstance(KeyStore.getDefaultType())
        trusted.load(null, null)
        trusted.setCertificateEntry("nginx", certificate)
        val trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
        trust.init(trusted)
        return SSLContext.getInstance("TLS").apply { init(null, trust.trustManagers, null) }
    }

    /** Stops nginx and waits for it to go. */
    override fun close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
    }

    companion object {
        /** Set (to anything) where nginx must be there: a missing one fails instead of skipping. */
        const val REQUIRED = "COROBRIDGE_REQUIRE_NGINX"

        /** The `nginx` executable, or null when it is not installed (Debian: `nginx-light`). */
        @JvmStatic
        fun executable(): Path? =
            (System.getenv("PATH").orEmpty().split(':') + listOf("/usr/sbin", "/usr/local/sbin"))
                .map { Path.of(it, "nginx") }
                .firstOrNull { Files.isExecutable(it) }

        /**
         * [start] for a test: without nginx the test is skipped, unless [REQUIRED] is set, as
         * `.ci/run` sets it, where it fails.
         */
        @JvmStatic
        @JvmOverloads
        @Throws(IOException::class)
        fun startOrSkip(locations: String, tls: Boolean = false, http: String = ""): Nginx {
            if (executable() == null) {
                skipOrFail(
                    "no nginx on this machine (Debian: apt-get install nginx-light)",
                    REQUIRED,
                )
            }
            return start(locations, tls, http = http)
        }

        /**
         * Starts nginx with [locations] as its `server` block's body; with [tls], over HTTPS and
         * HTTP/2 with a fresh self-signed certificate for 127.0.0.1 (`openssl` makes it). With
         * [accessLog] false nothing is logged (a benchmark's server). [http] goes into the `http`
         * block, for what must be declared there (a `limit_conn_zone`).
         *
         * @throws IllegalStateException if nginx is missing or does not start
         */
        @JvmStatic
        @JvmOverloads
        @Throws(IOException::class)
        fun start(
            locations: String,
            tls: Boolean = false,
            accessLog: Boolean = true,
            http: String = "",
        ): Nginx {
            val nginx = checkNotNull(executable()) { "no nginx (Debian: nginx-light)" }
            val dir = Files.createTempDirectory("corobridge-nginx")
            Files.createDirectories(dir.resolve("logs"))
            if (tls) makeCertificate(dir)
            val port = ServerSocket(0).use { it.localPort }
            val listen =
                if (tls)
                    "listen 127.0.0.1:$port ssl http2 backlog=4096;\n" +
                        "ssl_certificate $dir/cert.pem; ssl_certificate_key $dir/key.pem;"
                else "listen 127.0.0.1:$port backlog=4096;"
            val logging =
                if (accessLog)
                    "log_format corobridge '\$request_method \$uri \$status \$bytes_sent " +
                        "\$request_completion \$connection';\n" +
                        "access_log $dir/access.log corobridge;"
                else "access_log off;"
            Files.writeString(
                dir.resolve("nginx.conf"),
                """
                worker_processes 1;
                daemon off;
                pid $dir/nginx.pid;
                error_log stderr error;
                events { worker_connections 4096; }
                http {
                    $logging
                    keepalive_requests 1000000;
                    client_body_temp_path $dir;
                    proxy_temp_path $dir;
                    fastcgi_temp_path $dir;
                    uwsgi_temp_path $dir;
                    scgi_temp_path $dir;
                    default_type text/plain;
                    $http
                    server {
                        $listen
                        location = /nginx-status { stub_status; access_log off; }
                        $locations
                    }
                }
                """
                    .trimIndent(),
            )
            val out = dir.resolve("logs/out.txt")
            val process =
                ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", "$dir/nginx.conf")
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start()
            for (attempt in 1..200) {
                try {
                    Socket("127.0.0.1", port).use { it.shutdownOutput() } // it listens: up
                    return Nginx(dir, port, process, tls)
                } catch (notYet: IOException) {
                    if (!process.isAlive) break
                    Thread.sleep(25)
                }
            }
            process.destroyForcibly().waitFor()
            error("nginx did not start: ${Files.readString(out).trim()}")
        }

        private fun makeCertificate(dir: Path) {
            val openssl =
                ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        "$dir/key.pem",
                        "-out",
                        "$dir/cert.pem",
                    )
                    .redirectErrorStream(true)
                    .start()
            val output = openssl.inputStream.readAllBytes().decodeToString()
            check(openssl.waitFor() == 0) { "openssl could not make a certificate: $output" }
        }
    }
}
