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
        if (!decodesToPrintableUtf8(rawPath)) {
            // the services' Tomcat would refuse these itself, with an HTML page instead of problem details
            return Mono.error(new ProblemException(HttpStatus.BAD_REQUEST, "invalid-path", "Invalid path",
                    "Paths must be valid UTF-8 without control characters, percent-encoded or not."));
        }
        if (lower.equals("/internal") || lower.startsWith("/internal/")) {
            return Mono.error(ProblemException.noRoute(exchange.getRequest()));
        }
        return chain.filter(exchange);
    }

    /** The path's percent-escapes decode to well-formed UTF-8 with no control character. */
    static boolean decodesToPrintableUtf8(String rawPath) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawPath.length() || Character.digit(rawPath.charAt(i + 1), 16) < 0
                        || Character.digit(rawPath.charAt(i + 2), 16) < 0) {
                    return false;
                }
                bytes.write(Character.digit(rawPath.charAt(i + 1), 16) * 16 + Character.digit(rawPath.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        try {
            String decoded = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
            return decoded.codePoints().noneMatch(Character::isISOControl);
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
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
