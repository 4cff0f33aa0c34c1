package io.databasement.gateway.security;

import java.util.UUID;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling: the token a request authenticated with. The authentication filter puts it on the
 * exchange ({@link #of(ServerWebExchange)}); gateway-local endpoints read it from there.
 *
 * @param tokenId null for the configured initial admin token
 * @param name    the token's name, recorded as the actor in the audit trail and sent downstream as
 *                {@code X-Requested-By}
 */
public record Caller(UUID tokenId, String name, Role role) {

    public static final String ATTRIBUTE = Caller.class.getName();

    public static Caller of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
