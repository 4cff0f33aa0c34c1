package io.databasement.gateway.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The API tokens table (blocking JDBC: callers run it on {@code boundedElastic}). */
@Component
class ApiTokens {

    private final JdbcClient jdbc;

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A token as lists show it: never its secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenView(UUID id, String name, String role, String prefix, Instant createdAt, String createdBy,
                     Instant expiresAt, Instant revokedAt, String revokedBy, Instant lastUsedAt) {

        boolean activeAt(Instant now) {
            return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    /** @throws DuplicateKeyException when an active token already has that name */
    TokenView create(UUID id, String name, Role role, String secret, Instant expiresAt, String createdBy, Instant now) {
        jdbc.sql("""
                insert into api_tokens (id, name, role, token_hash, prefix, created_at, created_by, expires_at)
                values (:id, :name, :role, :hash, :prefix, :now, :by, :expires)""")
                .param("id", id).param("name", name).param("role", role.wireName())
                .param("hash", TokenSecrets.hash(secret)).param("prefix", TokenSecrets.displayPrefix(secret))
                .param("now", Timestamp.from(now)).param("by", createdBy)
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .update();
        return find(id).orElseThrow();
    }

    Optional<TokenView> find(UUID id) {
        return jdbc.sql("select * from api_tokens where id = ?").param(id).query(ApiTokens::view).optional();
    }

    Optional<TokenView> findBySecret(String secret) {
        return jdbc.sql("select * from api_tokens where token_hash = ?").param(TokenSecrets.hash(secret))
                .query(ApiTokens::view).optional();
    }

    List<TokenView> list() {
        return jdbc.sql("select * from api_tokens order by created_at desc").query(ApiTokens::view).list();
    }

    /** True if this call revoked it; false if it was revoked already. */
    boolean revoke(UUID id, String by, Instant now) {
        return jdbc.sql("update api_tokens set revoked_at = :now, revoked_by = :by where id = :id and revoked_at is null")
                .param("now", Timestamp.from(now)).param("by", by).param("id", id).update() == 1;
    }

    void touch(UUID id, Instant now) {
        jdbc.sql("update api_tokens set last_used_at = ? where id = ?").params(Timestamp.from(now), id).update();
    }

    private static TokenView view(ResultSet rs, int row) throws SQLException {
        return new TokenView(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("role"),
                rs.getString("prefix"), instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "expires_at"),
                instant(rs, "revoked_at"), rs.getString("revoked_by"), instant(rs, "last_used_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
