package io.databasement.gateway.routing;

import java.net.URI;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * A service that answers {@code 202} with an absolute {@code Location} names its own address,
 * which a client of the gateway cannot reach. Such a Location is moved onto the address the client
 * used; relative Locations and Locations elsewhere (e.g. a presigned S3 URL) are left untouched,
 * which is why the stock RewriteLocationResponseHeader filter (it rewrites every host) is not used.
 */
final class DownstreamLocationRewriter implements GatewayFilter {

    private final String downstreamOrigin;

    DownstreamLocationRewriter(URI downstream) {
        this.downstreamOrigin = origin(downstream);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            String location = headers.getFirst(HttpHeaders.LOCATION);
            if (location != null && startsWithOrigin(location)) {
                headers.set(HttpHeaders.LOCATION, origin(exchange.getRequest().getURI()) + location.substring(downstreamOrigin.length()));
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private boolean startsWithOrigin(String location) {
        if (!location.regionMatches(true, 0, downstreamOrigin, 0, downstreamOrigin.length())) {
            return false;
        }
        // "http://host:80" must not match "http://host:8081/..."
        return location.length() == downstreamOrigin.length()
                || "/?#".indexOf(location.charAt(downstreamOrigin.length())) >= 0;
    }

    private static String origin(URI uri) {
        return UriComponentsBuilder.newInstance().scheme(uri.getScheme()).host(uri.getHost()).port(uri.getPort())
                .build().toUriString();
    }
}
