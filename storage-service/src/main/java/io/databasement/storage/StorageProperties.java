package io.databasement.storage;

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
 */
@Validated
@ConfigurationProperties("dbm.storage")
public record StorageProperties(
        @NotBlank(message = "set DBM_STORAGE_SEAL_KEY (32 random bytes, base64)") String sealKey,
        @NotBlank(message = "set DBM_SERVICE_TOKEN") String serviceToken,
        @DefaultValue("PT5M") @NotNull Duration republishInterval,
        Path spoolDir,
        @DefaultValue("P2D") @NotNull Duration uploadExpiry) {

    public StorageProperties {
        if (spoolDir == null) {
            spoolDir = Path.of(System.getProperty("java.io.tmpdir"));
        }
    }
}
