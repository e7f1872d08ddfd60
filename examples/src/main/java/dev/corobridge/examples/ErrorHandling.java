package dev.corobridge.examples;

import dev.corobridge.Async;
import dev.corobridge.Outcome;
import dev.corobridge.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Errors in async code (guide section 10).
 *
 * <pre>
 * async def task():
 *     try:
 *         await something()
 *     except Exception as e:
 *         print("error", e)
 * </pre>
 *
 * <p>{@link Task#await()} rethrows the task's own exception, checked ones too, so an ordinary
 * {@code catch} clause for that type works around it. Then: {@code gather} fails with the first
 * failure; {@code gatherSettled} returns every {@link Outcome} instead (asyncio's {@code
 * return_exceptions=True}); and a timeout really cancels the work: its {@code finally} runs before
 * {@link TimeoutException} reaches the caller.
 */
public final class ErrorHandling {
    private ErrorHandling() {}

    /** A checked exception of our own, like one a real client library would throw. */
    static final class PageNotFoundException extends Exception {
        private static final long serialVersionUID = 1L;

        PageNotFoundException(String url) {
            super("404 Not Found: " + url);
        }
    }

    /** {@code async def fetch(url)}: pages whose name starts with "missing" do not exist. */
    static String fetch(String url, Duration latency) throws Exception {
        Async.sleep(latency).await();
        if (url.startsWith("missing")) {
            throw new PageNotFoundException(url);
        }
        return "<" + url + ">";
    }

    /** Work that takes too long; its finally block shows whether it was really stopped. */
    static String slowQuery() throws Exception {
        try {
            System.out.println("  slow query: started");
            Async.sleep(Duration.ofSeconds(1)).await();
            System.out.println(
                    "  slow query: finished"); // never printed: the timeout cancels the sleep
            return "rows";
        } finally {
            System.out.println("  slow query: finally");
        }
    }

    public static void main(String[] args) throws Exception {
        Async.run(
                () -> {
                    catchAroundAwait();
                    gatherFailsOnFirstFailure();
                    gatherSettledReturnsOutcomes();
                    timeoutCancelsTheWork();
                });
    }

    static void catchAroundAwait() throws Exception {
        System.out.println("-- catch around await");
        Task<String> page =
                Async.launch("missing.html", () -> fetch("missing.html", Duration.ofMillis(10)));
        try {
            page.await();
        } catch (PageNotFoundException e) { // the task's own exception, not a CompletionException
            System.out.println("error " + e.getMessage());
        }
    }

    static void gatherFailsOnFirstFailure() throws Exception {
        System.out.println("-- gather fails on the first failure");
        Task<String> slow =
                Async.launch("slow.html", () -> fetch("slow.html", Duration.ofMillis(500)));
        Task<String> missing =
                Async.launch("missing.html", () -> fetch("missing.html", Duration.ofMillis(10)));
        try {
            Async.gather(slow, missing).await();
        } catch (PageNotFoundException e) {
            System.out.println("gather failed: " + e.getMessage());
        }
        System.out.println("the other task keeps running: " + slow);
        System.out.println("and still gives its value: " + slow.await());
    }

    static void gatherSettledReturnsOutcomes() throws Exception {
        System.out.println("-- gatherSettled returns every outcome");
        Task<String> index =
                Async.launch("index.html", () -> fetch("index.html", Duration.ofMillis(10)));
        Task<String> missing =
                Async.launch("missing.html", () -> fetch("missing.html", Duration.ofMillis(10)));
        Task<String> cancelled =
                Async.launch("big.iso", () -> fetch("big.iso", Duration.ofSeconds(1)));
        cancelled.cancel();
        List<Outcome<String>> outcomes =
                Async.gatherSettled(List.of(index, missing, cancelled)).await();
        for (Outcome<String> outcome : outcomes) {
            System.out.println(describe(outcome));
        }
    }

    static String describe(Outcome<String> outcome) {
        if (outcome instanceof Outcome.Success<String> success) {
            return "success: " + success.value();
        } else if (outcome instanceof Outcome.Failure<String> failure) {
            Throwable e = failure.exception();
            return "failure: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        } else {
            return "cancelled: " + ((Outcome.Cancelled<String>) outcome).exception().getMessage();
        }
    }

    static void timeoutCancelsTheWork() throws Exception {
        System.out.println("-- Async.timeout cancels the work");
        try {
            Async.timeout(Duration.ofMillis(200), ErrorHandling::slowQuery).await();
        } catch (TimeoutException e) {
            System.out.println("timed out after the cleanup: " + e.getMessage());
        }

        System.out.println("-- Async.waitFor cancels the task it waits for");
        Task<String> query = Async.launch("slow query", ErrorHandling::slowQuery);
        try {
            Async.waitFor(query, Duration.ofMillis(200)).await();
        } catch (TimeoutException e) {
            System.out.println("timed out after the cleanup: " + e.getMessage());
        }
        System.out.println("the query: " + query);
    }
}
