package io.databasement.catalog.web;

import io.databasement.catalog.CatalogProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/** {@code /internal/**} is for workers only: {@code Authorization: Bearer $DBM_SERVICE_TOKEN}. */
@Component
class ServiceTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final byte[] expected;
    private final JsonMapper json;

    ServiceTokenFilter(CatalogProperties properties, JsonMapper json) {
        this.expected = properties.serviceToken().getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/internal") || path.startsWith("/internal/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        byte[] given = header != null && header.startsWith(BEARER)
                ? header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8) : new byte[0];
        // constant-time: the comparison must not tell a caller how much of the token it got right
        if (MessageDigest.isEqual(expected, given)) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        var problem = Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                "internal calls need the service token as a bearer token");
        problem.setInstance(java.net.URI.create(request.getRequestURI()));
        json.writeValue(response.getOutputStream(), problem);
    }
}
