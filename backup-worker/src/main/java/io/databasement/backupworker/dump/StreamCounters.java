package io.databasement.backupworker.dump;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes so far, read by the progress heartbeat while the stream writes them. */
public final class StreamCounters {

    private final AtomicLong raw = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();

    void addRaw(long n) {
        raw.addAndGet(n);
    }

    void addStored(long n) {
        stored.addAndGet(n);
    }

    public long rawBytes() {
        return raw.get();
    }

    public long storedBytes() {
        return stored.get();
    }
}
