package io.databasement.storage.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.databasement.storage.encryption.EncryptionKeys;
import io.databasement.storage.encryption.EncryptionProperties;
import io.databasement.storage.web.Problem;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an encrypted folder, and what encryption adds: ciphertext on disk, plaintext above. */
class EncryptingObjectStoreTests extends ObjectStoreContract {

    static final String K1 = Base64.getEncoder().encodeToString(randomBytes(32, 100));
    static final String OTHER = Base64.getEncoder().encodeToString(randomBytes(32, 101));

    @TempDir
    Path tmp;

    Path root;

    @Override
    ObjectStore newStore() throws Exception {
        root = Files.createDirectories(tmp.resolve("volume"));
        return encrypted(root, K1);
    }

    static ObjectStore encrypted(Path root, String k1) {
        return new EncryptingObjectStore(new LocalObjectStore(root), new EncryptionKeys(new EncryptionProperties(Map.of("k1", k1))), "k1");
    }

    @Override
    boolean uploadLeftoversExist(String key, String uploadId) {
        return Files.exists(root.resolve(LocalObjectStore.UPLOADS).resolve(uploadId));
    }

    @Test
    void theFileOnDiskIsCiphertextWhileStatAndOpenSeeThePlaintext() throws Exception {
        byte[] whole = "CREATE TABLE marker_1f2e (id int);\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        String key = "srv/db/dump.sql";
        lastUploadId = store.initUpload(key);
        ObjectStat completed = store.complete(key, lastUploadId, List.of(putWhole(key, whole)), sha256(whole));

        byte[] raw = Files.readAllBytes(root.resolve(key));
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).startsWith("DBMENC1").doesNotContain("marker_1f2e");
        assertThat(raw.length).isGreaterThan(whole.length);
        assertThat(completed.sizeBytes()).isEqualTo(whole.length);
        assertThat(completed.sha256()).isEqualTo(sha256(whole));
        assertThat(store.stat(key)).get().extracting(ObjectStat::sizeBytes).isEqualTo((long) whole.length);
        try (InputStream in = store.open(key, 0, null)) {
            assertThat(in.readAllBytes()).isEqualTo(whole);
        }
    }

    @Test
    void rangesOfAMultipartObjectSeekToTheirSegmentOrSkipWhenPartsDiffer() throws Exception {
        byte[] whole = randomBytes(700_000, 30);
        String even = "ranges/even.bin";
        List<PartRef> evenParts = uploadInParts(even, whole, 300_000);
        store.complete(even, lastUploadId, evenParts, sha256(whole));
        String uneven = "ranges/uneven.bin";
        lastUploadId = store.initUpload(uneven);
        byte[] a = Arrays.copyOfRange(whole, 0, 100_000);
        byte[] b = Arrays.copyOfRange(whole, 100_000, whole.length);
        StoredPart pa = store.putPart(uneven, lastUploadId, 1, new ByteArrayInputStream(a), sha256(a));
        StoredPart pb = store.putPart(uneven, lastUploadId, 2, new ByteArrayInputStream(b), sha256(b));
        store.complete(uneven, lastUploadId, List.of(new PartRef(1, pa.etag(), pa.sizeBytes()),
                new PartRef(2, pb.etag(), pb.sizeBytes())), sha256(whole));

        for (String key : List.of(even, uneven)) {
            // {offset, length}; length -1: to the end
            for (long[] range : new long[][] {{0, 10}, {65_535, 3}, {299_990, 20}, {300_000, 70_000}, {699_999, 1}, {123_456, -1}}) {
                Long length = range[1] < 0 ? null : range[1];
                long end = length == null ? whole.length : range[0] + length;
                try (InputStream in = store.open(key, range[0], length)) {
                    assertThat(in.readAllBytes()).as("%s from %d", key, range[0])
                            .isEqualTo(Arrays.copyOfRange(whole, (int) range[0], (int) end));
                }
            }
        }
    }

    @Test
    void aWrongKeyUnderTheSameIdIsAProblemBeforeAnyByteIsReturned() throws Exception {
        byte[] whole = randomBytes(1000, 31);
        String key = "srv/db/wrong-key.sql";
        store.complete(key, lastUploadId = store.initUpload(key), List.of(putWhole(key, whole)), sha256(whole));

        try (ObjectStore rekeyed = encrypted(root, OTHER)) {
            assertThatThrownBy(() -> rekeyed.open(key, 0, null)).isInstanceOf(Problem.class)
                    .satisfies(e -> assertThat(((Problem) e).slug()).isEqualTo("decryption-failed"))
                    .hasMessageContaining("encrypted with key 'k1'");
            assertThatThrownBy(() -> rekeyed.open(key, 500, 10L)).isInstanceOf(Problem.class);
        }
    }

    @Test
    void anObjectWrittenBeforeTheVolumeWasEncryptedStillReadsAsItIs() throws Exception {
        byte[] whole = randomBytes(5000, 32);
        String key = "old/plain.sql";
        try (LocalObjectStore plain = new LocalObjectStore(root)) {
            String uploadId = plain.initUpload(key);
            StoredPart part = plain.putPart(key, uploadId, 1, new ByteArrayInputStream(whole), sha256(whole));
            plain.complete(key, uploadId, List.of(new PartRef(1, part.etag())), sha256(whole));
        }

        assertThat(store.stat(key)).get().extracting(ObjectStat::sizeBytes).isEqualTo((long) whole.length);
        try (InputStream in = store.open(key, 100, 50L)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(whole, 100, 150));
        }
    }

    @Test
    void presigningIsRefusedBecauseTheBucketHoldsCiphertext() {
        assertThatThrownBy(() -> store.presignGet("srv/db/x.sql", Duration.ofMinutes(5), "x.sql"))
                .isInstanceOf(Problem.class)
                .satisfies(e -> assertThat(((Problem) e).slug()).isEqualTo("presign-not-supported"))
                .hasMessageContaining("encrypted");
    }
}
