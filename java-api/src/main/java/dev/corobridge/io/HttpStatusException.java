package dev.corobridge.io;

import java.io.IOException;
import java.net.URI;

/**
 * A response whose status is not a success (200-299), from a session built with {@link
 * ClientSession.Builder#successOnly(boolean) successOnly(true)}: aiohttp's {@code
 * ClientResponseError} with {@code raise_for_status=True}. It carries the status, the request and
 * the first bytes of the body; the rest of the body is discarded.
 *
 * <pre>{@code
 * try {
 *     session.get("/missing").await();
 * } catch (HttpStatusException e) {
 *     System.out.println(e.status() + " " + e.bodyExcerpt());   // 404 no such page
 * }
 * }</pre>
 */
public final class HttpStatusException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String method;
    private final URI uri;
    private final String bodyExcerpt;

    HttpStatusException(int status, String method, URI uri, String bodyExcerpt) {
        super(
                method
                        + " "
                        + uri
                        + ": status "
                        + status
                        + (bodyExcerpt.isBlank()
                                ? ""
                                : ", body: " + bodyExcerpt.strip().replaceAll("\\s+", " ")));
        this.status = status;
        this.method = method;
        this.uri = uri;
        this.bodyExcerpt = bodyExcerpt;
    }

    /** The response's status code. */
    public int status() {
        return status;
    }

    /** The request's method. */
    public String method() {
        return method;
    }

    /** The request's URI. */
    public URI uri() {
        return uri;
    }

    /** The first bytes (at most 512) of the response's body, decoded by its charset. */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
