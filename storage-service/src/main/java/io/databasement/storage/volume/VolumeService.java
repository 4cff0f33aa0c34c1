package io.databasement.storage.volume;

import io.databasement.contracts.SecretSealer;
import io.databasement.storage.encryption.EncryptionKeys;
import io.databasement.storage.store.ObjectStore;
import io.databasement.storage.store.ProbeResult;
import io.databasement.storage.web.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

@Service
public class VolumeService {

    private final VolumeRepository volumes;
    private final VolumeStores stores;
    private final VolumePublisher publisher;
    private final SecretSealer sealer;
    private final EncryptionKeys keys;
    private final Clock clock;

    public VolumeService(VolumeRepository volumes, VolumeStores stores, VolumePublisher publisher,
                         SecretSealer sealer, EncryptionKeys keys, Clock clock) {
        this.volumes = volumes;
        this.stores = stores;
        this.publisher = publisher;
        this.sealer = sealer;
        this.keys = keys;
        this.clock = clock;
    }

    /** @param request already checked by {@link VolumeRequestRules} */
    public VolumeView create(VolumeRequest request) {
        String name = request.name().trim();
        if (volumes.liveNameExists(name)) {
            throw nameTaken(name);
        }
        String keyId = blankToNull(request.encryptionKeyId());
        if (keyId != null && keys.find(keyId).isEmpty()) {
            throw EncryptionKeys.unknown(keyId, HttpStatus.BAD_REQUEST);
        }
        Instant now = now();
        Volume volume = switch (VolumeType.fromWireName(request.type()).orElseThrow()) {
            case LOCAL -> prepareLocal(name, Path.of(request.path()), keyId, now);
            case S3 -> Volume.s3(name, request.endpoint().trim(), request.bucket(), blankToNull(request.region()),
                    request.accessKey().trim(), sealer.seal(request.secretKey()),
                    VolumeRequestRules.normalizedPrefix(request.prefix()), blankToNull(request.publicEndpoint()), keyId, now);
        };
        Volume saved;
        try {
            saved = volumes.save(volume);
        } catch (DuplicateKeyException | DbActionExecutionException e) {
            if (volumes.liveNameExists(name)) {
                throw nameTaken(name); // lost a race with a concurrent create of the same name
            }
            throw e;
        }
        publisher.publish(saved);
        return VolumeView.of(saved);
    }

    public List<VolumeView> list() {
        return volumes.findByDeletedAtIsNullOrderByName().stream().map(VolumeView::of).toList();
    }

    public VolumeView get(UUID id) {
        return VolumeView.of(require(id));
    }

    public Optional<Volume> find(UUID id) {
        return volumes.findByIdAndDeletedAtIsNull(id);
    }

    /** The live volume, or a 404 problem. */
    public Volume require(UUID id) {
        return volumes.findByIdAndDeletedAtIsNull(id).orElseThrow(() -> Problem.notFound("volume", id));
    }

    /** Forgets the volume (its objects stay where they are) and publishes its tombstone. */
    public void delete(UUID id) {
        Volume deleted = volumes.save(require(id).markDeleted(now()));
        stores.evict(id);
        publisher.publish(deleted);
    }

    public VolumeTestResult test(UUID id) {
        ProbeResult result = stores.of(require(id)).probe();
        return new VolumeTestResult(result.ok(), result.message());
    }

    public ObjectStore storeOf(Volume volume) {
        return stores.of(volume);
    }

    /** A local folder is created if missing and must accept a probe file before it becomes a volume. */
    private Volume prepareLocal(String name, Path path, String keyId, Instant now) {
        try {
            Files.createDirectories(path);
        } catch (IOException | SecurityException e) {
            throw notWritable("cannot create folder " + path + ": " + describe(e));
        }
        Volume volume = Volume.local(name, path.toString(), keyId, now);
        try (ObjectStore store = stores.detached(volume)) {
            ProbeResult probe = store.probe();
            if (!probe.ok()) {
                throw notWritable(probe.message());
            }
        }
        return volume;
    }

    private Instant now() {
        // microseconds: what PostgreSQL keeps, so a saved volume reads back equal
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Problem nameTaken(String name) {
        return new Problem(HttpStatus.CONFLICT, "volume-name-taken", "Volume name taken",
                "a volume named '" + name + "' already exists");
    }

    private static Problem notWritable(String reason) {
        return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "volume-not-writable", "Volume not writable", reason);
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
