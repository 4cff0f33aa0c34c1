package io.databasement.gateway.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** A refusal decided by the gateway itself, rendered as problem details by {@link ProblemExceptionHandler}. */
public final class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final HttpHeaders headers = new HttpHeaders();

    public ProblemException(HttpStatus status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** Adds a header the error response carries ({@code WWW-Authenticate}, {@code Retry-After}, ...). */
    public ProblemException header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public static ProblemException noRoute(ServerHttpRequest request) {
        return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "No API at " + request.getMethod() + " " + request.getPath().value() + ".");
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
