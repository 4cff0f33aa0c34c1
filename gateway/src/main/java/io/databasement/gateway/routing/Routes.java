package io.databasement.gateway.routing;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.CONNECT_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * The public REST surface. Only {@code /api/v1/...} prefixes are routed; {@code /internal/**} of
 * the services is never reachable through the gateway (there is no route, and {@link PathGuard}
 * refuses it before routing).
 *
 * <p>Each API route has a bounded connect and response timeout, a circuit breaker per route (a service
 * that keeps failing is answered 503 at once instead of tying up connections; it is tried again after
 * {@link #OPEN_FOR}), and, for GET only, two retries of a connection that failed or a 502/503/504: a GET
 * changes nothing, anything else might already have taken effect. Downloads have none of these: they
 * stream for as long as the file is big.
 */
@Configuration(proxyBeanMethods = false)
class Routes {

    /** Route metadata key naming the downstream; error responses use it ("catalog-service unavailable"). */
    static final String SERVICE = "service";
    static final String CATALOG = "catalog-service";
    static final String STORAGE = "storage-service";
    static final Duration OPEN_FOR = Duration.ofSeconds(10);

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

    /**
     * The circuit breakers: open when half of the last 20 calls (at least 10) failed to connect, broke off
     * or timed out. A service's own error answer is not a failure here: it reaches the client unchanged.
     * The time limiter stays out of the way of the route's own response timeout (a 504).
     */
    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakers(DownstreamProperties downstream) {
        Duration limit = downstream.connectTimeout().plus(downstream.responseTimeout()).plusSeconds(5);
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .circuitBreakerConfig(CircuitBreakerConfig.custom()
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(10)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(OPEN_FOR)
                        .permittedNumberOfCallsInHalfOpenState(3)
                        .build())
                .timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(limit).build())
                .build());
    }

    /** {@code /api/v1/<collection>} and everything below it, to one service, with bounded timeouts. */
    private static void api(RouteLocatorBuilder.Builder routes, String collection, String service, URI uri,
                            long connectMillis, long responseMillis) {
        routes.route(collection, r -> r
                .path("/api/v1/" + collection, "/api/v1/" + collection + "/**")
                .filters(f -> f
                        .circuitBreaker(c -> c.setName(service))
                        .retry(c -> c.setRetries(2)
                                .setMethods(HttpMethod.GET)
                                .setStatuses(HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.GATEWAY_TIMEOUT)
                                .setSeries()
                                .setExceptions(IOException.class)
                                .setBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2, false))
                        .filter(new DownstreamLocationRewriter(uri)))
                .metadata(SERVICE, service)
                .metadata(CONNECT_TIMEOUT_ATTR, connectMillis)
                .metadata(RESPONSE_TIMEOUT_ATTR, responseMillis)
                .uri(uri));
    }
}
