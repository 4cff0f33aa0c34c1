package io.databasement.storage.upload;

import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One multipart upload, persisted so a worker's retry still finds it after a restart.
 *
 * @param storeUploadId the backend's own id (S3 upload id, or the local upload folder)
 * @param sizeBytes     and {@code sha256}: the finished object, once COMPLETED
 */
@Table("upload")
public record UploadSession(@Id UUID id, UUID volumeId, String objectKey, String storeUploadId, UploadState state,
                            Long sizeBytes, String sha256, Instant createdAt, Instant updatedAt,
                            @Version Integer version) {

    static UploadSession open(UUID volumeId, String key, String storeUploadId, Instant now) {
        return new UploadSession(UUID.randomUUID(), volumeId, key, storeUploadId, UploadState.OPEN, null, null,
                now, now, null);
    }

    UploadSession completed(long size, String sha256, Instant now) {
        return new UploadSession(id, volumeId, objectKey, storeUploadId, UploadState.COMPLETED, size, sha256,
                createdAt, now, version);
    }

    UploadSession aborted(Instant now) {
        return new UploadSession(id, volumeId, objectKey, storeUploadId, UploadState.ABORTED, null, null,
                createdAt, now, version);
    }
}
