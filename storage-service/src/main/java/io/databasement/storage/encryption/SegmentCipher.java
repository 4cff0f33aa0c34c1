package io.databasement.storage.encryption;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM of one segment. Nonce: the part's random 8-byte prefix and the 4-byte segment index, so no two
 * segments of any part share one. AAD: the part header (key id, part number, ...), the segment index and the
 * segment's frame (its length and last-segment flag), so a segment moved, dropped, cut short or relabelled
 * as last fails its tag.
 */
final class SegmentCipher {

    static final int TAG_BYTES = 16;
    static final int FRAME_BYTES = 4;
    static final int OVERHEAD = FRAME_BYTES + TAG_BYTES;
    static final int LAST = 0x8000_0000;

    static int frame(int length, boolean last) {
        return length | (last ? LAST : 0);
    }

    /** Seals {@code plain[0, length)} into {@code out} from {@code offset}; returns the bytes written (data and tag). */
    static int seal(SecretKey key, byte[] header, PartHeader part, int index, int frame, byte[] plain, int length,
                    byte[] out, int offset) {
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, part, index);
            cipher.updateAAD(aad(header, index, frame));
            return cipher.doFinal(plain, 0, length, out, offset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @return the plaintext length written to {@code plain} */
    static int open(SecretKey key, byte[] header, PartHeader part, int index, int frame, byte[] sealed, int length,
                    byte[] plain) throws AEADBadTagException {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, part, index);
            cipher.updateAAD(aad(header, index, frame));
            return cipher.doFinal(sealed, 0, length, plain, 0);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, PartHeader part, int index) throws GeneralSecurityException {
        byte[] nonce = ByteBuffer.allocate(12).put(part.noncePrefix()).putInt(index).array();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
        return cipher;
    }

    private static byte[] aad(byte[] header, int index, int frame) {
        return ByteBuffer.allocate(header.length + 8).put(header).putInt(index).putInt(frame).array();
    }

    private SegmentCipher() {
    }
}
