package io.databasement.storage.web;

/** One invalid field of a request body, as listed in a 400 problem's {@code errors}. */
public record FieldViolation(String field, String message) {
}
