package io.databasement.restoreworker.load;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes so far, read by the progress heartbeat while the load writes them. */
public final class LoadCounters {

    private final AtomicLong read = new AtomicLong();
    private final AtomicLong raw = new AtomicLong();

    void addRead(long n) {
        read.addAndGet(n);
    }

    void addRaw(long n) {
        raw.addAndGet(n);
    }

    /** Artifact bytes read from storage. */
    public long bytesRead() {
        return read.get();
    }

    /** Decompressed bytes handed to the restore tool. */
    public long rawBytes() {
        return raw.get();
    }
}
