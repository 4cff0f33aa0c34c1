package io.databasement.gateway.openapi;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The merged public API document.
 *
 * @param cacheTtl     how long a complete document is served before the services are asked again (an
 *                     incomplete one is not kept: the next request asks the missing service again)
 * @param fetchTimeout how long to wait for one service's {@code /v3/api-docs}; then its part is left out
 */
@Validated
@ConfigurationProperties("dbm.gateway.openapi")
public record OpenApiProperties(
        @NotNull @DefaultValue("30s") Duration cacheTtl,
        @NotNull @DefaultValue("5s") Duration fetchTimeout) {
}
