package io.databasement.storage.volume;

import io.databasement.contracts.VolumeState;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A place snapshots are written to. The S3 secret is only ever held sealed ({@code secretKeySealed});
 * it is opened in memory when a client for the bucket is built. A deleted volume keeps its row
 * ({@code deletedAt}) so its tombstone can be re-sent. {@code encryptionKeyId}: the configured key new objects
 * are encrypted with (null: stored as sent); only the id is kept here, never the key.
 */
@Table("volume")
public record Volume(@Id UUID id, String name, VolumeType type, String path, String endpoint, String bucket,
                     String region, String accessKey, String secretKeySealed, String prefix, String publicEndpoint,
                     String encryptionKeyId, Instant createdAt,
                     Instant updatedAt, Instant deletedAt, @Version Integer version) {

    public static Volume local(String name, String path, String encryptionKeyId, Instant now) {
        return new Volume(UUID.randomUUID(), name, VolumeType.LOCAL, path, null, null, null, null, null, null, null,
                encryptionKeyId, now, now, null, null);
    }

    public static Volume s3(String name, String endpoint, String bucket, String region, String accessKey,
                            String secretKeySealed, String prefix, String publicEndpoint, String encryptionKeyId,
                            Instant now) {
        return new Volume(UUID.randomUUID(), name, VolumeType.S3, null, endpoint, bucket, region, accessKey,
                secretKeySealed, prefix, publicEndpoint, encryptionKeyId, now, now, null, null);
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    public Volume markDeleted(Instant now) {
        return new Volume(id, name, type, path, endpoint, bucket, region, accessKey, secretKeySealed, prefix,
                publicEndpoint, encryptionKeyId, createdAt, now, now, version);
    }

    /** Where the data lives, readable and free of secrets. */
    public String location() {
        return switch (type) {
            case LOCAL -> path;
            case S3 -> "s3://" + bucket + (prefix == null || prefix.isEmpty() ? "" : "/" + prefix);
        };
    }

    public VolumeState state() {
        return new VolumeState(id, name, type.wireName(), location(), updatedAt);
    }

    @Override
    public String toString() {
        return "Volume[id=" + id + ", name=" + name + ", type=" + type + ", location=" + location() + "]";
    }
}
