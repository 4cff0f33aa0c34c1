package io.databasement.storage.object;

import io.databasement.storage.store.Keys;
import io.databasement.storage.store.ObjectNotFound;
import io.databasement.storage.store.ObjectStore;
import io.databasement.storage.volume.VolumeService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Presigned download URLs for S3 volumes, so an operator's browser or script fetches a snapshot straight
 * from the bucket (the secret never leaves this service; the URL carries only a signature).
 */
@RestController
class PresignController {

    /** S3's limit for a SigV4 presigned URL. */
    static final int MAX_TTL_SECONDS = 7 * 24 * 3600;

    private final VolumeService volumes;
    private final Clock clock;

    PresignController(VolumeService volumes, Clock clock) {
        this.volumes = volumes;
        this.clock = clock;
    }

    /**
     * @param fileName the name a browser saves the download under (sent back as the attachment's file name)
     */
    record PresignRequest(@NotNull UUID volumeId, @NotBlank String key,
                          @NotNull @Min(1) @Max(MAX_TTL_SECONDS) Integer ttlSeconds, String fileName) {
    }

    record PresignedUrl(String url, Instant expiresAt) {
    }

    /** 200 {url, expiresAt}; 404 no such volume or object; 422 a local volume (no URL of its own). */
    @PostMapping("/internal/objects/presign")
    PresignedUrl presign(@Valid @RequestBody PresignRequest request) {
        ObjectStore store = volumes.storeOf(volumes.require(request.volumeId()));
        String key = Keys.checkKey(request.key());
        Instant now = clock.instant();
        String url = store.presignGet(key, Duration.ofSeconds(request.ttlSeconds()), safeFileName(request.fileName()));
        // checked after presigning, so a local volume is told "no URLs" rather than anything about its objects
        store.stat(key).orElseThrow(() -> new ObjectNotFound(key));
        return new PresignedUrl(url, now.plusSeconds(request.ttlSeconds()));
    }

    /** The name goes into a quoted header parameter: keep to characters that need no escaping there. */
    private static String safeFileName(String fileName) {
        return fileName == null || fileName.isBlank() ? null : fileName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
