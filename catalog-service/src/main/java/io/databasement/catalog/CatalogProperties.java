package io.databasement.catalog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the catalog reads from its environment (see docs/conventions.md).
 *
 * @param sealKey      {@code DBM_SEAL_KEY}: base64 AES-256 key sealing server passwords (workers share it)
 * @param serviceToken {@code DBM_SERVICE_TOKEN}: bearer token of {@code /internal/**} calls, both ways
 * @param storageUrl   {@code DBM_STORAGE_URL}: storage-service, for volume read-through
 */
@Validated
@ConfigurationProperties("dbm")
public record CatalogProperties(
        @NotBlank(message = "DBM_SEAL_KEY is required (32 random bytes, base64)") String sealKey,
        @NotBlank(message = "DBM_SERVICE_TOKEN is required") String serviceToken,
        @NotNull URI storageUrl,
        @Valid @DefaultValue Catalog catalog) {

    /**
     * @param lease            an attempt without a heartbeat for this long is lost and may be replaced
     * @param topicReplication replication factor of the topics this service declares
     * @param retention        how long ids of applied messages and sent outbox entries are kept; far longer
     *                         than any redelivery, which is all they guard against
     * @param maxJobsPerServer jobs (backups and restores) dispatched at once per database server; the rest wait
     * @param maxAttempts      attempts a job may lose (no heartbeat for a lease) before it fails; each loss
     *                         re-sends its command
     * @param retryBackoff     how long a job waits after its first lost attempt before the command is sent again;
     *                         doubles with each further loss (a dump that kills its workers does not loop fast)
     * @param verificationServer {@code DBM_VERIFICATION_SERVER}: the name of the server that verifications restore
     *                         their scratch copies on; empty for each snapshot's own server
     * @param storageCalls     retry and circuit breaker of the calls to storage-service
     */
    public record Catalog(@NotNull @DefaultValue("60s") Duration lease,
                          @Min(1) @DefaultValue("1") int topicReplication,
                          @NotNull @DefaultValue("7d") Duration retention,
                          @Min(1) @DefaultValue("2") int maxJobsPerServer,
                          @Min(1) @DefaultValue("3") int maxAttempts,
                          @NotNull @DefaultValue("10s") Duration retryBackoff,
                          @DefaultValue("") String verificationServer,
                          @Valid @DefaultValue StorageCallPolicy storageCalls) {
    }

    /**
     * The catalog calls storage while a user waits (volume read-through, presign, download), so it retries briefly
     * and, while the breaker is open, answers 503 at once instead of making every request wait for a dead service.
     *
     * @param maxAttempts          attempts per call, the first included
     * @param firstBackoff         wait after the first failed attempt; doubles after each further one
     * @param maxBackoff           the longest wait between two attempts (before jitter)
     * @param jitter               each wait is drawn from ±this fraction of it
     * @param failureRateThreshold percent of failed calls in the window that opens the breaker
     * @param slidingWindow        calls the failure rate is measured over
     * @param minimumCalls         calls in the window before the rate counts
     * @param openFor              how long an open breaker refuses calls before trial calls
     * @param halfOpenCalls        trial calls in the half-open state; all must succeed to close it
     */
    public record StorageCallPolicy(@Min(1) @Max(10) @DefaultValue("3") int maxAttempts,
                                    @NotNull @DefaultValue("200ms") Duration firstBackoff,
                                    @NotNull @DefaultValue("1s") Duration maxBackoff,
                                    @DecimalMin("0") @DecimalMax("0.99") @DefaultValue("0.5") double jitter,
                                    @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
                                    @Min(1) @DefaultValue("20") int slidingWindow,
                                    @Min(1) @DefaultValue("10") int minimumCalls,
                                    @NotNull @DefaultValue("15s") Duration openFor,
                                    @Min(1) @DefaultValue("3") int halfOpenCalls) {
    }
}
