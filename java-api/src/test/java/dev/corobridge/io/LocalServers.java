package dev.corobridge.io;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Servers on loopback for the client's tests: the JDK's, and a raw one that sees disconnects. */
final class LocalServers {
    private LocalServers() {}

    /** The JDK's built-in server on a free loopback port, a thread per exchange. */
    static final class Jdk implements AutoCloseable {
        final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();

        Jdk() throws IOException {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(executor);
            server.start();
        }

        Jdk route(String path, HttpHandler handler) {
            server.createContext(path, handler);
            return this;
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A server that reads one request's headers, writes {@code response} (possibly only the start
     * of one), and then waits for the client to close the connection, which it records.
     */
    static final class Raw implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;
        final CountDownLatch requestSeen = new CountDownLatch(1);
        final CountDownLatch clientClosed = new CountDownLatch(1);

        Raw(String response) throws IOException {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            acceptor =
                    new Thread(
                            () -> {
                                try (Socket client = socket.accept()) {
                                    InputStream in = client.getInputStream();
                                    readHeaders(in);
                                    requestSeen.countDown();
                                    OutputStream out = client.getOutputStream();
                                    out.write(response.getBytes(StandardCharsets.US_ASCII));
                                    out.flush();
                                    while (in.read() != -1) {
                                        // the client sends nothing more; -1 is its close
                                    }
                                    clientClosed.countDown();
                                } catch (IOException e) {
                                    clientClosed.countDown(); // a reset is a close too
                                }
                            },
                            "raw-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String base() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private static void readHeaders(InputStream in) throws IOException {
            var line = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n') {
                    if (line.size() == 0 || (line.size() == 1 && line.toByteArray()[0] == '\r')) {
                        return;
                    }
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                acceptor.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
