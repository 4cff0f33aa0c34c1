package io.databasement.gateway.routing;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the public API lives and how long the gateway waits for it.
 *
 * @param catalogUrl      catalog-service base URL ({@code DBM_CATALOG_URL})
 * @param storageUrl      storage-service base URL ({@code DBM_STORAGE_URL})
 * @param connectTimeout  a downstream that does not accept the connection in time is "unavailable" (503)
 * @param responseTimeout a downstream that does not start answering in time is a 504; downloads are exempt
 */
@Validated
@ConfigurationProperties("dbm.gateway")
public record DownstreamProperties(
        @NotNull URI catalogUrl,
        @NotNull URI storageUrl,
        @NotNull Duration connectTimeout,
        @NotNull Duration responseTimeout) {
}
