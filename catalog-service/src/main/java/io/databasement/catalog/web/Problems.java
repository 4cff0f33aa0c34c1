package io.databasement.catalog.web;

import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** The one place problem {@code type} URIs are spelled. */
public final class Problems {

    public static final String BASE = "https://databasement.io/problems/";

    public static URI type(String slug) {
        return URI.create(BASE + slug);
    }

    public static ProblemDetail of(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(slug));
        problem.setTitle(title);
        return problem;
    }

    private Problems() {
    }
}
