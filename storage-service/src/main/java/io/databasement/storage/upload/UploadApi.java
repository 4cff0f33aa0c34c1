package io.databasement.storage.upload;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.UUID;

/** Bodies of the internal upload API (docs/conventions.md, storage-service). */
final class UploadApi {

    static final String SHA256_HEX = "[0-9a-fA-F]{64}";

    /**
     * @param partSize bytes of every part but the last (which has no more), when the worker knows it: a local volume
     *                 then writes each part in place instead of assembling the object at the end; null: any sizes
     */
    record StartUpload(@NotNull UUID volumeId, @NotBlank String key,
                       @Min(UploadService.MIN_PART_BYTES) @Max(UploadService.MAX_PART_BYTES) Long partSize) {
    }

    record UploadStarted(UUID uploadId, UUID volumeId, String key) {
    }

    record PartStored(int partNumber, String etag, long sizeBytes) {
    }

    record CompletedPart(@Min(1) @Max(10000) int partNumber, String etag) {
    }

    record CompleteUpload(@NotEmpty List<@Valid @NotNull CompletedPart> parts,
                          @NotBlank @Pattern(regexp = SHA256_HEX, message = "must be 64 hex characters") String sha256) {
    }

    record UploadCompleted(UUID volumeId, String key, long sizeBytes, String sha256, String location) {
    }

    private UploadApi() {
    }
}
