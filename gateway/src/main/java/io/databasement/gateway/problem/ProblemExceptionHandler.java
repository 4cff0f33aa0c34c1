package io.databasement.gateway.problem;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error the gateway itself produces becomes RFC 9457 problem details, never a stack trace:
 * no route (404), a downstream that cannot be reached (503, titled with the service's name), one
 * that does not answer in time (504) or drops the connection (502). Errors the services answer
 * themselves are passed through untouched by the routing filters and never reach this handler.
 * Ordered before Boot's default handler (-1).
 */
@Component
@Order(-2)
public class ProblemExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final JsonMapper json;

    public ProblemExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            // a body is already on its way (e.g. a download broke mid-stream): nothing sane to add
            return Mono.error(error);
        }
        Problem problem = toProblem(exchange, error);
        if (error instanceof ProblemException p) {
            response.getHeaders().addAll(p.headers());
        }
        byte[] body = json.writeValueAsBytes(problem);
        response.setStatusCode(HttpStatusCode.valueOf(problem.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    private Problem toProblem(ServerWebExchange exchange, Throwable error) {
        String instance = exchange.getRequest().getPath().value();
        String service = serviceOf(exchange);
        if (error instanceof ProblemException p) {
            return Problem.of(p.slug(), p.title(), p.status().value(), p.getMessage(), instance);
        }
        if (isConnectFailure(error)) {
            log.warn("{} unreachable for {} {}: {}", service, exchange.getRequest().getMethod(), instance, error.toString());
            return Problem.of("service-unavailable", service + " unavailable", 503,
                    service + " cannot be reached right now; try again shortly.", instance);
        }
        if (error instanceof ServiceUnavailableException) {
            // the route's circuit breaker is open: the service failed repeatedly moments ago
            return Problem.of("service-unavailable", service + " unavailable", 503,
                    service + " failed repeatedly and is not being called for a few seconds; try again shortly.",
                    instance);
        }
        if (has(error, PrematureCloseException.class)) {
            log.warn("{} closed the connection for {} {}", service, exchange.getRequest().getMethod(), instance);
            return Problem.of("bad-gateway", service + " closed the connection", 502,
                    service + " closed the connection before answering.", instance);
        }
        if (error instanceof ResponseStatusException rse) {
            int status = rse.getStatusCode().value();
            if (status == HttpStatus.GATEWAY_TIMEOUT.value()) {
                return Problem.of("gateway-timeout", service + " did not answer in time", 504,
                        service + " did not answer in time; the request may still complete.", instance);
            }
            if (status == HttpStatus.NOT_FOUND.value()) {
                ProblemException notFound = ProblemException.noRoute(exchange.getRequest());
                return Problem.of(notFound.slug(), notFound.title(), 404, notFound.getMessage(), instance);
            }
            if (status == HttpStatus.BAD_REQUEST.value()) {
                // a gateway endpoint's unreadable body or parameter: the same type the services give it
                return Problem.of("invalid-request", "Invalid request", 400,
                        rse.getReason() != null ? rse.getReason() : "The request could not be read.", instance);
            }
            HttpStatus known = HttpStatus.resolve(status);
            String title = known != null ? known.getReasonPhrase() : "Error";
            return Problem.of(slug(title), title, status, rse.getReason() != null ? rse.getReason() : title, instance);
        }
        log.error("unexpected error for {} {}", exchange.getRequest().getMethod(), instance, error);
        return Problem.of("internal-error", "Internal error", 500, "The gateway failed to handle the request.", instance);
    }

    /** The status {@link #handle} answers an error with (the audit trail records it). */
    public static int statusOf(Throwable error) {
        if (error instanceof ProblemException p) {
            return p.status().value();
        }
        if (isConnectFailure(error) || error instanceof ServiceUnavailableException) {
            return 503;
        }
        if (has(error, PrematureCloseException.class)) {
            return 502;
        }
        if (error instanceof ResponseStatusException rse) {
            return rse.getStatusCode().value();
        }
        return 500;
    }

    private static String serviceOf(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return "downstream service";
        }
        Map<String, Object> metadata = route.getMetadata();
        Object service = metadata.get("service");
        return service != null ? service.toString() : route.getId();
    }

    private static boolean isConnectFailure(Throwable error) {
        // reactor-netty's AnnotatedConnectException and Netty's ConnectTimeoutException are ConnectExceptions
        return has(error, ConnectException.class) || has(error, UnknownHostException.class)
                || has(error, io.netty.channel.ConnectTimeoutException.class);
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
