/**
 * corobridge's engine, on kotlinx-coroutines. Its package {@code dev.corobridge.core} is exported
 * to the Java facade ({@code dev.corobridge}) only; Kotlin code uses {@code dev.corobridge.kotlin}.
 */
module dev.corobridge.core {
    requires transitive kotlin.stdlib;
    requires transitive kotlinx.coroutines.core;
    requires transitive java.net.http;
    requires transitive java.sql;

    exports dev.corobridge.core to
            dev.corobridge;
    exports dev.corobridge.kotlin;
}
