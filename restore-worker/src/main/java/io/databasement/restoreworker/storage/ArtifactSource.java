package io.databasement.restoreworker.storage;

import java.io.InputStream;
import java.util.UUID;

/** Where snapshots are read from: storage-service's internal object API. */
public interface ArtifactSource {

    /** Opens the stored bytes of {@code key} in {@code volumeId}; the caller closes the stream. */
    InputStream open(UUID volumeId, String key) throws StorageException;
}
