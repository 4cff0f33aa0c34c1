package io.databasement.storage.volume;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A volume as the API shows it: the access key (an identifier) but never the secret, sealed or not; the id of its
 * encryption key, never the key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VolumeView(UUID id, String name, String type, String location, String path, String endpoint,
                         String bucket, String region, String prefix, String publicEndpoint, String accessKey,
                         Boolean hasSecretKey, String encryptionKeyId,
                         Instant createdAt, Instant updatedAt) {

    static VolumeView of(Volume volume) {
        boolean s3 = volume.type() == VolumeType.S3;
        return new VolumeView(volume.id(), volume.name(), volume.type().wireName(), volume.location(),
                volume.path(), volume.endpoint(), volume.bucket(), volume.region(), volume.prefix(), volume.publicEndpoint(),
                volume.accessKey(), s3 ? volume.secretKeySealed() != null : null, volume.encryptionKeyId(), volume.createdAt(),
                volume.updatedAt());
    }
}
