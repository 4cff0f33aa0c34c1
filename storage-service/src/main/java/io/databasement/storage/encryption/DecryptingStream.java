package io.databasement.storage.encryption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * The plaintext of an encrypted object (its parts, one after the other), decrypted a segment at a time. Each
 * part names its key id and part number in its header; part numbers must rise from part to part, so whole parts
 * swapped are refused too. A part that ends without a segment flagged last, or bytes that fail a tag, are a
 * {@link DecryptionFailure}. A missing trailing part leaves a valid but shorter plaintext: the SHA-256 the catalog
 * recorded (and a restore checks) catches that.
 */
public final class DecryptingStream extends InputStream {

    private final InputStream source;
    private final Function<String, Optional<SecretKey>> keys;
    private final String objectKey;
    private PartHeader part;
    private byte[] header;
    private SecretKey key;
    private int index;
    private int previousPart;
    private byte[] sealed = new byte[0];
    private byte[] plain = new byte[0];
    private int plainPos;
    private int plainLength;
    private boolean ended;

    /** From the start of the object. */
    public DecryptingStream(InputStream source, Function<String, Optional<SecretKey>> keys, String objectKey) {
        this.source = source;
        this.keys = keys;
        this.objectKey = objectKey;
    }

    /**
     * From segment {@code segmentIndex} of a part whose header was read separately: {@code source} starts at
     * that segment's frame (a ranged read).
     */
    public DecryptingStream(InputStream source, Function<String, Optional<SecretKey>> keys, String objectKey,
                            byte[] partHeader, int segmentIndex) throws DecryptionFailure {
        this(source, keys, objectKey);
        startPart(partHeader);
        this.index = segmentIndex;
    }

    /**
     * Decrypts the first segment now, so a wrong key or a damaged object is known before a caller commits to an
     * answer (status line and headers).
     */
    public void prime() throws IOException {
        while (plainPos == plainLength && !ended) {
            nextSegment();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        prime();
        if (plainPos == plainLength) {
            return -1;
        }
        int n = Math.min(len, plainLength - plainPos);
        System.arraycopy(plain, plainPos, b, off, n);
        plainPos += n;
        return n;
    }

    private void nextSegment() throws IOException {
        if (part == null) {
            byte[] bytes = source.readNBytes(PartHeader.BYTES);
            if (bytes.length == 0 && previousPart > 0) {
                ended = true;
                return;
            }
            if (bytes.length < PartHeader.BYTES) {
                throw DecryptionFailure.damaged(objectKey, "it ends inside a part header");
            }
            startPart(bytes);
        }
        byte[] frameBytes = source.readNBytes(SegmentCipher.FRAME_BYTES);
        if (frameBytes.length < SegmentCipher.FRAME_BYTES) {
            throw DecryptionFailure.damaged(objectKey, "part " + part.partNumber() + " is cut short");
        }
        int frame = ByteBuffer.wrap(frameBytes).getInt();
        boolean last = (frame & SegmentCipher.LAST) != 0;
        int length = frame & ~SegmentCipher.LAST;
        if (length > part.segmentSize() || (!last && length != part.segmentSize())) {
            throw DecryptionFailure.damaged(objectKey, "part " + part.partNumber() + " has a damaged segment frame");
        }
        int sealedLength = length + SegmentCipher.TAG_BYTES;
        if (sealed.length < sealedLength) {
            sealed = new byte[sealedLength];
            plain = new byte[sealedLength];
        }
        if (source.readNBytes(sealed, 0, sealedLength) < sealedLength) {
            throw DecryptionFailure.damaged(objectKey, "part " + part.partNumber() + " is cut short");
        }
        try {
            plainLength = SegmentCipher.open(key, header, part, index, frame, sealed, sealedLength, plain);
        } catch (AEADBadTagException e) {
            // GCM cannot tell a wrong key from changed bytes: the message names both
            throw DecryptionFailure.wrongKey(objectKey, part.keyId());
        }
        plainPos = 0;
        index++;
        if (last) {
            part = null;
        }
    }

    private void startPart(byte[] bytes) throws DecryptionFailure {
        PartHeader next = PartHeader.parse(bytes, objectKey);
        if (next.partNumber() <= previousPart) {
            throw DecryptionFailure.damaged(objectKey, "part " + next.partNumber() + " follows part " + previousPart);
        }
        key = keys.apply(next.keyId()).orElseThrow(() -> DecryptionFailure.unknownKey(next.keyId()));
        part = next;
        header = bytes;
        previousPart = next.partNumber();
        index = 0;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
