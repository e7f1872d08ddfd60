/**
 * corobridge: Python's asyncio model for Java, on Kotlin coroutines. Start with {@link
 * dev.corobridge.Async}.
 */
module dev.corobridge {
    requires transitive dev.corobridge.core;
    requires static transitive org.jspecify;
    requires transitive java.net.http;
    requires transitive java.sql;
    requires jdk.httpserver;
    requires java.management; // debug mode's EventLoopsMXBean

    exports dev.corobridge;
    exports dev.corobridge.io;
    exports dev.corobridge.stream;
    exports dev.corobridge.sync;
}
