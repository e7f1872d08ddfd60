package dev.corobridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Runs a body on a loop of each available body-thread kind, for parameterized behaviour tests. */
public final class Loops {
    private Loops() {}

    /** The body-thread kinds this JDK can run: PLATFORM always, VIRTUAL on JDK 21+. */
    public static Stream<BodyThreads> kinds() {
        return Arrays.stream(BodyThreads.values())
                .filter(
                        kind ->
                                kind == BodyThreads.PLATFORM
                                        || BodyThreads.preferred() == BodyThreads.VIRTUAL);
    }

    public static <T> T run(BodyThreads kind, Callable<T> body) throws Exception {
        try (EventLoop loop = EventLoop.create(kind)) {
            return loop.runBlocking(body);
        }
    }

    public static void run(BodyThreads kind, AsyncRunnable body) throws Exception {
        try (EventLoop loop = EventLoop.create(kind)) {
            loop.runBlocking(body);
        }
    }

    /** A loop's result together with the failures its exception handler was given. */
    public record Reported<T>(T value, List<Throwable> failures) {}

    /** Runs {@code body} on a loop of {@code kind}, collecting every failure the loop reports. */
    public static <T> Reported<T> runCollectingReports(BodyThreads kind, Callable<T> body)
            throws Exception {
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (EventLoop loop = EventLoop.create(kind)) {
            loop.setExceptionHandler((name, failure) -> failures.add(failure));
            T value = loop.runBlocking(body);
            return new Reported<>(value, List.copyOf(failures));
        }
    }
}
