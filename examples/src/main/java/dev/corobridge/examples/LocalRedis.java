package dev.corobridge.examples;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of the Redis example's own, on a free loopback port, persisting nothing:
 * the example (and its tests) never touch a server of the machine's.
 */
final class LocalRedis implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private LocalRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Debian's {@code redis-server} (package {@code redis-server}), or null when absent. */
    static Path executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin", "/usr/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
    }

    /** Starts a server and waits until it accepts connections. */
    static LocalRedis start() throws IOException, InterruptedException {
        Path executable = executable();
        if (executable == null) {
            throw new IllegalStateException(
                    "no redis-server on this machine (Debian: apt-get install redis-server)");
        }
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("corobridge-redis");
        Process process =
                new ProcessBuilder(
                                List.of(
                                        executable.toString(),
                                        "--port",
                                        Integer.toString(port),
                                        "--bind",
                                        "127.0.0.1",
                                        "--save",
                                        "",
                                        "--appendonly",
                                        "no",
                                        "--dir",
                                        dir.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
        for (int attempt = 0; attempt < 400 && process.isAlive(); attempt++) {
            try {
                new Socket("127.0.0.1", port).close(); // it listens: up
                return new LocalRedis(process, port, dir);
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
                "redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
    }

    /** {@code redis://127.0.0.1:port}. */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server and waits for it to go. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(dir.resolve("redis.log"));
        Files.deleteIfExists(dir);
    }
}
