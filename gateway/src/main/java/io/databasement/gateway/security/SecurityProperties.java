package io.databasement.gateway.security;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the public API and how much.
 *
 * @param adminToken        the initial admin token ({@code DBM_ADMIN_TOKEN}); empty disables it, leaving only
 *                          tokens created through {@code POST /api/v1/tokens}
 * @param serviceToken      the services' internal token ({@code DBM_SERVICE_TOKEN}): refused on public routes,
 *                          named as such so a misconfigured client learns why
 * @param requestsPerMinute the per-token rate limit (a bucket of this many requests, refilled evenly over a minute)
 * @param maxBodySize       larger request bodies are refused with 413
 * @param tokenCacheTtl     how long a token lookup is trusted before the database is asked again; a revocation
 *                          through this gateway takes effect at once, through another replica within this time
 */
@Validated
@ConfigurationProperties("dbm.gateway")
public record SecurityProperties(
        String adminToken,
        String serviceToken,
        @Min(1) int requestsPerMinute,
        @NotNull DataSize maxBodySize,
        @NotNull Duration tokenCacheTtl) {
}
