package io.databasement.storage.store;

import io.databasement.storage.web.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A volume's store with each call timed as {@code dbm_storage_backend_seconds{volume_type,operation,outcome}}: how
 * long S3 or the local folder took, and how often it failed ({@code outcome="error"}: an exception other than the
 * caller's own mistakes, which are {@code refused}). {@code open} is timed to the first byte, not the whole read.
 */
public final class TimedObjectStore implements ObjectStore {

    private final ObjectStore store;
    private final MeterRegistry meters;
    private final String volumeType;

    public TimedObjectStore(ObjectStore store, MeterRegistry meters, String volumeType) {
        this.store = store;
        this.meters = meters;
        this.volumeType = volumeType;
    }

    @Override
    public String initUpload(String key) {
        return timed("init_upload", () -> store.initUpload(key));
    }

    @Override
    public String initUpload(String key, UploadPlan plan) {
        return timed("init_upload", () -> store.initUpload(key, plan));
    }

    @Override
    public StoredPart putPart(String key, String uploadId, int partNumber, InputStream body, String expectedSha256) {
        return timed("put_part", () -> store.putPart(key, uploadId, partNumber, body, expectedSha256));
    }

    @Override
    public ObjectStat complete(String key, String uploadId, List<PartRef> parts, String sha256) {
        return timed("complete_upload", () -> store.complete(key, uploadId, parts, sha256));
    }

    @Override
    public ObjectStat complete(String key, String uploadId, List<PartRef> parts, Completion completion) {
        return timed("complete_upload", () -> store.complete(key, uploadId, parts, completion));
    }

    @Override
    public void abort(String key, String uploadId) {
        timed("abort_upload", () -> {
            store.abort(key, uploadId);
            return null;
        });
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        return timed("stat", () -> store.stat(key));
    }

    @Override
    public InputStream open(String key, long offset, Long length) {
        return timed("open", () -> store.open(key, offset, length));
    }

    @Override
    public void delete(String key) {
        timed("delete", () -> {
            store.delete(key);
            return null;
        });
    }

    @Override
    public String presignGet(String key, Duration ttl, String fileName) {
        return timed("presign", () -> store.presignGet(key, ttl, fileName));
    }

    @Override
    public ProbeResult probe() {
        return timed("probe", store::probe);
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public void close() {
        store.close();
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "success";
            return result;
        } catch (Problem e) {
            // a 4xx: the store answered, what was asked of it was wrong (no such object, a part whose bytes do not
            // match their digest); a 5xx (StoreFailure) is the store's own failure
            outcome = e.status().is5xxServerError() ? "error" : "refused";
            throw e;
        } finally {
            Timer.builder("dbm.storage.backend")
                    .description("Calls to a volume's store (S3 or a local folder)")
                    .tags("volume_type", volumeType, "operation", operation, "outcome", outcome)
                    .register(meters)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
