package io.databasement.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.databasement.gateway.audit.AuditEntry;
import io.databasement.gateway.audit.AuditLog;
import io.databasement.gateway.problem.ProblemException;
import io.databasement.gateway.problem.ProblemExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The door of {@code /api/**}, in this order: a valid bearer token (401), the token's rate (429),
 * a role high enough for the call (403), a body within the limit (413). What passes goes downstream
 * with the caller's name as {@code X-Requested-By}, a correlation id, and without the client's
 * Authorization header (API tokens never reach a service or its logs). Every mutating call of a known
 * caller is written to the audit trail with its outcome, refusals included; unauthenticated and
 * rate-limited calls are not (they would let anyone flood the trail).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiGuard implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiGuard.class);
    static final String CORRELATION_ID = "X-Correlation-Id";
    static final String REQUESTED_BY = "X-Requested-By";
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<HttpMethod> MUTATING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final Authenticator authenticator;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final long maxBodyBytes;
    private final Clock clock;

    ApiGuard(Authenticator authenticator, RateLimiter rateLimiter, AuditLog audit, SecurityProperties properties,
             Clock clock) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        String given = request.getHeaders().getFirst(CORRELATION_ID);
        String correlationId = given != null && SAFE_CORRELATION_ID.matcher(given).matches()
                ? given : UUID.randomUUID().toString();
        exchange.getResponse().getHeaders().set(CORRELATION_ID, correlationId);
        return authenticator.authenticate(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                .flatMap(result -> {
                    if (result.refusal() != null) {
                        return Mono.error(new ProblemException(HttpStatus.UNAUTHORIZED, "unauthorized",
                                "Authentication required", result.refusal().detail())
                                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"databasement\""));
                    }
                    return admitted(exchange, chain, result.caller(), path, correlationId);
                });
    }

    private Mono<Void> admitted(ServerWebExchange exchange, WebFilterChain chain, Caller caller, String path,
                                String correlationId) {
        ServerHttpRequest request = exchange.getRequest();
        RateLimiter.Decision rate = rateLimiter.take(caller.tokenId() == null ? "admin:" + caller.name()
                : caller.tokenId().toString());
        HttpHeaders responseHeaders = exchange.getResponse().getHeaders();
        responseHeaders.set("RateLimit-Limit", Integer.toString(rate.limit()));
        responseHeaders.set("RateLimit-Remaining", Integer.toString(rate.remaining()));
        responseHeaders.set("RateLimit-Reset", Long.toString(rate.resetSeconds()));
        responseHeaders.set("RateLimit-Policy", rate.limit() + ";w=60");
        if (!rate.allowed()) {
            return Mono.error(new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                    "This token may make " + rate.limit() + " requests a minute; retry in " + rate.retryAfterSeconds()
                            + " s.").header(HttpHeaders.RETRY_AFTER, Long.toString(rate.retryAfterSeconds())));
        }
        exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
        HttpMethod method = request.getMethod();
        boolean mutating = MUTATING.contains(method);
        Role required = AccessRules.required(method, path);
        Mono<Void> outcome;
        if (!caller.role().includes(required)) {
            outcome = Mono.error(new ProblemException(HttpStatus.FORBIDDEN, "forbidden", "Role too low",
                    method + " " + path + " needs the " + required.wireName() + " role; this token ('" + caller.name()
                            + "') has " + caller.role().wireName() + "."));
        } else if (request.getHeaders().getContentLength() > maxBodyBytes) {
            outcome = Mono.error(tooLarge());
        } else {
            outcome = chain.filter(forwarded(exchange, caller, correlationId));
        }
        if (!mutating) {
            return outcome;
        }
        return outcome
                .then(Mono.defer(() -> record(exchange, caller, path, correlationId, exchange.getResponse().getStatusCode(), null)))
                .onErrorResume(error -> record(exchange, caller, path, correlationId,
                        HttpStatusCode.valueOf(ProblemExceptionHandler.statusOf(error)), error)
                        .then(Mono.error(error)));
    }

    /** The request as the service sees it: named caller, correlation id, no bearer token, a bounded body. */
    private ServerWebExchange forwarded(ServerWebExchange exchange, Caller caller, String correlationId) {
        ServerHttpRequest named = exchange.getRequest().mutate().headers(h -> {
            h.remove(HttpHeaders.AUTHORIZATION);
            h.set(REQUESTED_BY, caller.name());
            h.set(CORRELATION_ID, correlationId);
        }).build();
        ServerHttpRequest bounded = new ServerHttpRequestDecorator(named) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBodyBytes) {
                        DataBufferUtils.release(buffer);
                        sink.error(tooLarge());
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return exchange.mutate().request(bounded).build();
    }

    /** What a call was about: what it created (its Location) if it created something, else its path. */
    private static String target(ServerWebExchange exchange, String path) {
        java.net.URI location = exchange.getResponse().getHeaders().getLocation();
        return location != null && location.getPath() != null && location.getPath().startsWith("/api/")
                ? location.getPath() : path;
    }

    private ProblemException tooLarge() {
        return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large",
                "Request bodies are limited to " + maxBodyBytes + " bytes.");
    }

    private Mono<Void> record(ServerWebExchange exchange, Caller caller, String path, String correlationId,
                              HttpStatusCode status, Throwable error) {
        int code = status == null ? 200 : status.value();
        String outcome = code >= 500 ? "failed" : code >= 400 ? "refused" : "succeeded";
        String detail = error instanceof ProblemException p ? p.getMessage() : null;
        AuditEntry entry = new AuditEntry(UUID.randomUUID(), clock.instant(), caller.name(), caller.role().wireName(),
                "rest", exchange.getRequest().getMethod() + " " + path, target(exchange, path), outcome, code, detail,
                correlationId, null);
        // written before the exchange ends, so whoever asks the trail next sees it; if the database is away, the
        // entry (its id makes a second insert a no-op) is retried in the background for about eight minutes
        return audit.append(entry).onErrorResume(first -> {
            log.warn("audit trail: could not record {} {} by {} now, retrying: {}", entry.action(), entry.outcome(),
                    caller.name(), first.toString());
            audit.append(entry)
                    .retryWhen(Retry.backoff(12, Duration.ofSeconds(1)).maxBackoff(Duration.ofMinutes(1)))
                    .subscribe(null, e -> log.error("audit trail: gave up recording {} {} by {} at {}: {}", entry.action(),
                            entry.outcome(), caller.name(), entry.at(), e.toString()));
            return Mono.empty();
        });
    }
}
