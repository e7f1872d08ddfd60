package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SmokeTest {
    @Test
    @Timeout(10)
    void gatheredSleepsOverlap() throws Exception {
        var trail = new Trail();
        long start = System.nanoTime();
        Async.run(() -> {
            List<Task<Void>> tasks = IntStream.range(0, 3)
                    .mapToObj(i -> Async.launch(() -> {
                        trail.add("Start " + i);
                        Async.sleep(Duration.ofSeconds(1)).await();
                        trail.add("End " + i);
                    }))
                    .toList();
            Async.gather(tasks).await();
        });
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("Start 0", "Start 1", "Start 2", "End 0", "End 1", "End 2"), trail.events());
        assertTrue(millis < 2500, "took " + millis + " ms");
    }
}
