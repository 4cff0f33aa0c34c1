package io.databasement.storage.store;

import static io.databasement.storage.store.ObjectStoreContract.randomBytes;
import static io.databasement.storage.store.ObjectStoreContract.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.databasement.storage.encryption.EncryptedLayout;
import io.databasement.storage.encryption.EncryptionKeys;
import io.databasement.storage.encryption.EncryptionProperties;
import io.databasement.storage.web.Problem;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local upload with a declared part size: parts written in place, the object hashed while they arrive. */
class PositionalUploadTests {

    static final int PART = 100_000;
    static final String KEY = "srv/db/dump.bin";

    @TempDir
    Path tmp;

    Path root;
    LocalObjectStore store;
    byte[] whole = randomBytes(3 * PART + 1234, 42);

    @BeforeEach
    void openStore() throws IOException {
        root = Files.createDirectories(tmp.resolve("volume"));
        store = new LocalObjectStore(root);
    }

    @Test
    void partsArrivingOutOfOrderLandInPlaceAndCompleteWithoutASecondCopy() throws Exception {
        String uploadId = start(store);
        List<PartRef> refs = new ArrayList<>(List.of(new PartRef(0, null), new PartRef(0, null), new PartRef(0, null), new PartRef(0, null)));
        for (int n : new int[] {4, 2, 3, 1}) {
            refs.set(n - 1, put(store, uploadId, n, part(n)));
        }
        Path data = root.resolve(".uploads").resolve(uploadId).resolve(PositionalUpload.DATA);
        Object dataFile = Files.readAttributes(data, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        ObjectStat stat = store.complete(KEY, uploadId, refs, sha256(whole));

        assertThat(stat.sizeBytes()).isEqualTo(whole.length);
        assertThat(Files.readAllBytes(root.resolve(KEY))).isEqualTo(whole);
        assertThat(Files.readAttributes(root.resolve(KEY), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .as("the data file itself was renamed into place").isEqualTo(dataFile);
        assertThat(root.resolve(".uploads").resolve(uploadId)).doesNotExist();
    }

    @Test
    void aRetriedPartRewritesItsRangeAndTheLastSendingCounts() throws Exception {
        String uploadId = start(store);
        List<PartRef> refs = putAll(store, uploadId);
        byte[] other = randomBytes(PART, 7);
        PartRef replaced = put(store, uploadId, 2, other);
        refs.set(1, replaced);
        byte[] expected = whole.clone();
        System.arraycopy(other, 0, expected, PART, PART);

        store.complete(KEY, uploadId, refs, sha256(expected));

        assertThat(Files.readAllBytes(root.resolve(KEY))).isEqualTo(expected);
    }

    @Test
    void aSlowEarlierAttemptIsCutOffByItsRetryInsteadOfWritingOverIt() throws Exception {
        String uploadId = start(store);
        List<PartRef> refs = putAll(store, uploadId);
        CountDownLatch firstChunkWritten = new CountDownLatch(1);
        CountDownLatch retryDone = new CountDownLatch(1);
        byte[] stale = randomBytes(PART, 8);
        InputStream stalling = new FilterInputStream(new ByteArrayInputStream(stale)) {
            int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (reads++ == 1) {
                    firstChunkWritten.countDown();
                    await(retryDone);
                }
                return super.read(b, off, Math.min(len, 1000));
            }
        };
        CompletableFuture<StoredPart> slow = CompletableFuture.supplyAsync(
                () -> store.putPart(KEY, uploadId, 2, stalling, sha256(stale)));
        await(firstChunkWritten);
        refs.set(1, put(store, uploadId, 2, part(2)));
        retryDone.countDown();

        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(Problem.class)
                .hasMessageContaining("being sent again");
        store.complete(KEY, uploadId, refs, sha256(whole));
        assertThat(Files.readAllBytes(root.resolve(KEY))).isEqualTo(whole);
    }

    @Test
    void aPartThatFailsItsDigestLeavesItsRangeMissingUntilSentAgain() throws Exception {
        String uploadId = start(store);
        List<PartRef> refs = putAll(store, uploadId);
        byte[] damaged = part(3).clone();
        damaged[10] ^= 1;

        assertThatThrownBy(() -> store.putPart(KEY, uploadId, 3, new ByteArrayInputStream(damaged), sha256(part(3))))
                .isInstanceOf(PartDigestMismatch.class);
        assertThatThrownBy(() -> store.complete(KEY, uploadId, refs, sha256(whole))).isInstanceOf(PartMissing.class);
        assertThat(store.stat(KEY)).isEmpty();

        refs.set(2, put(store, uploadId, 3, part(3)));
        store.complete(KEY, uploadId, refs, sha256(whole));
        assertThat(Files.readAllBytes(root.resolve(KEY))).isEqualTo(whole);
    }

    @Test
    void completingWithAMissingOrShortPartFailsAndTheUploadStaysOpen() throws Exception {
        String uploadId = start(store);
        List<PartRef> refs = new ArrayList<>();
        refs.add(put(store, uploadId, 1, part(1)));
        refs.add(put(store, uploadId, 2, Arrays.copyOf(part(2), PART - 1)));
        refs.add(put(store, uploadId, 4, part(4)));

        assertThatThrownBy(() -> store.complete(KEY, uploadId, List.of(refs.get(0), new PartRef(2, null), new PartRef(3, null),
                refs.get(2)), sha256(whole))).isInstanceOf(Problem.class).hasMessageContaining("part 2 has 99999 bytes");
        // as the last part it may be short: then the object is simply not the one the digest names
        assertThatThrownBy(() -> store.complete(KEY, uploadId, List.of(refs.get(0), new PartRef(2, null)), sha256(whole)))
                .isInstanceOf(ObjectDigestMismatch.class);
        assertThatThrownBy(() -> store.complete(KEY, uploadId, List.of(refs.get(0), refs.get(2)), sha256(whole)))
                .isInstanceOf(Problem.class).hasMessageContaining("part 2 is not listed");
        put(store, uploadId, 2, part(2));
        assertThatThrownBy(() -> store.complete(KEY, uploadId, List.of(refs.get(0), new PartRef(2, null), new PartRef(3, null),
                refs.get(2)), sha256(whole))).isInstanceOf(PartMissing.class).hasMessageContaining("part 3");
        assertThatThrownBy(() -> store.putPart(KEY, uploadId, 3, new ByteArrayInputStream(new byte[PART + 1]), null))
                .isInstanceOf(Problem.class).hasMessageContaining("larger than the part size");

        put(store, uploadId, 3, part(3));
        store.complete(KEY, uploadId, List.of(new PartRef(1, null), new PartRef(2, null), new PartRef(3, null),
                new PartRef(4, null)), sha256(whole));
        assertThat(Files.readAllBytes(root.resolve(KEY))).isEqualTo(whole);
    }

    @Test
    void theDigestBuiltWhilePartsArriveIsTheDigestOfTheWholeFile() throws Exception {
        String uploadId = start(store);
        List<PartRef> refs = putAll(store, uploadId);
        assertThat(store.hashedParts(uploadId)).as("all parts hashed before complete").isEqualTo(4);

        assertThatThrownBy(() -> store.complete(KEY, uploadId, refs, sha256(new byte[1])))
                .isInstanceOf(ObjectDigestMismatch.class).hasMessageContaining(sha256(whole));
        assertThat(store.complete(KEY, uploadId, refs, sha256(whole)).sha256()).isEqualTo(sha256(whole));
    }

    @Test
    void aPartSentAgainAfterItWasHashedMakesCompleteReadEverythingAgain() throws Exception {
        String uploadId = start(store);
        List<PartRef> refs = putAll(store, uploadId);
        byte[] other = randomBytes(PART, 9);
        refs.set(0, put(store, uploadId, 1, other));
        byte[] expected = whole.clone();
        System.arraycopy(other, 0, expected, 0, PART);

        assertThatThrownBy(() -> store.complete(KEY, uploadId, refs, sha256(whole)))
                .isInstanceOf(ObjectDigestMismatch.class).hasMessageContaining(sha256(expected));
        store.complete(KEY, uploadId, refs, sha256(expected));
    }

    @Test
    void anUploadStartedBeforeARestartCompletesByReadingItsFileBack() throws Exception {
        String uploadId = start(store);
        put(store, uploadId, 1, part(1));
        put(store, uploadId, 3, part(3));
        LocalObjectStore restarted = new LocalObjectStore(root);

        put(restarted, uploadId, 2, part(2));
        put(restarted, uploadId, 4, part(4));
        assertThat(restarted.hashedParts(uploadId)).isZero();

        assertThatThrownBy(() -> restarted.complete(KEY, uploadId, refs(), sha256(new byte[1])))
                .isInstanceOf(ObjectDigestMismatch.class).hasMessageContaining(sha256(whole));
        restarted.complete(KEY, uploadId, refs(), sha256(whole));
        assertThat(Files.readAllBytes(root.resolve(KEY))).isEqualTo(whole);
    }

    @Test
    void anEncryptedUploadLaysOutCiphertextInPlaceAndReadsBackPlaintextAlsoAfterARestart() throws Exception {
        EncryptionKeys keys = new EncryptionKeys(new EncryptionProperties(Map.of("k1", EncryptingObjectStoreTests.K1)));
        for (boolean restart : new boolean[] {false, true}) {
            String key = "enc/" + restart + ".bin";
            LocalObjectStore below = new LocalObjectStore(root);
            ObjectStore encrypted = new EncryptingObjectStore(below, keys, "k1");
            String uploadId = encrypted.initUpload(key, UploadPlan.partSize((long) PART));
            List<PartRef> refs = new ArrayList<>(Arrays.asList(null, null, null, null));
            for (int n : new int[] {2, 4, 1}) {
                StoredPart stored = encrypted.putPart(key, uploadId, n, new ByteArrayInputStream(part(n)), sha256(part(n)));
                refs.set(n - 1, new PartRef(n, stored.etag(), stored.sizeBytes()));
            }
            if (restart) {
                below = new LocalObjectStore(root);
                encrypted = new EncryptingObjectStore(below, keys, "k1");
            }
            StoredPart third = encrypted.putPart(key, uploadId, 3, new ByteArrayInputStream(part(3)), sha256(part(3)));
            refs.set(2, new PartRef(3, third.etag(), third.sizeBytes()));
            assertThat(below.hashedParts(uploadId)).isEqualTo(restart ? 0 : 4);

            ObjectStat stat = encrypted.complete(key, uploadId, refs, sha256(whole));

            assertThat(stat.sizeBytes()).isEqualTo(whole.length);
            assertThat(Files.size(root.resolve(key))).isEqualTo(3 * EncryptedLayout.storedPartSize(PART)
                    + EncryptedLayout.storedPartSize(1234));
            try (InputStream in = encrypted.open(key, 0, null)) {
                assertThat(in.readAllBytes()).isEqualTo(whole);
            }
            try (InputStream in = encrypted.open(key, 2 * PART + 70_000, 31_000L)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(whole, 2 * PART + 70_000, 3 * PART + 1_000));
            }
        }
    }

    @Test
    void abortRemovesTheDataFileAndALatePartIsRefused() throws Exception {
        String uploadId = start(store);
        put(store, uploadId, 1, part(1));

        store.abort(KEY, uploadId);

        try (Stream<Path> left = Files.list(root.resolve(".uploads"))) {
            assertThat(left).isEmpty();
        }
        assertThatThrownBy(() -> put(store, uploadId, 2, part(2))).isInstanceOf(PartMissing.class);
        assertThat(root.resolve(".uploads").resolve(uploadId)).doesNotExist();
    }

    // --- helpers

    String start(LocalObjectStore on) {
        return on.initUpload(KEY, UploadPlan.partSize((long) PART));
    }

    byte[] part(int n) {
        return Arrays.copyOfRange(whole, (n - 1) * PART, Math.min(whole.length, n * PART));
    }

    List<PartRef> putAll(LocalObjectStore on, String uploadId) {
        List<PartRef> refs = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            refs.add(put(on, uploadId, n, part(n)));
        }
        return refs;
    }

    static List<PartRef> refs() {
        return List.of(new PartRef(1, null), new PartRef(2, null), new PartRef(3, null), new PartRef(4, null));
    }

    static PartRef put(LocalObjectStore on, String uploadId, int n, byte[] bytes) {
        StoredPart stored = on.putPart(KEY, uploadId, n, new ByteArrayInputStream(bytes), sha256(bytes));
        assertThat(stored.sizeBytes()).isEqualTo(bytes.length);
        return new PartRef(n, stored.etag(), stored.sizeBytes());
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
