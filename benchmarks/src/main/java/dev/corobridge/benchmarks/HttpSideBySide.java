package dev.corobridge.benchmarks;

import dev.corobridge.testing.Nginx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP rows, ratios in one run, the same local servers for all: {@code --requests} GETs (20k)
 * with at most {@code --in-flight} (256) at once against nginx on loopback, one fresh process per
 * client and run; and {@code wrk} against each server ({@code --wrk-seconds} after a warm-up of
 * half as long, {@code --wrk-connections} connections, two threads). Writes {@code
 * docs/benchmarks-http.md} unless {@code --no-write}.
 *
 * <pre>
 * mvn -q -B -pl benchmarks -am compile exec:java -Dbenchmarks.main=dev.corobridge.benchmarks.HttpSideBySide
 * </pre>
 *
 * Needs {@code nginx}, {@code wrk} and {@code python3-aiohttp} for {@code /usr/bin/python3} (Debian
 * packages); a row whose tool is missing is left out, and the report says so.
 */
public final class HttpSideBySide {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String NGINX_BODY = "hello from nginx\n";

    private HttpSideBySide() {}

    record Options(
            int requests,
            int warmUp,
            int inFlight,
            int runs,
            int wrkSeconds,
            int wrkConnections,
            @Nullable Path out) {
        static Options parse(String[] args) {
            int requests = 20_000,
                    warmUp = 10_000,
                    inFlight = 256,
                    runs = 3,
                    seconds = 5,
                    connections = 64;
            Path out = Path.of("docs", "benchmarks-http.md");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--requests" -> requests = Integer.parseInt(args[++i]);
                    case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                    case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--wrk-seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--wrk-connections" -> connections = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--no-write" -> out = null;
                    default ->
                            throw new IllegalArgumentException(
                                    "usage: HttpSideBySide [--requests N] [--warm-up W] [--in-flight K] [--runs R] [--wrk-seconds S]"
                                            + " [--wrk-connections C] [--out FILE | --no-write]; unknown: "
                                            + args[i]);
                }
            }
            return new Options(requests, warmUp, inFlight, runs, seconds, connections, out);
        }
    }

    record WrkResult(double requestsPerSecond, String p50, String p99, long errors) {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String loadAtStart = SideBySide.loadAverage();
        List<String> notes = new ArrayList<>();
        boolean aiohttp = hasAiohttp();
        if (!aiohttp)
            notes.add(
                    "aiohttp rows left out: "
                            + PYTHON
                            + " has no aiohttp (Debian: python3-aiohttp)");
        Path script = SideBySide.extractScript("http_workload.py");

        Map<HttpWorkloads.Client, List<Measurement>> clients =
                new EnumMap<>(HttpWorkloads.Client.class);
        Nginx nginx = startNginx(notes);
        if (nginx != null) {
            try (nginx) {
                String url = nginx.uri("/hello").toString();
                for (int run = 1; run <= options.runs(); run++) {
                    for (HttpWorkloads.Client client : HttpWorkloads.Client.values()) {
                        if (client == HttpWorkloads.Client.AIOHTTP && !aiohttp) continue;
                        if ((client == HttpWorkloads.Client.VIRTUAL_THREADS
                                        || client == HttpWorkloads.Client.SEND_ASYNC_VIRTUAL)
                                && VirtualThreads.factory().isEmpty()) continue;
                        Measurement measured = runClient(client, url, options, script);
                        System.err.printf(
                                "client %-20s run %d: %.0f ms%n",
                                client, run, measured.wallNanos() / 1e6);
                        clients.computeIfAbsent(client, c -> new ArrayList<>()).add(measured);
                    }
                }
            }
        }

        Map<HttpWorkloads.Server, WrkResult> servers = new EnumMap<>(HttpWorkloads.Server.class);
        if (which("wrk") == null) {
            notes.add("server rows left out: no wrk (Debian: wrk)");
        } else {
            for (HttpWorkloads.Server server : HttpWorkloads.Server.values()) {
                if (server == HttpWorkloads.Server.AIOHTTP && !aiohttp) continue;
                if (server == HttpWorkloads.Server.JDK_VIRTUAL_THREADS
                        && VirtualThreads.factory().isEmpty()) {
                    notes.add("the JDK server row needs virtual threads (JDK 21+)");
                    continue;
                }
                WrkResult result = loadServer(server, options, script);
                System.err.printf(
                        "server %-20s %.0f requests/s%n", server, result.requestsPerSecond());
                servers.put(server, result);
            }
        }
        String report =
                report(options, clients, servers, notes, loadAtStart, SideBySide.loadAverage());
        System.out.println(report);
        if (options.out() != null) {
            Files.writeString(options.out(), report);
            System.err.println("wrote " + options.out().toAbsolutePath());
        }
    }

    // --- clients

    private static Measurement runClient(
            HttpWorkloads.Client client, String url, Options options, Path script)
            throws Exception {
        List<String> args =
                List.of(
                        url,
                        Integer.toString(options.requests()),
                        Integer.toString(options.inFlight()),
                        Integer.toString(options.warmUp()));
        List<String> command;
        if (client == HttpWorkloads.Client.AIOHTTP) {
            command = new ArrayList<>(List.of(PYTHON, script.toString(), "client"));
            command.addAll(args);
        } else {
            List<String> childArgs = new ArrayList<>(List.of("client", client.name()));
            childArgs.addAll(args);
            command = ChildJvm.command(List.of(), HttpChild.class.getName(), childArgs);
        }
        return ChildRuns.run(
                client.toString(), command, (long) options.requests() * NGINX_BODY.length());
    }

    private static @Nullable Nginx startNginx(List<String> notes) {
        if (Nginx.executable() == null) {
            notes.add("client rows left out: no nginx (Debian: nginx-light)");
            return null;
        }
        try {
            return Nginx.start(
                    "location / { return 200 \"" + NGINX_BODY.replace("\n", "\\n") + "\"; }",
                    false,
                    false,
                    "");
        } catch (IOException | IllegalStateException e) {
            notes.add("client rows left out: nginx did not start (" + e.getMessage() + ")");
            return null;
        }
    }

    // --- servers

    private static WrkResult loadServer(HttpWorkloads.Server server, Options options, Path script)
            throws Exception {
        List<String> command =
                server == HttpWorkloads.Server.AIOHTTP
                        ? List.of(PYTHON, script.toString(), "server")
                        : ChildJvm.command(
                                List.of(),
                                HttpChild.class.getName(),
                                List.of("server", server.name()));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var out =
                    new BufferedReader(
                            new InputStreamReader(
                                    process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("PORT ")) {
                throw new IllegalStateException(server + " did not start: " + line);
            }
            String url = "http://127.0.0.1:" + line.substring(5).trim() + "/hello";
            wrk(
                    url,
                    options,
                    Math.max(1, options.wrkSeconds() / 2)); // warm-up: the JIT, connections
            return wrk(url, options, options.wrkSeconds());
        } finally {
            process.getOutputStream().close(); // end of stdin: the server stops
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    private static WrkResult wrk(String url, Options options, int seconds) throws Exception {
        Process wrk =
                new ProcessBuilder(
                                "wrk",
                                "-t2",
                                "-c" + options.wrkConnections(),
                                "-d" + seconds + "s",
                                "--latency",
                                url)
                        .redirectErrorStream(true)
                        .start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) throw new IllegalStateException("wrk failed: " + output);
        double rate = Double.parseDouble(find(output, "Requests/sec:\\s+([0-9.]+)"));
        String p50 = find(output, "\\s50%\\s+(\\S+)");
        String p99 = find(output, "\\s99%\\s+(\\S+)");
        Matcher errors = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
        long failed = errors.find() ? Long.parseLong(errors.group(1)) : 0;
        Matcher socket =
                Pattern.compile(
                                "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)")
                        .matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) failed += Long.parseLong(socket.group(g));
        }
        return new WrkResult(rate, p50, p99, failed);
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find())
            throw new IllegalStateException("no " + regex + " in wrk's output:\n" + text);
        return matcher.group(1);
    }

    // --- report

    static String report(
            Options options,
            Map<HttpWorkloads.Client, List<Measurement>> clients,
            Map<HttpWorkloads.Server, WrkResult> servers,
            List<String> notes,
            String loadAtStart,
            String loadAtEnd) {
        var out =
                ChildRuns.head(
                        "HTTP benchmarks",
                        HttpSideBySide.class,
                        options.runs(),
                        "the clients, the servers and wrk",
                        notes,
                        loadAtStart,
                        loadAtEnd);
        if (!clients.isEmpty()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "## %,d GETs, at most %d in flight, against nginx on loopback%n%n",
                            options.requests(),
                            options.inFlight()));
            ChildRuns.table(
                    out,
                    "client",
                    "sendAsync",
                    "requests",
                    ChildRuns.byLabel(clients, client -> client.label),
                    clients.get(HttpWorkloads.Client.SEND_ASYNC),
                    options.requests());
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%nEach process first makes %,d GETs untimed (a cold run of this size is mostly"
                                    + " the JIT compiling the HTTP client: measured, 6-7 s of compilation in a 4-5 s"
                                    + " run on 2 CPUs), then the timed ones. Every client reads every body (the sum of"
                                    + " their lengths is checked). corobridge's session has `limit(%d)` and runs the"
                                    + " JDK's client on a virtual thread per task of its executor (JDK 21+); the raw"
                                    + " client takes a `Semaphore` permit per request, on the JDK's default executor"
                                    + " (a pool of platform threads) or on virtual threads like the session's.%n%n",
                            options.warmUp(),
                            options.inFlight()));
        }
        if (!servers.isEmpty()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "## `wrk -t2 -c%d -d%ds --latency` against GET /hello (after a warm-up of %ds)%n%n",
                            options.wrkConnections(),
                            options.wrkSeconds(),
                            Math.max(1, options.wrkSeconds() / 2)));
            out.append(
                    "| server | requests/s | × JDK server | p50 | p99 | errors |\n|---|---|---|---|---|---|\n");
            WrkResult jdk = servers.get(HttpWorkloads.Server.JDK_VIRTUAL_THREADS);
            for (var entry : servers.entrySet()) {
                WrkResult result = entry.getValue();
                out.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %,.0f | %s | %s | %s | %d |%n",
                                entry.getKey().label,
                                result.requestsPerSecond(),
                                jdk == null
                                        ? "–"
                                        : String.format(
                                                Locale.ROOT,
                                                "%.2f×",
                                                result.requestsPerSecond()
                                                        / jdk.requestsPerSecond()),
                                result.p50(),
                                result.p99(),
                                result.errors()));
            }
            out.append(
                    "\nOne process per server, one run each: wrk's own run is long enough to average.\n\n");
        }
        out.append(
                "## Rerun\n\n```\nmvn -q -B -pl benchmarks -am compile exec:java "
                        + "-Dbenchmarks.main=dev.corobridge.benchmarks.HttpSideBySide\n```\n");
        return out.toString();
    }

    // --- tools

    private static @Nullable String which(String tool) {
        for (String dir : Objects.requireNonNullElse(System.getenv("PATH"), "").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return null;
    }

    private static boolean hasAiohttp() throws InterruptedException {
        try {
            return new ProcessBuilder(PYTHON, "-c", "import aiohttp").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
