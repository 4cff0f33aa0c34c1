package io.databasement.gateway.security;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.databasement.gateway.problem.ProblemException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /api/v1/tokens} (admin; {@link ApiGuard} checks the role) and {@code /api/v1/me}. A token's secret
 * is in the answer to its creation and nowhere else.
 */
@RestController
class TokenController {

    private static final int MAX_NAME = 100;
    /** A name travels to the services as the {@code X-Requested-By} header, so it keeps to what a header carries intact. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9 ._@:+/-]{1," + MAX_NAME + "}");

    private final ApiTokens tokens;
    private final Authenticator authenticator;
    private final Clock clock;

    TokenController(ApiTokens tokens, Authenticator authenticator, Clock clock) {
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    /** @param expiresAt optional; a token without one lives until it is revoked */
    record TokenRequest(String name, String role, Instant expiresAt) {
    }

    /** The answer to a creation: the only time {@code token} is shown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CreatedToken(UUID id, String name, String role, String token, String prefix, Instant createdAt,
                        String createdBy, Instant expiresAt) {
    }

    record Me(String name, String role, UUID tokenId) {
    }

    @GetMapping("/api/v1/me")
    Me me(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return new Me(caller.name(), caller.role().wireName(), caller.tokenId());
    }

    @PostMapping("/api/v1/tokens")
    Mono<ResponseEntity<CreatedToken>> create(@RequestBody(required = false) TokenRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        Instant now = clock.instant();
        String name = validName(body);
        Role role = Role.parse(body.role());
        if (role == null) {
            throw invalid("role must be one of viewer, operator, admin.");
        }
        if (body.expiresAt() != null && !body.expiresAt().isAfter(now)) {
            throw invalid("expiresAt must be in the future.");
        }
        String secret = TokenSecrets.generate();
        UUID id = UUID.randomUUID();
        return Mono.fromCallable(() -> tokens.create(id, name, role, secret, body.expiresAt(), caller.name(), now))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(DuplicateKeyException.class, e -> new ProblemException(HttpStatus.CONFLICT, "conflict",
                        "Token name in use", "An active token is already named '" + name
                        + "'; revoke it or choose another name."))
                .doOnNext(t -> authenticator.forgetAll())
                .map(t -> ResponseEntity.created(URI.create("/api/v1/tokens/" + t.id()))
                        .body(new CreatedToken(t.id(), t.name(), t.role(), secret, t.prefix(), t.createdAt(),
                                t.createdBy(), t.expiresAt())));
    }

    @GetMapping("/api/v1/tokens")
    Mono<List<ApiTokens.TokenView>> list() {
        return Mono.fromCallable(tokens::list).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/tokens/{id}")
    Mono<ApiTokens.TokenView> get(@PathVariable String id) {
        UUID tokenId = uuid(id);
        return Mono.fromCallable(() -> tokens.find(tokenId).orElseThrow(() -> notFound(id)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Revokes; revoking a revoked token again is a no-op (204), an unknown one is 404. */
    @DeleteMapping("/api/v1/tokens/{id}")
    Mono<ResponseEntity<Void>> revoke(@PathVariable String id, ServerWebExchange exchange) {
        UUID tokenId = uuid(id);
        Caller caller = Caller.of(exchange);
        return Mono.fromCallable(() -> {
                    tokens.find(tokenId).orElseThrow(() -> notFound(id));
                    tokens.revoke(tokenId, caller.name(), clock.instant());
                    return true;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(revoked -> authenticator.forgetAll())
                .thenReturn(ResponseEntity.noContent().build());
    }

    private static String validName(TokenRequest body) {
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw invalid("name is required (what the token is for, e.g. 'nightly-ci').");
        }
        String name = body.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw invalid("name must be 1 to " + MAX_NAME + " characters of letters A-Z, digits, space and . _ @ : + / -");
        }
        return name;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Token not found", "No token has id '"
                + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "'.");
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }
}
