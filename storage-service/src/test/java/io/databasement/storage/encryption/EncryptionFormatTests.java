package io.databasement.storage.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.databasement.storage.store.Digests;
import io.databasement.storage.store.PartDigestMismatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The encrypted part format on its own: what goes in comes out, and any change to the stored bytes is refused. */
class EncryptionFormatTests {

    static final int SEGMENT = EncryptingPartStream.SEGMENT_BYTES;
    static final SecretKey K1 = key(1);
    static final Function<String, Optional<SecretKey>> KEYS = id -> Optional.ofNullable(Map.of("k1", K1).get(id));

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * 1024 * 1024 + 17})
    void partRoundTripsAndTakesTheSizeItsPlaintextPredicts(int size) throws Exception {
        byte[] plain = random(size, size);

        byte[] stored = encrypt(plain, 1);

        assertThat(stored.length).isEqualTo(PartHeader.storedSize(size, SEGMENT));
        assertThat(decrypt(stored)).isEqualTo(plain);
    }

    @Test
    void severalPartsOneAfterTheOtherDecryptAsOneObject() throws Exception {
        byte[] first = random(SEGMENT * 2, 1);
        byte[] second = random(1000, 2);

        byte[] object = concat(encrypt(first, 1), encrypt(second, 3));

        assertThat(decrypt(object)).isEqualTo(concat(first, second));
    }

    @Test
    void storedBytesDoNotContainThePlaintext() throws Exception {
        byte[] plain = "-- PostgreSQL database dump: marker-7f3a".repeat(100).getBytes();

        byte[] stored = encrypt(plain, 1);

        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("marker-7f3a");
    }

    @Test
    void oneChangedByteAnywhereInASegmentIsRefused() throws Exception {
        byte[] stored = encrypt(random(3 * SEGMENT, 3), 1);
        for (int at : new int[] {PartHeader.BYTES + 10, PartHeader.BYTES + SEGMENT + 30, stored.length - 1, 20}) {
            byte[] tampered = stored.clone();
            tampered[at] ^= 1;
            assertThatThrownBy(() -> decrypt(tampered)).as("byte %d", at).isInstanceOf(DecryptionFailure.class);
        }
    }

    @Test
    void swappedSegmentsAreRefused() throws Exception {
        byte[] stored = encrypt(random(3 * SEGMENT, 4), 1);
        int length = SEGMENT + SegmentCipher.OVERHEAD;
        byte[] swapped = stored.clone();
        System.arraycopy(stored, PartHeader.BYTES, swapped, PartHeader.BYTES + length, length);
        System.arraycopy(stored, PartHeader.BYTES + length, swapped, PartHeader.BYTES, length);

        assertThatThrownBy(() -> decrypt(swapped)).isInstanceOf(DecryptionFailure.class);
    }

    @Test
    void swappedPartsAreRefused() throws Exception {
        byte[] first = encrypt(random(1000, 5), 1);
        byte[] second = encrypt(random(1000, 6), 2);

        assertThatThrownBy(() -> decrypt(concat(second, first)))
                .isInstanceOf(DecryptionFailure.class).hasMessageContaining("part 1 follows part 2");
    }

    @Test
    void truncationInsideAPartIsRefusedEvenAtASegmentBoundary() throws Exception {
        byte[] stored = encrypt(random(3 * SEGMENT, 7), 1);
        int atBoundary = PartHeader.BYTES + 2 * (SEGMENT + SegmentCipher.OVERHEAD);

        assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, atBoundary))).isInstanceOf(DecryptionFailure.class);
        assertThatThrownBy(() -> decrypt(Arrays.copyOf(stored, stored.length - 5))).isInstanceOf(DecryptionFailure.class);
        assertThatThrownBy(() -> decrypt(new byte[0])).isInstanceOf(DecryptionFailure.class);
    }

    @Test
    void aWrongKeyUnderTheSameIdIsRefusedNamingTheKeyId() throws Exception {
        byte[] stored = encrypt(random(100, 8), 1);
        Function<String, Optional<SecretKey>> otherKey = id -> Optional.of(key(2));

        assertThatThrownBy(() -> readAll(new DecryptingStream(new ByteArrayInputStream(stored), otherKey, "srv/db/x.sql")))
                .isInstanceOf(DecryptionFailure.class)
                .hasMessage("object srv/db/x.sql was encrypted with key 'k1'; the configured key 'k1' does not decrypt it "
                        + "(wrong key or damaged object)");
    }

    @Test
    void aKeyIdThatIsNotConfiguredIsNamed() throws Exception {
        byte[] stored = encrypt(random(100, 9), 1);

        assertThatThrownBy(() -> readAll(new DecryptingStream(new ByteArrayInputStream(stored), id -> Optional.empty(), "x")))
                .isInstanceOf(DecryptionFailure.class)
                .satisfies(e -> assertThat(((DecryptionFailure) e).problem().slug()).isEqualTo("unknown-encryption-key"));
    }

    @Test
    void aPartWhosePlaintextDoesNotMatchItsDigestNeverYieldsItsLastSegment() {
        byte[] plain = random(SEGMENT + 5, 10);
        EncryptingPartStream stream = new EncryptingPartStream(new ByteArrayInputStream(plain), "k1", K1, 1,
                sha256(random(10, 11)));

        assertThatThrownBy(stream::readAllBytes).isInstanceOf(PartDigestMismatch.class);
    }

    @Test
    void aRangedReadStartsAtTheSegmentHoldingTheOffset() throws Exception {
        long partSize = 3L * SEGMENT + 100;
        byte[] first = random((int) partSize, 12);
        byte[] second = random((int) partSize, 13);
        byte[] third = random(5000, 14);
        byte[] object = concat(concat(encrypt(first, 1), encrypt(second, 2)), encrypt(third, 3));
        byte[] plain = concat(concat(first, second), third);
        EncryptedLayout layout = new EncryptedLayout("k1", plain.length, partSize);

        for (long offset : new long[] {1, SEGMENT, SEGMENT + 7, partSize - 1, partSize, partSize + 2 * SEGMENT + 3,
                2 * partSize, plain.length - 1}) {
            EncryptedLayout.Seek seek = layout.seek(offset);
            byte[] header = Arrays.copyOfRange(object, (int) seek.headerOffset(), (int) seek.headerOffset() + PartHeader.BYTES);
            InputStream from = new ByteArrayInputStream(object, (int) seek.segmentOffset(), object.length);
            DecryptingStream stream = new DecryptingStream(from, KEYS, "x", header, seek.segmentIndex());
            stream.skipNBytes(seek.skip());

            assertThat(stream.readAllBytes()).as("offset %d", offset)
                    .isEqualTo(Arrays.copyOfRange(plain, (int) offset, plain.length));
        }
    }

    static byte[] encrypt(byte[] plain, int partNumber) throws IOException {
        try (EncryptingPartStream stream = new EncryptingPartStream(new ByteArrayInputStream(plain), "k1", K1, partNumber,
                sha256(plain))) {
            byte[] stored = stream.readAllBytes();
            assertThat(stream.plaintextBytes()).isEqualTo(plain.length);
            return stored;
        }
    }

    static byte[] decrypt(byte[] stored) throws IOException {
        return readAll(new DecryptingStream(new ByteArrayInputStream(stored), KEYS, "x"));
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        MessageDigest digest = Digests.sha256();
        digest.update(bytes);
        return Digests.hex(digest);
    }

    static SecretKey key(int seed) {
        return new SecretKeySpec(random(32, seed), "AES");
    }
}
