package dev.corobridge;

import java.util.Arrays;
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
            return loop.runUntilComplete(body);
        }
    }

    public static void run(BodyThreads kind, AsyncRunnable body) throws Exception {
        try (EventLoop loop = EventLoop.create(kind)) {
            loop.runUntilComplete(body);
        }
    }
}
