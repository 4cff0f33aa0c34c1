package io.databasement.restoreworker;

import io.databasement.worker.resilience.CallPolicy;
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
 * {@code dbm.worker.*}.
 *
 * @param slots            restores this replica runs at once; the listener pauses while all are busy
 * @param progressInterval progress reports (the attempt's heartbeat) are sent this often
 * @param claimRetryFor    how long to keep retrying an unreachable catalog before handing the command back
 *                         to Kafka for redelivery
 * @param reportTimeout    how long to wait for Kafka to acknowledge a started/completed/failed report
 * @param serviceToken     bearer token of the internal calls ({@code DBM_SERVICE_TOKEN})
 * @param sealKey          opens the server passwords inside commands ({@code DBM_SEAL_KEY})
 * @param storageUrl       storage-service ({@code DBM_STORAGE_URL})
 * @param storageCalls     retry and circuit breaker of the calls to storage-service (README)
 * @param catalogUrl       catalog-service ({@code DBM_CATALOG_URL})
 * @param topicReplication replication factor of the topics this worker declares
 */
@Validated
@ConfigurationProperties("dbm.worker")
public record WorkerProperties(
        @Min(1) @Max(64) @DefaultValue("1") int slots,
        @NotNull @DefaultValue("2s") Duration progressInterval,
        @NotNull @DefaultValue("30s") Duration claimRetryFor,
        @NotNull @DefaultValue("10s") Duration reportTimeout,
        @NotBlank(message = "set DBM_SERVICE_TOKEN (the bearer token of internal calls)") String serviceToken,
        @NotBlank(message = "set DBM_SEAL_KEY (base64 32-byte key, the catalog's)") String sealKey,
        @NotNull @DefaultValue("http://127.0.0.1:8082") URI storageUrl,
        @NotNull @DefaultValue CallPolicy storageCalls,
        @NotNull @DefaultValue("http://127.0.0.1:8081") URI catalogUrl,
        @Min(1) @DefaultValue("1") short topicReplication) {

    @Override
    public String toString() {
        // the token and the key are secrets: never in a log line
        return "WorkerProperties[slots=" + slots + ", progressInterval=" + progressInterval + ", storageUrl=" + storageUrl
                + ", catalogUrl=" + catalogUrl + "]";
    }
}
