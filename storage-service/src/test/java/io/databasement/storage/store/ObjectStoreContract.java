package io.databasement.storage.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The behaviour every {@link ObjectStore} must have; each implementation runs these same cases. */
abstract class ObjectStoreContract {

    static final int MIB = 1024 * 1024;

    ObjectStore store;

    abstract ObjectStore newStore() throws Exception;

    /** Whether the backend still holds anything of this upload (parts, folder, pending multipart). */
    abstract boolean uploadLeftoversExist(String key, String uploadId) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void multipartUploadReadsBackByteForByteWithItsDigest() throws Exception {
        byte[] whole = randomBytes(10 * MIB + 4321, 1);
        String key = "srv/db/srv-db-2026-11-25-120000-abcd1234.sql.zst";

        List<PartRef> parts = uploadInParts(key, whole, 5 * MIB);
        ObjectStat stat = store.complete(key, lastUploadId, parts, sha256(whole));

        assertThat(parts).hasSize(3);
        assertThat(stat.sizeBytes()).isEqualTo(whole.length);
        assertThat(stat.sha256()).isEqualTo(sha256(whole));
        assertThat(store.stat(key)).get().satisfies(s -> {
            assertThat(s.sizeBytes()).isEqualTo(whole.length);
            assertThat(s.sha256()).isEqualTo(sha256(whole));
        });
        try (InputStream in = store.open(key, 0, null)) {
            assertThat(in.readAllBytes()).isEqualTo(whole);
        }
        assertThat(uploadLeftoversExist(key, lastUploadId)).isFalse();
    }

    @Test
    void completingAgainAfterALostAnswerGivesTheSameObject() throws Exception {
        byte[] whole = randomBytes(6 * MIB, 10);
        String key = "retry/complete.bin";
        List<PartRef> parts = uploadInParts(key, whole, 5 * MIB);
        ObjectStat first = store.complete(key, lastUploadId, parts, sha256(whole));

        ObjectStat again = store.complete(key, lastUploadId, parts, sha256(whole));

        assertThat(again.sizeBytes()).isEqualTo(first.sizeBytes());
        assertThat(again.sha256()).isEqualTo(sha256(whole));
    }

    @Test
    void rangeReadsReturnExactlyTheRequestedBytes() throws Exception {
        byte[] whole = randomBytes(200_000, 2);
        String key = "ranges/object.bin";
        store.complete(key, lastUploadId = store.initUpload(key), List.of(putWhole(key, whole)), sha256(whole));

        try (InputStream in = store.open(key, 1000, 100L)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(whole, 1000, 1100));
        }
        try (InputStream in = store.open(key, whole.length - 10, null)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 10, whole.length));
        }
    }

    @Test
    void abortedUploadLeavesNothingBehind() throws Exception {
        String key = "aborted/object.bin";
        String uploadId = store.initUpload(key);
        byte[] part = randomBytes(5 * MIB, 3);
        store.putPart(key, uploadId, 1, new ByteArrayInputStream(part), sha256(part));
        assertThat(uploadLeftoversExist(key, uploadId)).as("the upload is visible before the abort").isTrue();

        store.abort(key, uploadId);

        assertThat(store.stat(key)).isEmpty();
        assertThat(uploadLeftoversExist(key, uploadId)).isFalse();
        store.abort(key, uploadId); // a retried abort is harmless
    }

    @Test
    void partWhoseBytesDoNotMatchItsDigestIsRefusedAndNotKept() throws Exception {
        String key = "digest/object.bin";
        String uploadId = store.initUpload(key);
        byte[] part = randomBytes(1000, 4);
        String wrong = sha256(randomBytes(1000, 5));

        assertThatThrownBy(() -> store.putPart(key, uploadId, 1, new ByteArrayInputStream(part), wrong))
                .isInstanceOf(PartDigestMismatch.class)
                .hasMessageContaining(sha256(part));
        assertThatThrownBy(() -> store.complete(key, uploadId, List.of(new PartRef(1, "\"" + sha256(part) + "\"", (long) part.length)), sha256(part)))
                .isInstanceOf(PartMissing.class);
        store.abort(key, uploadId);
    }

    @Test
    void completingWithAPartThatNeverArrivedFails() throws Exception {
        String key = "missing/object.bin";
        String uploadId = store.initUpload(key);
        byte[] part = randomBytes(5 * MIB, 6);
        StoredPart stored = store.putPart(key, uploadId, 1, new ByteArrayInputStream(part), sha256(part));

        assertThatThrownBy(() -> store.complete(key, uploadId,
                List.of(new PartRef(1, stored.etag(), stored.sizeBytes()), new PartRef(2, stored.etag(), stored.sizeBytes())),
                sha256(part)))
                .isInstanceOf(PartMissing.class);
        assertThat(store.stat(key)).isEmpty();
        store.abort(key, uploadId);
    }

    @Test
    void resendingAPartReplacesTheEarlierOne() throws Exception {
        String key = "resend/object.bin";
        String uploadId = store.initUpload(key);
        byte[] first = randomBytes(2000, 7);
        byte[] second = randomBytes(3000, 8);
        store.putPart(key, uploadId, 1, new ByteArrayInputStream(first), sha256(first));
        StoredPart replaced = store.putPart(key, uploadId, 1, new ByteArrayInputStream(second), sha256(second));

        store.complete(key, uploadId, List.of(new PartRef(1, replaced.etag(), replaced.sizeBytes())), sha256(second));

        try (InputStream in = store.open(key, 0, null)) {
            assertThat(in.readAllBytes()).isEqualTo(second);
        }
    }

    @Test
    void deletingIsIdempotent() throws Exception {
        byte[] whole = randomBytes(10, 9);
        String key = "delete/me.bin";
        store.complete(key, lastUploadId = store.initUpload(key), List.of(putWhole(key, whole)), sha256(whole));

        store.delete(key);
        store.delete(key);
        store.delete("delete/never-existed.bin");

        assertThat(store.stat(key)).isEmpty();
        assertThatThrownBy(() -> store.open(key, 0, null)).isInstanceOf(ObjectNotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape.bin", "a/../../escape.bin", "/etc/passwd", ".hidden/x", "a/./b",
            "a//b", "a\\b", "C:/windows", "tab\tname", "", ".uploads/x", ".meta/x.sha256"})
    void hostileKeysAreRefusedBeforeTheBackendSeesThem(String key) {
        assertThatThrownBy(() -> store.initUpload(key)).isInstanceOf(ObjectKeyRefused.class);
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(ObjectKeyRefused.class);
        assertThatThrownBy(() -> store.open(key, 0, null)).isInstanceOf(ObjectKeyRefused.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(ObjectKeyRefused.class);
    }

    @Test
    void probeOfAWorkingStoreSucceeds() {
        assertThat(store.probe().ok()).isTrue();
    }

    // --- helpers

    String lastUploadId;

    List<PartRef> uploadInParts(String key, byte[] whole, int partSize) {
        lastUploadId = store.initUpload(key);
        List<PartRef> parts = new ArrayList<>();
        for (int offset = 0, n = 1; offset < whole.length; offset += partSize, n++) {
            byte[] part = Arrays.copyOfRange(whole, offset, Math.min(whole.length, offset + partSize));
            StoredPart stored = store.putPart(key, lastUploadId, n, new ByteArrayInputStream(part), sha256(part));
            assertThat(stored.sizeBytes()).isEqualTo(part.length);
            parts.add(new PartRef(n, stored.etag(), stored.sizeBytes()));
        }
        return parts;
    }

    PartRef putWhole(String key, byte[] whole) {
        StoredPart stored = store.putPart(key, lastUploadId, 1, new ByteArrayInputStream(whole), sha256(whole));
        return new PartRef(1, stored.etag(), stored.sizeBytes());
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        var digest = Digests.sha256();
        digest.update(bytes);
        return HexFormat.of().formatHex(digest.digest());
    }
}
