package io.databasement.catalog.web;

import org.springframework.http.HttpStatus;

/**
 * A refusal the client can act on. Rendered as RFC 9457 problem details with a stable
 * {@code type} of {@code https://databasement.io/problems/<slug>}.
 *
 * @see ProblemHandler
 */
public class CatalogException extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final String field;
    private final String fieldMessage;

    public CatalogException(HttpStatus status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    public CatalogException(HttpStatus status, String slug, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.field = field;
        this.fieldMessage = field != null && detail.startsWith(field + ": ") ? detail.substring(field.length() + 2) : detail;
    }

    public static CatalogException notFound(String what, Object id) {
        return new CatalogException(HttpStatus.NOT_FOUND, what + "-not-found",
                capitalize(what) + " not found", "no " + what + " with id " + id);
    }

    public static CatalogException invalidField(String slug, String field, String detail) {
        return new CatalogException(HttpStatus.BAD_REQUEST, slug, "Invalid request", field + ": " + detail, field);
    }

    public static CatalogException conflict(String slug, String title, String detail) {
        return new CatalogException(HttpStatus.CONFLICT, slug, title, detail);
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

    /** What is wrong with {@link #field()}, without the field's name. */
    public String fieldMessage() {
        return fieldMessage;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
