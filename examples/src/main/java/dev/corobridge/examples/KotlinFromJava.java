package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Task;
import dev.corobridge.stream.AsyncStream;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Calling a Kotlin service from Java: its {@code suspend} functions through {@link
 * Async#suspending}, its {@code Flow} with a plain for loop ({@code async for}). No Kotlin wrapper
 * was written for either; see {@code WeatherService.kt}.
 */
public final class KotlinFromJava {
    private KotlinFromJava() {}

    public static void main(String[] args) throws Exception {
        var weather = new WeatherService();
        Async.run(
                () -> {
                    // Three suspend calls at once, gathered like asyncio.gather.
                    List<Task<Integer>> calls =
                            List.of("Oslo", "Lisbon", "Nairobi").stream()
                                    .map(
                                            city ->
                                                    Async.<Integer>suspending(
                                                            c -> weather.temperature(city, c)))
                                    .toList();
                    System.out.println("temperatures: " + Async.gather(calls).await());

                    try {
                        Async.<Integer>suspending(c -> weather.temperature("Atlantis", c)).await();
                    } catch (NoSuchElementException e) { // Kotlin's own exception, unwrapped
                        System.out.println("error: " + e.getMessage());
                    }

                    // async for over a Kotlin Flow; leaving the loop early stops the flow.
                    for (String reading : AsyncStream.fromFlow(weather.forecast("Oslo"))) {
                        System.out.println(reading);
                        if (reading.contains("Wed")) {
                            break;
                        }
                    }
                });
    }
}
