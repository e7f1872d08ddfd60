package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.io.ClientSession;
import dev.corobridge.io.ServerRequest;
import dev.corobridge.io.ServerResponse;
import dev.corobridge.io.WebServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jspecify.annotations.Nullable;

/**
 * A small web service, the guide's FastAPI case (section 8): each request awaits a database query
 * and a call to another service at once, then answers JSON. The database is H2, in memory; a second
 * local server plays the other service, and a client in the same program calls the first.
 *
 * <pre>
 * &#64;app.get("/users/{id}")
 * async def user(id: str):
 *     name, orders = await asyncio.gather(db.find_name(id), orders_api.get(f"/orders/{id}"))
 *     if name is None:
 *         raise HTTPException(404, "no such user")
 *     return {"id": id, "name": name, "orders": await orders.text()}
 * </pre>
 *
 * <p>Prints the answers to three requests made at once, in the order asked for (the last user does
 * not exist: 404), then whether each took about one query's time rather than a query's and a
 * call's. The query takes half a second, as a real one might on a busy server: it calls {@code
 * PAUSE}, a function this example gives the database. JDBC blocks, so the query runs in {@code
 * Async.toThread}, never on the loop.
 */
public final class SmallService {
    private SmallService() {}

    static final Duration QUERY = Duration.ofMillis(500);

    public static void main(String[] args) throws Exception {
        JdbcConnectionPool db = openDatabase();
        try {
            serveAndCall(db);
        } finally {
            db.dispose();
        }
    }

    private static void serveAndCall(DataSource db) throws Exception {
        Async.run(
                () -> {
                    try (var orders = startOrdersService();
                            var ordersApi =
                                    ClientSession.builder()
                                            .baseUri(orders.uri().toString())
                                            .build();
                            var users =
                                    WebServer.builder()
                                            .get(
                                                    "/users/{id}",
                                                    request -> user(request, db, ordersApi))
                                            .requestTimeout(Duration.ofSeconds(5))
                                            .start(0);
                            var client = ClientSession.create()) {
                        long start = System.nanoTime();
                        List<Task<String>> calls = new ArrayList<>();
                        for (String id : List.of("1", "2", "9")) {
                            calls.add(
                                    Async.launch(
                                            () -> {
                                                try (var response =
                                                        client.get(users.uri() + "users/" + id)
                                                                .await()) {
                                                    return response.status()
                                                            + " "
                                                            + response.text().await();
                                                }
                                            }));
                        }
                        Async.gather(calls).await().forEach(System.out::println);
                        Duration took = Duration.ofNanos(System.nanoTime() - start);
                        System.out.println(
                                took.compareTo(QUERY.multipliedBy(2)) < 0
                                        ? "the query and the call ran at once"
                                        : "the query and the call ran one after the other (took "
                                                + took.toMillis()
                                                + " ms)");
                    }
                });
    }

    /** {@code async def user(id)}: the query and the call at once, then JSON. */
    static ServerResponse user(ServerRequest request, DataSource db, ClientSession ordersApi)
            throws Exception {
        String id = Objects.requireNonNull(request.pathParameter("id"));
        Task<@Nullable String> name = Async.toThread(() -> findName(db, id)); // db.find_name(id)
        Task<String> orders =
                Async.launch(() -> ordersApi.get("/orders/" + id).await().text().await());
        Async.gather(name, orders).await(); // both at once
        if (name.await() == null) {
            return ServerResponse.json(404, "{\"detail\": \"no such user\"}");
        }
        return ServerResponse.json(
                "{\"id\": \""
                        + id
                        + "\", \"name\": \""
                        + name.await()
                        + "\", \"orders\": "
                        + orders.await()
                        + "}");
    }

    /** The database query: JDBC, which blocks its thread, with a bound parameter. */
    static @Nullable String findName(DataSource db, String id) throws SQLException {
        try (Connection connection = db.getConnection();
                PreparedStatement query =
                        connection.prepareStatement(
                                "SELECT name FROM users WHERE id = ? AND PAUSE(?)")) {
            query.setString(1, id);
            query.setLong(2, QUERY.toMillis());
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** H2 in memory with its two users, and {@code PAUSE(ms)}, which makes a query take time. */
    static JdbcConnectionPool openDatabase() throws SQLException {
        var db = JdbcConnectionPool.create("jdbc:h2:mem:service;DB_CLOSE_DELAY=-1", "sa", "");
        try (Connection connection = db.getConnection();
                Statement setUp = connection.createStatement()) {
            setUp.execute(
                    "CREATE ALIAS IF NOT EXISTS PAUSE FOR \"dev.corobridge.examples.SmallService.pause\"");
            setUp.execute(
                    "CREATE TABLE IF NOT EXISTS users (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)");
            setUp.execute("MERGE INTO users KEY (id) VALUES ('1', 'Ada'), ('2', 'Grace')");
        }
        return db;
    }

    /** What {@code PAUSE(ms)} runs, in the query's own thread: waits, then lets the row through. */
    public static boolean pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    /** The other service: a user's orders, after as long as a query takes. */
    static WebServer startOrdersService() throws Exception {
        return WebServer.builder()
                .get(
                        "/orders/{id}",
                        request -> {
                            Async.sleep(QUERY).await();
                            String id = request.pathParameter("id");
                            return ServerResponse.json(
                                    "1".equals(id) ? "[\"book\", \"lamp\"]" : "[]");
                        })
                .start(0);
    }
}
