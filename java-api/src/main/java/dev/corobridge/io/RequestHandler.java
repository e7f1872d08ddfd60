package dev.corobridge.io;

/**
 * Handles one request of a {@link WebServer}: runs as a task body, so it may await (a query and an
 * outbound call at once with {@code Async.gather}), and returns the response to send. An exception
 * it throws is answered with 500; a {@code CancellationException} (the request's time limit, the
 * server's shutdown) with 503.
 *
 * <pre>{@code
 * RequestHandler hello = request -> ServerResponse.text("hello " + request.queryParameter("name"));
 * }</pre>
 */
@FunctionalInterface
public interface RequestHandler {
    /** The response to {@code request}. */
    ServerResponse handle(ServerRequest request) throws Exception;
}
