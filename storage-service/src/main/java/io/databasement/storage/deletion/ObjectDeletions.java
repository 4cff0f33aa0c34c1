package io.databasement.storage.deletion;

import io.databasement.contracts.StorageDeleteFailed;
import io.databasement.contracts.StorageDeleteRequested;
import io.databasement.contracts.StorageObjectDeleted;
import io.databasement.storage.store.Keys;
import io.databasement.storage.store.ObjectStore;
import io.databasement.storage.volume.Volume;
import io.databasement.storage.volume.VolumeService;
import io.databasement.storage.web.Problem;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Deletes an object the catalog asked for, then reports. Idempotent: a missing object is a success with
 * {@code existed=false}. A failure no retry can fix (unknown volume, refused key, unreadable secret) is
 * reported as not retryable; a failing backend throws, so the command is retried (and never committed
 * before the object is gone).
 */
@Service
class ObjectDeletions {

    private static final Logger log = LoggerFactory.getLogger(ObjectDeletions.class);

    private final VolumeService volumes;
    private final StorageReports reports;
    private final Clock clock;

    ObjectDeletions(VolumeService volumes, StorageReports reports, Clock clock) {
        this.volumes = volumes;
        this.reports = reports;
        this.clock = clock;
    }

    void delete(StorageDeleteRequested command) {
        Optional<Volume> volume = volumes.find(command.volumeId());
        if (volume.isEmpty()) {
            refuse(command, "volume " + command.volumeId() + " is unknown or was deleted; its objects are no longer managed");
            return;
        }
        boolean existed;
        try {
            Keys.checkKey(command.objectKey());
            ObjectStore store = volumes.storeOf(volume.get());
            existed = store.stat(command.objectKey()).isPresent();
            store.delete(command.objectKey());
        } catch (Problem p) {
            if (p.status().is4xxClientError()) {
                refuse(command, p.getMessage());
                return;
            }
            throw p;
        }
        log.info("deleted {} from volume {} for {} ({}; existed: {})", command.objectKey(), command.volumeId(),
                command.requestId(), command.reason(), existed);
        reports.send(command.requestId(), new StorageObjectDeleted(command.requestId(), command.volumeId(),
                command.objectKey(), existed, clock.instant()));
    }

    void gaveUp(StorageDeleteRequested command, String reason) {
        log.warn("deleting {} from volume {} failed for the whole retry budget: {}", command.objectKey(),
                command.volumeId(), reason);
        reports.send(command.requestId(), new StorageDeleteFailed(command.requestId(), command.volumeId(),
                command.objectKey(), reason, true, clock.instant()));
    }

    private void refuse(StorageDeleteRequested command, String reason) {
        log.warn("cannot delete {} from volume {}: {}", command.objectKey(), command.volumeId(), reason);
        reports.send(command.requestId(), new StorageDeleteFailed(command.requestId(), command.volumeId(),
                command.objectKey(), reason, false, clock.instant()));
    }
}
