package io.databasement.engines.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XXH64 (seed 0), streaming: a row may arrive split across read chunks. Chosen for row checksums because it is
 * fast on short inputs, has full 64-bit avalanche (a sum of hashes needs well-spread values, which FNV-1a lacks)
 * and is specified exactly, so another tool can recompute a snapshot's checksums. Not thread-safe.
 */
final class Xxh64 {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] pending = new byte[32];
    private int pendingLength;
    private long total;
    private long v1;
    private long v2;
    private long v3;
    private long v4;

    Xxh64() {
        reset();
    }

    void reset() {
        v1 = P1 + P2;
        v2 = P2;
        v3 = 0;
        v4 = -P1;
        total = 0;
        pendingLength = 0;
    }

    void update(byte[] bytes, int offset, int length) {
        total += length;
        if (pendingLength + length < 32) {
            System.arraycopy(bytes, offset, pending, pendingLength, length);
            pendingLength += length;
            return;
        }
        if (pendingLength > 0) {
            int fill = 32 - pendingLength;
            System.arraycopy(bytes, offset, pending, pendingLength, fill);
            stripe(pending, 0);
            offset += fill;
            length -= fill;
            pendingLength = 0;
        }
        while (length >= 32) {
            stripe(bytes, offset);
            offset += 32;
            length -= 32;
        }
        System.arraycopy(bytes, offset, pending, 0, length);
        pendingLength = length;
    }

    private void stripe(byte[] b, int at) {
        v1 = round(v1, (long) LONGS.get(b, at));
        v2 = round(v2, (long) LONGS.get(b, at + 8));
        v3 = round(v3, (long) LONGS.get(b, at + 16));
        v4 = round(v4, (long) LONGS.get(b, at + 24));
    }

    /** The hash of everything since {@link #reset()}; the state is left as it was. */
    long digest() {
        long h;
        if (total >= 32) {
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += total;
        int i = 0;
        for (; i + 8 <= pendingLength; i += 8) {
            h ^= round(0, (long) LONGS.get(pending, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i + 4 <= pendingLength) {
            h ^= ((int) INTS.get(pending, i) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        for (; i < pendingLength; i++) {
            h ^= (pending[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long h, long v) {
        h ^= round(0, v);
        return h * P1 + P4;
    }
}
