package io.databasement.gateway.routing;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.CONNECT_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;

import java.net.URI;
import java.util.List;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The public REST surface. Only {@code /api/v1/...} prefixes are routed; {@code /internal/**} of
 * the services is never reachable through the gateway (there is no route, and {@link PathGuard}
 * refuses it before routing).
 */
@Configuration(proxyBeanMethods = false)
class Routes {

    /** Route metadata key naming the downstream; error responses use it ("catalog-service unavailable"). */
    static final String SERVICE = "service";
    static final String CATALOG = "catalog-service";
    static final String STORAGE = "storage-service";

    @Bean
    RouteLocator publicApi(RouteLocatorBuilder builder, DownstreamProperties downstream) {
        URI catalog = downstream.catalogUrl();
        URI storage = downstream.storageUrl();
        long connectMillis = downstream.connectTimeout().toMillis();
        long responseMillis = downstream.responseTimeout().toMillis();
        RouteLocatorBuilder.Builder routes = builder.routes()
                // a download streams for as long as the file is big: no response timeout
                .route("snapshot-downloads", r -> r.order(-1)
                        .path("/api/v1/snapshots/*/download")
                        .filters(f -> f.filter(new DownstreamLocationRewriter(catalog)))
                        .metadata(SERVICE, CATALOG)
                        .metadata(CONNECT_TIMEOUT_ATTR, connectMillis)
                        .metadata(RESPONSE_TIMEOUT_ATTR, -1L)
                        .uri(catalog));
        for (String collection : List.of("servers", "snapshots", "restores", "schedules")) {
            api(routes, collection, CATALOG, catalog, connectMillis, responseMillis);
        }
        api(routes, "volumes", STORAGE, storage, connectMillis, responseMillis);
        return routes.build();
    }

    /** {@code /api/v1/<collection>} and everything below it, to one service, with bounded timeouts. */
    private static void api(RouteLocatorBuilder.Builder routes, String collection, String service, URI uri,
                            long connectMillis, long responseMillis) {
        routes.route(collection, r -> r
                .path("/api/v1/" + collection, "/api/v1/" + collection + "/**")
                .filters(f -> f.filter(new DownstreamLocationRewriter(uri)))
                .metadata(SERVICE, service)
                .metadata(CONNECT_TIMEOUT_ATTR, connectMillis)
                .metadata(RESPONSE_TIMEOUT_ATTR, responseMillis)
                .uri(uri));
    }
}
