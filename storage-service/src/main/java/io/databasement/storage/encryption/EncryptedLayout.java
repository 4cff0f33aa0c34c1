package io.databasement.storage.encryption;

import io.databasement.storage.store.PartRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an encrypted object's metadata says about it, and where a plaintext offset lies in its ciphertext.
 * {@value #KEY_ID} marks the object as encrypted (an object without it is plaintext, whatever its bytes look
 * like); {@value #PLAINTEXT_SIZE} is its plaintext size; {@value #PART_SIZE}, present when every part but the
 * last has that plaintext size (and the last no more), lets a ranged read start at the right segment instead of decrypting from the start.
 *
 * @param partBytes plaintext size of every part but the last; null when the parts differ
 */
public record EncryptedLayout(String keyId, long plaintextBytes, Long partBytes) {

    public static final String KEY_ID = "dbm-encryption";
    public static final String PLAINTEXT_SIZE = "dbm-plaintext-size";
    public static final String PART_SIZE = "dbm-plaintext-part-size";
    public static final int HEADER_BYTES = PartHeader.BYTES;

    /** Where to read from: the part's header, and the frame of the segment holding the offset. */
    public record Seek(long headerOffset, long segmentOffset, int segmentIndex, long skip) {
    }

    public static Optional<EncryptedLayout> of(Map<String, String> metadata) {
        String keyId = metadata.get(KEY_ID);
        if (keyId == null) {
            return Optional.empty();
        }
        String partSize = metadata.get(PART_SIZE);
        return Optional.of(new EncryptedLayout(keyId, Long.parseLong(metadata.get(PLAINTEXT_SIZE)),
                partSize == null ? null : Long.valueOf(partSize)));
    }

    /** The metadata of an object assembled from {@code parts}, whose sizes are the plaintext sizes putPart reported. */
    public static Map<String, String> metadata(String keyId, List<PartRef> parts) {
        long total = 0;
        Long uniform = null;
        boolean even = true;
        for (int i = 0; i < parts.size(); i++) {
            Long size = parts.get(i).sizeBytes();
            if (size == null) {
                throw new IllegalArgumentException("part " + parts.get(i).partNumber() + " has no recorded size");
            }
            total += size;
            if (i < parts.size() - 1 || parts.size() == 1) {
                even &= uniform == null || uniform.equals(size);
                uniform = size;
            }
        }
        Map<String, String> metadata = new HashMap<>();
        metadata.put(KEY_ID, keyId);
        metadata.put(PLAINTEXT_SIZE, Long.toString(total));
        // a last part larger than the others would put its offsets in a part that does not exist
        long last = parts.isEmpty() ? 0 : parts.get(parts.size() - 1).sizeBytes();
        if (even && uniform != null && uniform > 0 && last <= uniform) {
            metadata.put(PART_SIZE, Long.toString(uniform));
        }
        return metadata;
    }

    /** Bytes a part of {@code plaintextBytes} takes stored (header, segments and their tags). */
    public static long storedPartSize(long plaintextBytes) {
        return PartHeader.storedSize(plaintextBytes, EncryptingPartStream.SEGMENT_BYTES);
    }

    /** Where plaintext {@code offset} starts; null when reading has to start at the beginning (and skip). */
    public Seek seek(long offset) {
        if (offset == 0 || partBytes == null) {
            return null;
        }
        int segment = EncryptingPartStream.SEGMENT_BYTES;
        long part = offset / partBytes;
        long within = offset % partBytes;
        long partStart = part * PartHeader.storedSize(partBytes, segment);
        long segmentIndex = within / segment;
        return new Seek(partStart, partStart + PartHeader.BYTES + segmentIndex * (segment + SegmentCipher.OVERHEAD),
                (int) segmentIndex, within % segment);
    }
}
