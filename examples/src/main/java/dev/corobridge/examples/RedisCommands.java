package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.AsyncCloseable;
import dev.corobridge.stream.AsyncStream;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import reactor.adapter.JdkFlowAdapter;

/**
 * Redis (guide section 7.2, aioredis) with Lettuce: its async API returns {@code CompletionStage}s,
 * which a task awaits directly with {@link Async#await}, no client of our own. Commands, 100 of
 * them at once, a pipeline, a command cancelled mid-flight, and pub/sub as an {@link AsyncStream}.
 *
 * <pre>
 * async def main():
 *     redis = aioredis.from_url(url)
 *     await redis.set("greeting", "hello")
 *     await asyncio.gather(*(redis.incr("visits") for _ in range(100)))
 *     async with redis.pipeline() as pipe:
 *         for i in range(10): pipe.set(f"key:{i}", i)
 *         await pipe.execute()
 *     async with redis.pubsub() as pubsub:
 *         await pubsub.subscribe("news")
 *         async for message in pubsub.listen(): print(message)
 * </pre>
 *
 * <p>The command cancelled mid-flight is redis-py's lesson (CVE-2023-28858): there, a command
 * cancelled after it was sent left its reply unread, and the connection answered the next command
 * with it. Lettuce matches every reply to its command, a cancelled one too, so the next command
 * gets its own reply; the cancelled command still ran in the server, though (a cancelled {@code
 * BLPOP} can still take an item).
 *
 * <p>Starts a {@code redis-server} of its own on a free loopback port (Debian's {@code
 * redis-server}); a {@code redis://} URI as its argument points it at another server instead. With
 * neither, it says so and stops.
 */
public final class RedisCommands {
    private RedisCommands() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            run(args[0]);
        } else if (LocalRedis.executable() == null) {
            System.out.println(
                    "skipped: no redis-server on this machine (Debian: apt-get install"
                            + " redis-server); or give a redis:// URI");
        } else {
            try (var server = LocalRedis.start()) {
                run(server.uri());
            }
        }
    }

    @SuppressWarnings("try") // closed by try-with-resources, not used in its body
    static void run(String uri) throws Exception {
        RedisURI server = RedisURI.create(uri);
        RedisClient client = RedisClient.create();
        try {
            Async.run(
                    () -> {
                        StatefulRedisConnection<String, String> connection =
                                Async.await(client.connectAsync(StringCodec.UTF8, server));
                        StatefulRedisConnection<String, String> other =
                                Async.await(client.connectAsync(StringCodec.UTF8, server));
                        try (AsyncCloseable<RuntimeException> closing = connection::closeAsync;
                                AsyncCloseable<RuntimeException> closingOther = other::closeAsync) {
                            RedisAsyncCommands<String, String> redis = connection.async();
                            Async.await(redis.flushdb());
                            commands(redis);
                            pipeline(connection);
                            cancelledMidFlight(redis, other.async());
                            pubSub(client, server, redis);
                        }
                        return null;
                    });
        } finally {
            client.shutdown(); // its threads end here
        }
    }

    /** {@code await redis.set(...)}, and 100 INCRs at once on one connection. */
    static void commands(RedisAsyncCommands<String, String> redis) throws Exception {
        Async.await(redis.set("greeting", "hello"));
        System.out.println("greeting: " + Async.await(redis.get("greeting")));
        List<CompletableFuture<Long>> increments = new ArrayList<>();
        for (int i = 0; i < 100; i++) increments.add(redis.incr("visits").toCompletableFuture());
        Async.gather(increments).await();
        System.out.println("visits: " + Async.await(redis.get("visits")) + " after 100 INCRs");
    }

    /** {@code async with redis.pipeline()}: ten SETs sent in one write. */
    static void pipeline(StatefulRedisConnection<String, String> connection) throws Exception {
        RedisAsyncCommands<String, String> redis = connection.async();
        List<CompletableFuture<String>> sets = new ArrayList<>();
        connection.setAutoFlushCommands(false);
        try {
            for (int i = 0; i < 10; i++) {
                sets.add(redis.set("key:" + i, Integer.toString(i)).toCompletableFuture());
            }
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        Async.gather(sets).await();
        List<String> values = new ArrayList<>();
        for (var value : Async.await(redis.mget("key:0", "key:5", "key:9"))) {
            values.add(value.getValue());
        }
        System.out.println("pipelined 10 SETs, then MGET: " + values);
    }

    /** A BLPOP cancelled by its timeout, then the next command on the same connection. */
    static void cancelledMidFlight(
            RedisAsyncCommands<String, String> redis, RedisAsyncCommands<String, String> other)
            throws Exception {
        RedisFuture<?> blpop = redis.blpop(5, "jobs");
        try {
            Async.timeout(Duration.ofMillis(200), () -> Async.await(blpop)).await();
        } catch (TimeoutException e) {
            blpop.cancel(true);
            System.out.println("BLPOP cancelled by its timeout");
        }
        // Its reply, when it comes, carries data: the next command must not get it.
        Async.await(other.rpush("jobs", "job 1"));
        System.out.println("GET greeting after it: " + Async.await(redis.get("greeting")));
        System.out.println(
                "jobs left: "
                        + Async.await(redis.llen("jobs"))
                        + " (the cancelled BLPOP took one)");
    }

    /** {@code async for message in pubsub.listen()}: three messages as an AsyncStream. */
    @SuppressWarnings("try") // closed by try-with-resources, not used in its body
    static void pubSub(
            RedisClient client, RedisURI server, RedisAsyncCommands<String, String> redis)
            throws Exception {
        StatefulRedisPubSubConnection<String, String> subscriber =
                Async.await(client.connectPubSubAsync(StringCodec.UTF8, server));
        try (AsyncCloseable<RuntimeException> closing = subscriber::closeAsync) {
            // Listening from now on (a few kept for the loop), so that nothing published before
            // the loop's first hasNext is missed.
            var messages = subscriber.reactive().observeChannels().replay(16).autoConnect(0);
            AsyncStream<ChannelMessage<String, String>> news =
                    AsyncStream.fromPublisher(JdkFlowAdapter.publisherToFlowPublisher(messages));
            Async.await(subscriber.async().subscribe("news"));
            for (int i = 1; i <= 3; i++) Async.await(redis.publish("news", "headline " + i));
            for (var message : news.take(3)) {
                System.out.println(message.getChannel() + ": " + message.getMessage());
            }
        }
    }
}
