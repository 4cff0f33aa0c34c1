package io.databasement.storage.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timed store is the store it wraps (the whole contract), and says per call what the backend did. */
class TimedObjectStoreTests extends ObjectStoreContract {

    @TempDir
    Path tmp;

    Path root;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Override
    ObjectStore newStore() throws Exception {
        root = Files.createDirectories(tmp.resolve("volume"));
        return new TimedObjectStore(new LocalObjectStore(root), meters, "local");
    }

    @Override
    boolean uploadLeftoversExist(String key, String uploadId) {
        return Files.exists(root.resolve(LocalObjectStore.UPLOADS).resolve(uploadId));
    }

    @Test
    void eachCallIsTimedWithItsOutcomeAndACallersMistakeIsNotABackendError() throws Exception {
        byte[] whole = randomBytes(4096, 3);
        String key = "srv/db/timed.sql.zst";
        lastUploadId = store.initUpload(key);
        store.complete(key, lastUploadId, List.of(putWhole(key, whole)), sha256(whole));
        assertThatThrownBy(() -> store.open("srv/db/absent.sql.zst", 0, null)).isInstanceOf(ObjectNotFound.class);
        assertThatThrownBy(() -> store.putPart(key, "no-such-upload-" + System.nanoTime(), 1,
                new ByteArrayInputStream(whole), "00".repeat(32))).isInstanceOf(RuntimeException.class);

        assertThat(count("init_upload", "success")).isEqualTo(1);
        assertThat(count("put_part", "success")).isEqualTo(1);
        assertThat(count("complete_upload", "success")).isEqualTo(1);
        assertThat(count("open", "refused")).as("no such object: the store answered").isEqualTo(1);
        assertThat(meters.get("dbm.storage.backend").tag("operation", "put_part").timers())
                .as("the failed part is timed too").hasSize(2);
        assertThat(meters.find("dbm.storage.backend").tag("volume_type", "local").timers()).isNotEmpty();
    }

    @Test
    void aBackendFailureCountsAsAnError() {
        ObjectStore failing = new TimedObjectStore(new LocalObjectStore(tmp.resolve("elsewhere")) {
            @Override
            public void delete(String key) {
                throw new StoreFailure("the disk is gone");
            }
        }, meters, "local");

        assertThatThrownBy(() -> failing.delete("x")).isInstanceOf(StoreFailure.class);

        assertThat(count("delete", "error")).isEqualTo(1);
    }

    private long count(String operation, String outcome) {
        return meters.get("dbm.storage.backend").tags("operation", operation, "outcome", outcome).timer().count();
    }
}
