package dev.corobridge;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** Runs a body on a loop of each available body-thread kind, for parameterized behaviour tests. */
final class Loops {
    private Loops() {}

    /** The body-thread kinds this JDK can run: PLATFORM always, VIRTUAL on JDK 21+. */
    static Stream<BodyThreads> kinds() {
        return Arrays.stream(BodyThreads.values())
                .filter(
                        kind ->
                                kind == BodyThreads.PLATFORM
                                        || BodyThreads.preferred() == BodyThreads.VIRTUAL);
    }

    static <T> T run(BodyThreads kind, Callable<T> body) throws Exception {
        try (EventLoop loop = EventLoop.create(kind)) {
            return loop.runUntilComplete(body);
        }
    }

    static void run(BodyThreads kind, AsyncRunnable body) throws Exception {
        try (EventLoop loop = EventLoop.create(kind)) {
            loop.runUntilComplete(body);
        }
    }
}
