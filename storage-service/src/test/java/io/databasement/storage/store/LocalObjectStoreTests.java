package io.databasement.storage.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTests extends ObjectStoreContract {

    @TempDir
    Path tmp;

    Path root;

    @Override
    ObjectStore newStore() throws Exception {
        root = Files.createDirectories(tmp.resolve("volume"));
        return new LocalObjectStore(root);
    }

    @Override
    boolean uploadLeftoversExist(String key, String uploadId) {
        return Files.exists(root.resolve(LocalObjectStore.UPLOADS).resolve(uploadId));
    }

    @Test
    void completedObjectLandsAtItsKeyWithADigestSidecarThatIsNotAnObject() throws Exception {
        byte[] whole = randomBytes(1234, 11);
        String key = "srv/db/dump.sql.gz";
        lastUploadId = store.initUpload(key);
        store.complete(key, lastUploadId, List.of(putWhole(key, whole)), sha256(whole));

        assertThat(Files.readAllBytes(root.resolve(key))).isEqualTo(whole);
        assertThat(Files.readString(root.resolve(".meta/srv/db/dump.sql.gz.sha256")).trim()).isEqualTo(sha256(whole));
        assertThat(store.stat(key + ".sha256")).isEmpty();
        try (Stream<Path> files = Files.list(root.resolve("srv/db"))) {
            assertThat(files).containsExactly(root.resolve(key));
        }
    }

    @Test
    void aSymlinkInsideTheFolderCannotLeadOutOfIt() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not yours");
        Files.createSymbolicLink(root.resolve("link"), outside);

        assertThatThrownBy(() -> store.open("link/secret.txt", 0, null)).isInstanceOf(ObjectKeyRefused.class);
        assertThatThrownBy(() -> store.initUpload("link/new.bin")).isInstanceOf(ObjectKeyRefused.class);
        assertThatThrownBy(() -> store.delete("link/secret.txt")).isInstanceOf(ObjectKeyRefused.class);
        assertThat(outside.resolve("secret.txt")).exists();
    }

    @Test
    void wholeObjectDigestMismatchKeepsTheUploadOpenAndPublishesNothing() throws Exception {
        byte[] whole = randomBytes(500, 12);
        String key = "mismatch/object.bin";
        lastUploadId = store.initUpload(key);
        PartRef part = putWhole(key, whole);

        assertThatThrownBy(() -> store.complete(key, lastUploadId, List.of(part), sha256(new byte[] {1})))
                .isInstanceOf(ObjectDigestMismatch.class);
        assertThat(store.stat(key)).isEmpty();

        store.complete(key, lastUploadId, List.of(part), sha256(whole));
        assertThat(store.stat(key)).isPresent();
    }

    @Test
    void probeOfAFolderThatCannotBeCreatedFailsWithAReason() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        ProbeResult result = new LocalObjectStore(file.resolve("sub")).probe();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("not writable");
    }

    @Test
    void partsAreStagedInTheHiddenUploadsFolder() throws Exception {
        String key = "staged/object.bin";
        String uploadId = store.initUpload(key);
        byte[] part = randomBytes(100, 13);
        store.putPart(key, uploadId, 7, new ByteArrayInputStream(part), sha256(part));

        assertThat(root.resolve(".uploads").resolve(uploadId).resolve("part-00007")).exists();
    }
}
