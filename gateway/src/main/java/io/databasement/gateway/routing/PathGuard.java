package io.databasement.gateway.routing;

import java.util.Locale;

import io.databasement.gateway.problem.ProblemException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Runs before routing. The gateway forwards the raw path, and the services' servlet containers
 * normalise it: {@code /api/v1/servers/../../internal/jobs} would match the servers route here and
 * reach {@code /internal/jobs} there. So dot segments (plain, encoded or with {@code ;} parameters),
 * encoded slashes and backslashes are refused, and {@code /internal} is answered 404 outright.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PathGuard implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String rawPath = exchange.getRequest().getURI().getRawPath();
        if (rawPath == null) {
            return chain.filter(exchange);
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")
                || hasDotSegment(lower)) {
            return Mono.error(new ProblemException(HttpStatus.BAD_REQUEST, "invalid-path", "Invalid path",
                    "Paths with dot segments, encoded slashes or backslashes are not accepted."));
        }
        if (lower.equals("/internal") || lower.startsWith("/internal/")) {
            return Mono.error(ProblemException.noRoute(exchange.getRequest()));
        }
        return chain.filter(exchange);
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters >= 0 ? segment.substring(0, parameters) : segment;
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
