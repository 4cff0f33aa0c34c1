package io.databasement.storage.web;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A failure a client can act on, rendered as RFC 9457 problem details with a stable {@code type}.
 * Thrown anywhere below a controller; {@link ProblemHandler} turns it into the response.
 */
public class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://databasement.io/problems/";

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final Map<String, Object> properties;
    private final HttpHeaders headers = new HttpHeaders();

    public Problem(HttpStatus status, String slug, String title, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.properties = Map.copyOf(properties);
    }

    public Problem(HttpStatus status, String slug, String title, String detail) {
        this(status, slug, title, detail, Map.of());
    }

    public static Problem notFound(String what, Object id) {
        return new Problem(HttpStatus.NOT_FOUND, what + "-not-found", capitalize(what) + " not found",
                "no " + what + " with id " + id);
    }

    public static Problem badRequest(String slug, String title, String detail) {
        return new Problem(HttpStatus.BAD_REQUEST, slug, title, detail);
    }

    /** A response header the problem needs, e.g. {@code Content-Range} on a 416. */
    public Problem withHeader(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }

    private static String capitalize(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}
