package io.databasement.storage.encryption;

import io.databasement.storage.store.Digests;
import io.databasement.storage.store.PartDigestMismatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import javax.crypto.SecretKey;

/**
 * One part's ciphertext, produced while the plaintext streams in: the header, then segment after segment (one
 * segment of plaintext in memory at a time). The plaintext's SHA-256 is checked when its end is reached, before
 * the last segment is released: a part whose digest is wrong never yields a complete ciphertext, so the store
 * below never keeps it ({@link PartDigestMismatch} is thrown from {@code read}).
 */
public final class EncryptingPartStream extends InputStream {

    public static final int SEGMENT_BYTES = 64 * 1024;

    private final InputStream plaintext;
    private final SecretKey key;
    private final PartHeader part;
    private final byte[] header;
    private final String expectedSha256;
    private final MessageDigest digest = Digests.sha256();
    private final byte[] segment;
    /** One framed segment (frame, ciphertext, tag), sealed straight into this reused buffer. */
    private final byte[] framed;
    private byte[] out;
    private int outLength;
    private int outPos;
    private int index;
    private int lookahead = -1;
    private boolean ended;
    private long plaintextBytes;

    public EncryptingPartStream(InputStream plaintext, String keyId, SecretKey key, int partNumber, String expectedSha256) {
        this(plaintext, keyId, key, partNumber, expectedSha256, SEGMENT_BYTES);
    }

    EncryptingPartStream(InputStream plaintext, String keyId, SecretKey key, int partNumber, String expectedSha256,
                         int segmentBytes) {
        this.plaintext = plaintext;
        this.key = key;
        this.part = PartHeader.fresh(keyId, partNumber, segmentBytes);
        this.header = part.toBytes();
        this.expectedSha256 = expectedSha256;
        this.segment = new byte[segmentBytes];
        this.framed = new byte[SegmentCipher.FRAME_BYTES + segmentBytes + SegmentCipher.TAG_BYTES];
        this.out = header;
        this.outLength = header.length;
    }

    /** Plaintext bytes read so far: the part's size once the stream is exhausted. */
    public long plaintextBytes() {
        return plaintextBytes;
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
        while (outPos == outLength) {
            if (ended) {
                return -1;
            }
            nextSegment();
        }
        int n = Math.min(len, outLength - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    private void nextSegment() throws IOException {
        int filled = 0;
        if (lookahead >= 0) {
            segment[filled++] = (byte) lookahead;
        }
        filled += plaintext.readNBytes(segment, filled, segment.length - filled);
        lookahead = filled == segment.length ? plaintext.read() : -1;
        boolean last = lookahead < 0;
        digest.update(segment, 0, filled);
        plaintextBytes += filled;
        if (last) {
            String actual = Digests.hex(digest);
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new PartDigestMismatch(part.partNumber(), actual);
            }
            ended = true;
        }
        int frame = SegmentCipher.frame(filled, last);
        ByteBuffer.wrap(framed).putInt(frame);
        int sealed = SegmentCipher.seal(key, header, part, index++, frame, segment, filled, framed, SegmentCipher.FRAME_BYTES);
        out = framed;
        outLength = SegmentCipher.FRAME_BYTES + sealed;
        outPos = 0;
    }

    @Override
    public void close() throws IOException {
        plaintext.close();
    }
}
