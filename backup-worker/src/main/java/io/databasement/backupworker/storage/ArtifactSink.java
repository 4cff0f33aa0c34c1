package io.databasement.backupworker.storage;

import java.util.List;
import java.util.UUID;

/**
 * Where dumps go: the part-based upload API of storage-service. The HTTP implementation is
 * {@link StorageServiceClient}; tests use an in-memory one.
 */
public interface ArtifactSink {

    /** Starts an upload of {@code key} into the volume. */
    String begin(UUID volumeId, String key) throws StorageException;

    /**
     * Sends part {@code partNumber} (1-based): the first {@code length} bytes of {@code buffer}. Sending the
     * same number again replaces it, so a failed part is simply sent again.
     *
     * @param sha256Hex lowercase hex SHA-256 of exactly these bytes; storage refuses the part if they differ
     */
    PartReceipt putPart(String uploadId, int partNumber, byte[] buffer, int length, String sha256Hex) throws StorageException;

    /** Commits the object from its parts, recording the SHA-256 of the whole object. */
    StoredObject complete(String uploadId, List<PartReceipt> parts, String sha256Hex) throws StorageException;

    /** Discards the upload and its parts; best effort. */
    void abort(String uploadId) throws StorageException;

    record PartReceipt(int partNumber, String etag, long sizeBytes) {
    }

    record StoredObject(UUID volumeId, String key, long sizeBytes, String sha256, String location) {
    }
}
