package io.databasement.catalog.snapshot;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of deletions and downloads ({@code dbm.catalog.*}, beside {@link io.databasement.catalog.CatalogProperties}).
 *
 * @param downloadUrlTtl how long a presigned S3 download URL stays valid
 */
@Validated
@ConfigurationProperties("dbm.catalog")
public record SnapshotLifecycleProperties(@NotNull @DefaultValue("15m") Duration downloadUrlTtl,
                                          @Valid @DefaultValue Deletion deletion) {

    /**
     * @param sweepInterval how often DELETING snapshots due for another try are looked for
     * @param firstRetry    the wait after the first delete command before it is sent again; doubles each time
     * @param maxRetry      the longest wait between two commands
     */
    public record Deletion(@NotNull @DefaultValue("30s") Duration sweepInterval,
                           @NotNull @DefaultValue("30s") Duration firstRetry,
                           @NotNull @DefaultValue("15m") Duration maxRetry) {

        /** When to send again after {@code attempts} commands: first, 2·first, 4·first, ... capped at max. */
        Duration retryAfter(int attempts) {
            int doublings = Math.max(0, Math.min(attempts - 1, 30));
            Duration wait = firstRetry.multipliedBy(1L << doublings);
            return wait.compareTo(maxRetry) > 0 || wait.isNegative() ? maxRetry : wait;
        }
    }
}
