package dev.corobridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TaskGroupTest {
    @Test
    void groupWaitsForAllItsTasks() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    Async.taskGroup(
                                    group -> {
                                        group.launch(
                                                () -> {
                                                    Async.sleep(Duration.ofMillis(30)).await();
                                                    trail.add("a");
                                                });
                                        group.launch(
                                                () -> {
                                                    Async.sleep(Duration.ofMillis(10)).await();
                                                    trail.add("b");
                                                });
                                    })
                            .await();
                    trail.add("group done");
                });
        assertEquals(List.of("b", "a", "group done"), trail.events());
    }

    @Test
    void aFailureCancelsTheSiblingsAndIsRethrownWithLaterFailuresSuppressed() throws Exception {
        var first = new IOException("first");
        var later = new IllegalStateException("later");
        var trail = new Trail();
        var thrown =
                Async.run(
                        () ->
                                assertThrows(
                                        IOException.class,
                                        () ->
                                                Async.taskGroup(
                                                                group -> {
                                                                    group.launch(
                                                                            () -> {
                                                                                try {
                                                                                    Async.sleep(
                                                                                                    Duration
                                                                                                            .ofSeconds(
                                                                                                                    30))
                                                                                            .await();
                                                                                } finally {
                                                                                    trail.add(
                                                                                            "sibling cancelled");
                                                                                }
                                                                            });
                                                                    group.launch(
                                                                            () -> {
                                                                                try {
                                                                                    Async.sleep(
                                                                                                    Duration
                                                                                                            .ofSeconds(
                                                                                                                    30))
                                                                                            .await();
                                                                                } catch (
                                                                                        CancellationException
                                                                                                e) {
                                                                                    throw later; // fails while being cancelled
                                                                                }
                                                                            });
                                                                    group.launch(
                                                                            () -> {
                                                                                Async.sleep(
                                                                                                Duration
                                                                                                        .ofMillis(
                                                                                                                10))
                                                                                        .await();
                                                                                throw first;
                                                                            });
                                                                })
                                                        .await()));
        assertSame(first, thrown);
        assertTrue(
                List.of(thrown.getSuppressed()).contains(later),
                List.of(thrown.getSuppressed()).toString());
        assertEquals(List.of("sibling cancelled"), trail.events());
    }

    @Test
    void theBodyIsCancelledWhenAChildFails() throws Exception {
        var trail = new Trail();
        Async.run(
                () ->
                        assertThrows(
                                IOException.class,
                                () ->
                                        Async.taskGroup(
                                                        group -> {
                                                            group.launch(
                                                                    () -> {
                                                                        throw new IOException(
                                                                                "child");
                                                                    });
                                                            try {
                                                                Async.sleep(Duration.ofSeconds(30))
                                                                        .await();
                                                            } catch (CancellationException e) {
                                                                trail.add("body cancelled");
                                                                throw e;
                                                            }
                                                        })
                                                .await()));
        assertEquals(List.of("body cancelled"), trail.events());
    }

    @Test
    void launchingIntoAFinishedGroupThrows() throws Exception {
        var error =
                Async.run(
                        () -> {
                            TaskGroup[] escaped = new TaskGroup[1];
                            Async.taskGroup(group -> escaped[0] = group).await();
                            return assertThrows(
                                    IllegalStateException.class, () -> escaped[0].launch(() -> 1));
                        });
        assertTrue(error.getMessage().contains("finished"), error.getMessage());
    }

    @Test
    void cancellingTheGroupCancelsItsTasks() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    Task<Void> group =
                            Async.taskGroup(
                                    g ->
                                            g.launch(
                                                    () -> {
                                                        try {
                                                            Async.sleep(Duration.ofSeconds(30))
                                                                    .await();
                                                        } finally {
                                                            trail.add("child stopped");
                                                        }
                                                    }));
                    Async.sleep(Duration.ofMillis(10)).await();
                    group.cancel();
                    assertThrows(CancellationException.class, group::await);
                });
        assertEquals(List.of("child stopped"), trail.events());
    }

    @Test
    @Timeout(10)
    void cancelFromAChildEndsTheGroupWithoutAnError() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    Async.taskGroup(
                                    group -> {
                                        group.launch(
                                                () -> {
                                                    try {
                                                        Async.sleep(Duration.ofSeconds(10)).await();
                                                    } finally {
                                                        trail.add("slow mirror stopped");
                                                    }
                                                });
                                        group.launch(
                                                () -> {
                                                    Async.yieldNow().await();
                                                    trail.add("fast mirror found it");
                                                    group.cancel();
                                                });
                                    })
                            .await();
                    trail.add("group done");
                });
        assertEquals(
                List.of("fast mirror found it", "slow mirror stopped", "group done"),
                trail.events());
    }

    @Test
    @Timeout(10)
    void cancelInsideTheBodyStopsItAtItsNextAwaitAndTheGroupSucceeds() throws Exception {
        var trail = new Trail();
        Async.run(
                () -> {
                    var group =
                            Async.taskGroup(
                                    g -> {
                                        g.launch(() -> Async.sleep(Duration.ofSeconds(10)).await());
                                        g.cancel();
                                        trail.add("body goes on until it awaits");
                                        try {
                                            Async.sleep(Duration.ofSeconds(10)).await();
                                            trail.add("never");
                                        } catch (CancellationException e) {
                                            trail.add("body cancelled");
                                            throw e;
                                        }
                                    });
                    group.await();
                    assertFalse(group.isCompletedExceptionally());
                    trail.add("group done");
                    // The task that ran the group is not cancelled: it awaits on as before.
                    Async.yieldNow().await();
                    trail.add("caller goes on");
                });
        assertEquals(
                List.of(
                        "body goes on until it awaits",
                        "body cancelled",
                        "group done",
                        "caller goes on"),
                trail.events());
    }

    @Test
    @Timeout(10)
    void cancelAfterAFailureLeavesTheFailure() throws Exception {
        Async.run(
                () -> {
                    var group =
                            Async.taskGroup(
                                    g -> {
                                        g.launch(
                                                () -> {
                                                    throw new IOException("broken");
                                                });
                                        try {
                                            Async.sleep(Duration.ofSeconds(10)).await();
                                        } finally {
                                            g.cancel(); // shutting down already: no effect
                                        }
                                    });
                    var e = assertThrows(IOException.class, group::await);
                    assertEquals("broken", e.getMessage());
                });
    }
}
