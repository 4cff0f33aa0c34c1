package io.databasement.gateway.observability;

import io.micrometer.tracing.handler.TracingObservationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One line per request through the gateway: method, path (never the query), status and time, with the request's
 * trace id in the line's correlation field, so a snapshot's trace can be followed from the gateway's log into the
 * catalog's, the worker's and storage-service's. Health and metrics scrapes are not logged.
 * {@code dbm.gateway.access-log=false} turns it off.
 */
@Component
@ConditionalOnProperty(name = "dbm.gateway.access-log", havingValue = "true", matchIfMissing = true)
class AccessLog implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (path.startsWith("/actuator")) {
            return chain.filter(exchange);
        }
        long started = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            try (MDC.MDCCloseable trace = MDC.putCloseable("traceId", traceId(exchange))) {
                log.info("{} {} {} {} ms", exchange.getRequest().getMethod(), path,
                        status == null ? signal : status.value(), (System.nanoTime() - started) / 1_000_000);
            }
        });
    }

    /** The trace of the request's server observation (continued from the caller's traceparent, if any). */
    private static String traceId(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(context -> context.<TracingObservationHandler.TracingContext>get(TracingObservationHandler.TracingContext.class))
                .map(TracingObservationHandler.TracingContext::getSpan)
                .map(span -> span.context().traceId())
                .orElse("");
    }

    /** Inside the observation filter, so the request's observation exists; before everything else. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 100;
    }
}
