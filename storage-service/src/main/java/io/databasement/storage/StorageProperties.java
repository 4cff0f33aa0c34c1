package io.databasement.storage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param sealKey            base64 32-byte AES key sealing volume secrets ({@code DBM_STORAGE_SEAL_KEY})
 * @param serviceToken       bearer token every {@code /internal/**} call must carry ({@code DBM_SERVICE_TOKEN})
 * @param republishInterval  how often every volume is re-sent to the compacted topic, so it converges
 *                           even when a single publish was lost
 * @param spoolDir           where S3 parts are staged while their digest is checked (one part per request)
 * @param uploadExpiry       an upload still open after this long is abandoned: it is aborted and its parts
 *                           removed (a backup takes hours, not days)
 * @param deleteRetry        how a delete command is retried while the backend fails
 */
@Validated
@ConfigurationProperties("dbm.storage")
public record StorageProperties(
        @NotBlank(message = "set DBM_STORAGE_SEAL_KEY (32 random bytes, base64)") String sealKey,
        @NotBlank(message = "set DBM_SERVICE_TOKEN") String serviceToken,
        @DefaultValue("PT5M") @NotNull Duration republishInterval,
        Path spoolDir,
        @DefaultValue("P2D") @NotNull Duration uploadExpiry,
        @Valid @DefaultValue DeleteRetry deleteRetry) {

    /**
     * @param firstInterval the wait before the first retry; each next wait doubles
     * @param maxInterval   the longest wait: bounds how long this consumer's other partitions wait
     * @param giveUpAfter   then the command is reported failed (retryable) and committed; the catalog resends it
     */
    public record DeleteRetry(@NotNull @DefaultValue("1s") Duration firstInterval,
                              @NotNull @DefaultValue("60s") Duration maxInterval,
                              @NotNull @DefaultValue("30m") Duration giveUpAfter) {
    }

    public StorageProperties {
        if (spoolDir == null) {
            spoolDir = Path.of(System.getProperty("java.io.tmpdir"));
        }
    }
}
