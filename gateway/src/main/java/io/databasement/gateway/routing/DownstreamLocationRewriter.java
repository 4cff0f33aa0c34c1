package io.databasement.gateway.routing;

import java.net.URI;
import java.util.Locale;

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

    private final URI downstream;

    DownstreamLocationRewriter(URI downstream) {
        this.downstream = downstream;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            String location = headers.getFirst(HttpHeaders.LOCATION);
            if (location != null) {
                headers.set(HttpHeaders.LOCATION, rewrite(location, exchange.getRequest().getURI()));
            }
            return Mono.empty();
        });
        return chain.filter(exchange);
    }

    private String rewrite(String location, URI client) {
        URI target;
        try {
            target = URI.create(location);
        } catch (IllegalArgumentException notAUri) {
            return location; // not ours to judge: pass it on as the service sent it
        }
        if (!sameOrigin(target, downstream)) {
            return location;
        }
        return UriComponentsBuilder.fromUri(target)
                .scheme(client.getScheme()).host(client.getHost()).port(client.getPort())
                .build(true).toUriString();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.isAbsolute() && a.getHost() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }
}
