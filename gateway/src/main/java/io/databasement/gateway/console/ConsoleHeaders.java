package io.databasement.gateway.console;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Response headers of the console's pages and files. The console keeps an admin-capable token in the tab's
 * session storage, so injected script would be costly: the policy allows only the gateway's own scripts,
 * styles and API ({@code connect-src 'self'}), no inline script, no framing. {@code no-cache} makes the
 * browser revalidate (Last-Modified) after an upgrade instead of running stale modules that are never
 * renamed, since there is no build step to fingerprint them.
 */
@Component
class ConsoleHeaders implements WebFilter {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (path.equals("/") || path.equals("/console") || path.startsWith("/console/")) {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set("Content-Security-Policy", POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set(HttpHeaders.CACHE_CONTROL, "no-cache");
        }
        return chain.filter(exchange);
    }
}
