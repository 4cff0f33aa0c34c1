package io.databasement.storage.volume;

import io.databasement.contracts.SecretSealer;
import io.databasement.storage.StorageProperties;
import io.databasement.storage.encryption.EncryptionKeys;
import io.databasement.storage.store.EncryptingObjectStore;
import io.databasement.storage.store.LocalObjectStore;
import io.databasement.storage.store.ObjectStore;
import io.databasement.storage.store.S3ObjectStore;
import io.databasement.storage.store.TimedObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.databasement.storage.store.S3Settings;
import io.databasement.storage.web.Problem;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * One {@link ObjectStore} per volume, built on first use and kept: an S3 client holds a connection
 * pool, so it is shared by all requests to that bucket and closed when the volume goes away. An encrypted
 * volume's store is wrapped in an {@link EncryptingObjectStore}.
 */
@Component
public class VolumeStores {

    private final SecretSealer sealer;
    private final EncryptionKeys keys;
    private final Path spoolDir;
    private final MeterRegistry meters;
    private final Map<UUID, ObjectStore> stores = new ConcurrentHashMap<>();

    public VolumeStores(SecretSealer sealer, EncryptionKeys keys, StorageProperties properties, MeterRegistry meters) {
        this.meters = meters;
        this.sealer = sealer;
        this.keys = keys;
        this.spoolDir = properties.spoolDir();
    }

    public ObjectStore of(Volume volume) {
        return stores.computeIfAbsent(volume.id(), id -> create(volume));
    }

    /** A store that is not cached, for a volume not saved yet. */
    ObjectStore detached(Volume volume) {
        return create(volume);
    }

    void evict(UUID volumeId) {
        ObjectStore store = stores.remove(volumeId);
        if (store != null) {
            store.close();
        }
    }

    @PreDestroy
    void closeAll() {
        stores.keySet().forEach(this::evict);
    }

    private ObjectStore create(Volume volume) {
        ObjectStore store = switch (volume.type()) {
            case LOCAL -> new LocalObjectStore(Path.of(volume.path()));
            case S3 -> new S3ObjectStore(new S3Settings(volume.endpoint(), volume.bucket(), volume.region(),
                    volume.accessKey(), secretKeyOf(volume), volume.prefix(), volume.publicEndpoint()), spoolDir);
        };
        // timed below the encryption: the metric is what the backend took
        ObjectStore timed = new TimedObjectStore(store, meters, volume.type().name().toLowerCase(java.util.Locale.ROOT));
        return volume.encryptionKeyId() == null ? timed : new EncryptingObjectStore(timed, keys, volume.encryptionKeyId());
    }

    private String secretKeyOf(Volume volume) {
        try {
            return sealer.unseal(volume.secretKeySealed());
        } catch (IllegalArgumentException e) {
            // the volume was saved under another DBM_STORAGE_SEAL_KEY: nothing the caller did, nothing a retry fixes
            throw new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "volume-secret-unreadable", "Volume secret cannot be opened",
                    "the secret key of volume '" + volume.name() + "' was sealed with another DBM_STORAGE_SEAL_KEY than the one "
                            + "storage-service runs with: restore that key, or register the volume again");
        }
    }
}
