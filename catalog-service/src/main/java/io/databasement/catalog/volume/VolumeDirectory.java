package io.databasement.catalog.volume;

import io.databasement.catalog.storage.StorageCalls;
import io.databasement.catalog.web.CatalogException;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClientException;

/**
 * Which volumes exist. The projection of {@code dbm.volumes} lags storage-service by a moment, so an
 * unknown id is read through from storage before it is called unknown.
 */
@Service
public class VolumeDirectory {

    private static final Logger log = LoggerFactory.getLogger(VolumeDirectory.class);

    private final VolumeRepository volumes;
    private final StorageClient storage;

    VolumeDirectory(VolumeRepository volumes, StorageClient storage) {
        this.volumes = volumes;
        this.storage = storage;
    }

    /**
     * Call outside any transaction: it may make an HTTP call.
     *
     * @throws CatalogException 404 if storage-service does not know the volume either, 503 if it cannot be asked
     */
    public Volume require(UUID id) {
        Optional<Volume> known = volumes.find(id);
        if (known.isPresent()) {
            return known.get();
        }
        try {
            Volume fetched = storage.volume(id).map(Volume::of)
                    .orElseThrow(() -> CatalogException.notFound("volume", id));
            volumes.upsert(fetched);
            return fetched;
        } catch (RestClientException | StorageClient.StorageUnavailableException | StorageCalls.StorageUnavailableException e) {
            log.warn("volume {} is not in the projection and storage-service could not be asked: {}", id, e.getMessage());
            throw new CatalogException(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable", "Storage unavailable",
                    "volume " + id + " is not known yet and storage-service could not be reached; try again");
        }
    }
}
