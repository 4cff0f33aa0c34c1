package io.databasement.storage.volume;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/volumes}: {@code {name, type: "local", path}} or
 * {@code {name, type: "s3", endpoint, bucket, region, accessKey, secretKey, prefix, publicEndpoint}}
 * ({@code publicEndpoint}: optional, the address presigned download URLs are signed for); either may name an
 * {@code encryptionKeyId} (one of {@code dbm.storage.encryption.keys}) to encrypt its objects. The checks that
 * depend on the type are in {@link VolumeRequestRules}.
 */
public record VolumeRequest(
        @NotBlank @Size(max = 100)
        @Pattern(regexp = "[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]*", message = "letters, digits, space, '.', '_' and '-', starting with a letter or digit")
        String name,
        @NotBlank @Pattern(regexp = "local|s3", message = "must be \"local\" or \"s3\"") String type,
        String path,
        String endpoint,
        String bucket,
        String region,
        String accessKey,
        String secretKey,
        String prefix,
        String publicEndpoint,
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "is not a key id (1-63 of a-z, 0-9 and '-')")
        String encryptionKeyId) {

    @Override
    public String toString() {
        return "VolumeRequest[name=" + name + ", type=" + type + ", path=" + path + ", endpoint=" + endpoint
                + ", bucket=" + bucket + ", region=" + region + ", accessKey=" + accessKey
                + ", hasSecretKey=" + (secretKey != null) + ", prefix=" + prefix + ", publicEndpoint=" + publicEndpoint + ", encryptionKeyId=" + encryptionKeyId + "]";
    }
}
