package dev.corobridge.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.corobridge.Async;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One JVM process of {@link HttpSideBySide}:
 *
 * <pre>
 * HttpChild client CLIENT URL REQUESTS IN_FLIGHT WARM_UP   prints CHECKSUM and the RESULT line
 * HttpChild server SERVER                          prints "PORT n", serves until stdin ends
 * </pre>
 */
public final class HttpChild {
    private HttpChild() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("client")) {
            var client = HttpWorkloads.Client.valueOf(args[1]);
            URI url = URI.create(args[2]);
            int inFlight = Integer.parseInt(args[4]);
            // Warm-up: a cold run of 20k requests is mostly the JIT compiling the HTTP client.
            HttpWorkloads.run(client, url, Integer.parseInt(args[5]), inFlight);
            double cpuBefore = ProcessStats.cpuNanos();
            long start = System.nanoTime();
            long checksum =
                    HttpWorkloads.run(
                            client,
                            URI.create(args[2]),
                            Integer.parseInt(args[3]),
                            Integer.parseInt(args[4]));
            long wall = System.nanoTime() - start;
            double cpu = ProcessStats.cpuNanos() - cpuBefore;
            System.out.println("CHECKSUM " + checksum);
            System.out.println(
                    new Measurement(wall, cpu, ProcessStats.peakRssBytes(), Double.NaN).toLine());
        } else {
            serve(HttpWorkloads.Server.valueOf(args[1]));
        }
        System.out.flush();
        System.exit(0); // pool threads of the clients must not keep the process
    }

    private static void serve(HttpWorkloads.Server kind) throws Exception {
        switch (kind) {
            case COROBRIDGE ->
                    Async.run(
                            () -> {
                                try (var server = HttpWorkloads.corobridgeServer(0)) {
                                    System.out.println("PORT " + server.port());
                                    System.out.flush();
                                    Async.toThread(HttpChild::awaitEndOfInput).await();
                                }
                            });
            case JDK_VIRTUAL_THREADS -> {
                var server =
                        HttpServer.create(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
                var threads = VirtualThreads.require();
                server.setExecutor(work -> threads.newThread(work).start());
                byte[] hello = "hello from the JDK\n".getBytes(StandardCharsets.UTF_8);
                server.createContext(
                        "/hello",
                        exchange -> {
                            exchange.getResponseHeaders()
                                    .set("Content-Type", "text/plain; charset=utf-8");
                            exchange.sendResponseHeaders(200, hello.length);
                            try (OutputStream out = exchange.getResponseBody()) {
                                out.write(hello);
                            }
                        });
                server.start();
                System.out.println("PORT " + server.getAddress().getPort());
                System.out.flush();
                awaitEndOfInput();
                server.stop(0);
            }
            case AIOHTTP -> throw new IllegalArgumentException("aiohttp runs in python3");
        }
    }

    private static Void awaitEndOfInput() throws IOException {
        InputStream in = System.in;
        while (in.read() != -1) {
            // the parent closes our stdin to stop us
        }
        return null;
    }
}
