package io.databasement.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns a bearer secret into a {@link Caller}, or says why it cannot. Lookups are cached for
 * {@link SecurityProperties#tokenCacheTtl()} by the secret's hash, so a busy client costs one query per
 * interval; {@link #forgetAll()} drops the cache when this gateway creates or revokes a token.
 */
@Component
public class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** Why a secret was refused; the client learns the reason's text, never which tokens exist. */
    public enum Refusal {
        MISSING("This API needs 'Authorization: Bearer <token>'. Ask an admin for a token (./dbm token prints the initial one)."),
        MALFORMED("The Authorization header must be 'Bearer <token>'."),
        SERVICE_TOKEN("The internal service token is not accepted on the public API; use an API token."),
        UNKNOWN("The token is unknown, expired or revoked.");

        private final String detail;

        Refusal(String detail) {
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }
    }

    /** Exactly one of caller and refusal is set. */
    public record Result(Caller caller, Refusal refusal) {
    }

    private record Cached(Optional<ApiTokens.TokenView> token, Instant loadedAt) {
    }

    private final ApiTokens tokens;
    private final SecurityProperties properties;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<java.util.UUID, Instant> touched = new ConcurrentHashMap<>();

    public Authenticator(ApiTokens tokens, SecurityProperties properties, Clock clock) {
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
    }

    /** @param authorization the request's Authorization header, possibly null */
    public Mono<Result> authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Mono.just(new Result(null, Refusal.MISSING));
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank() || parts[1].length() > 512) {
            return Mono.just(new Result(null, Refusal.MALFORMED));
        }
        String secret = parts[1].trim();
        if (matches(properties.serviceToken(), secret)) {
            return Mono.just(new Result(null, Refusal.SERVICE_TOKEN));
        }
        if (matches(properties.adminToken(), secret)) {
            return Mono.just(new Result(new Caller(null, "admin", Role.ADMIN), null));
        }
        if (!secret.startsWith(TokenSecrets.PREFIX)) {
            return Mono.just(new Result(null, Refusal.UNKNOWN));
        }
        return lookup(secret).map(found -> found
                .filter(t -> t.activeAt(clock.instant()))
                .map(t -> {
                    touch(t.id());
                    return new Result(new Caller(t.id(), t.name(), Role.parse(t.role())), null);
                })
                .orElseGet(() -> new Result(null, Refusal.UNKNOWN)));
    }

    public void forgetAll() {
        cache.clear();
    }

    private Mono<Optional<ApiTokens.TokenView>> lookup(String secret) {
        String key = HexFormat.of().formatHex(TokenSecrets.hash(secret));
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && cached.loadedAt().plus(properties.tokenCacheTtl()).isAfter(now)) {
            return Mono.just(cached.token());
        }
        return Mono.fromCallable(() -> tokens.findBySecret(secret))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(found -> {
                    if (cache.size() > 10_000) {
                        cache.clear(); // guessed secrets must not grow the cache without bound
                    }
                    cache.put(key, new Cached(found, now));
                });
    }

    /** Records last use at most once a minute per token, off the request's path. */
    private void touch(java.util.UUID id) {
        Instant now = clock.instant();
        Instant last = touched.get(id);
        if (last != null && last.plus(TOUCH_EVERY).isAfter(now)) {
            return;
        }
        touched.put(id, now);
        Mono.fromRunnable(() -> tokens.touch(id, now)).subscribeOn(Schedulers.boundedElastic())
                .subscribe(null, e -> log.warn("could not record the last use of token {}: {}", id, e.toString()));
    }

    private static boolean matches(String configured, String secret) {
        return configured != null && !configured.isBlank() && TokenSecrets.same(configured, secret);
    }
}
