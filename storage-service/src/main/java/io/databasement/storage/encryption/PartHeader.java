package io.databasement.storage.encryption;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The fixed-size header that starts every encrypted part: {@code "DBMENC1"}, format version, key id (length
 * byte and 63 zero-padded bytes), part number, plaintext segment size and the part's random 8-byte nonce
 * prefix. Fixed size, so the ciphertext size of a part follows from its plaintext size alone (what ranged
 * reads rely on). Its bytes are part of every segment's AAD: changing any field fails the first segment.
 */
record PartHeader(String keyId, int partNumber, int segmentSize, byte[] noncePrefix) {

    static final byte[] MAGIC = "DBMENC1".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final int KEY_ID_FIELD = 63;
    static final int NONCE_PREFIX = 8;
    static final int BYTES = MAGIC.length + 1 + 1 + KEY_ID_FIELD + 4 + 4 + NONCE_PREFIX;
    /** A bound on what a damaged header may make us allocate. */
    static final int MAX_SEGMENT = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    static PartHeader fresh(String keyId, int partNumber, int segmentSize) {
        byte[] prefix = new byte[NONCE_PREFIX];
        RANDOM.nextBytes(prefix);
        return new PartHeader(keyId, partNumber, segmentSize, prefix);
    }

    byte[] toBytes() {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        buffer.put(MAGIC).put(VERSION).put((byte) id.length).put(Arrays.copyOf(id, KEY_ID_FIELD))
                .putInt(partNumber).putInt(segmentSize).put(noncePrefix);
        return buffer.array();
    }

    /** @throws DecryptionFailure if the bytes are not a header this version writes */
    static PartHeader parse(byte[] bytes, String objectKey) throws DecryptionFailure {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw DecryptionFailure.damaged(objectKey, "a part does not start with the DBMENC1 header");
        }
        byte version = buffer.get();
        if (version != VERSION) {
            throw DecryptionFailure.damaged(objectKey, "a part has format version " + version + ", this service reads " + VERSION);
        }
        int idLength = buffer.get();
        byte[] id = new byte[KEY_ID_FIELD];
        buffer.get(id);
        int partNumber = buffer.getInt();
        int segmentSize = buffer.getInt();
        byte[] prefix = new byte[NONCE_PREFIX];
        buffer.get(prefix);
        if (idLength < 1 || idLength > KEY_ID_FIELD || segmentSize < 1 || segmentSize > MAX_SEGMENT || partNumber < 1) {
            throw DecryptionFailure.damaged(objectKey, "a part header is damaged");
        }
        return new PartHeader(new String(id, 0, idLength, StandardCharsets.US_ASCII), partNumber, segmentSize, prefix);
    }

    /** Bytes a part of {@code plaintextBytes} takes stored: header, then per segment a 4-byte frame, the data and a tag. */
    static long storedSize(long plaintextBytes, int segmentSize) {
        long segments = Math.max(1, (plaintextBytes + segmentSize - 1) / segmentSize);
        return BYTES + plaintextBytes + segments * SegmentCipher.OVERHEAD;
    }
}
