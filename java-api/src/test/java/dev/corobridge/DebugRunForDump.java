package dev.corobridge;

import java.time.Duration;
import java.util.List;

/**
 * A program in debug mode whose tasks wait, for {@link DumpFromOutsideTest}: it prints "ready" once
 * its tasks are started and ends when its standard input closes.
 */
final class DebugRunForDump {
    private DebugRunForDump() {}

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    Task<List<Void>> crawler =
                            Async.launch(
                                    "crawler",
                                    () ->
                                            Async.gather(
                                                            List.of(
                                                                    Async.launch(
                                                                            "fetch-1",
                                                                            DebugRunForDump::fetch),
                                                                    Async.launch(
                                                                            "fetch-2",
                                                                            DebugRunForDump
                                                                                    ::fetch)))
                                                    .await());
                    for (int i = 0; i < 5; i++) Async.yieldNow().await();
                    System.out.println("ready");
                    System.out.flush();
                    Async.toThread(() -> System.in.readAllBytes()).await();
                    crawler.cancel();
                    return null;
                });
    }

    private static Void fetch() throws Exception {
        return Async.sleep(Duration.ofMinutes(10)).await();
    }
}
