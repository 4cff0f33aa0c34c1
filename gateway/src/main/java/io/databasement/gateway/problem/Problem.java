package io.databasement.gateway.problem;

import java.net.URI;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details, as every Databasement service writes them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance) {

    public static final String TYPE_BASE = "https://databasement.io/problems/";

    public static Problem of(String slug, String title, int status, String detail, String instance) {
        return new Problem(URI.create(TYPE_BASE + slug), title, status, detail, instance);
    }
}
