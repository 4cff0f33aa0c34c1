package io.databasement.backupworker.dump;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The end of the pipeline: counts and hashes the stored (compressed) bytes and cuts them into parts of
 * exactly {@code partSize} bytes (the last one shorter).
 */
final class PartOutputStream extends OutputStream {

    private final PartUploader uploader;
    private final StreamCounters counters;
    private final MessageDigest digest = PartUploader.newSha256();
    private byte[] buffer;
    private int filled;
    private long total;
    private boolean closed;
    private boolean abandoned;

    PartOutputStream(PartUploader uploader, StreamCounters counters) {
        this.uploader = uploader;
        this.counters = counters;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (abandoned) {
            return;
        }
        digest.update(bytes, offset, length);
        total += length;
        counters.addStored(length);
        while (length > 0) {
            if (buffer == null) {
                buffer = uploader.takeBuffer();
                filled = 0;
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == buffer.length) {
                uploader.submit(buffer, filled);
                buffer = null;
            }
        }
    }

    /**
     * The dump failed: what the compressor still flushes on its way out is dropped, and no last part is sent (it
     * would only wait for a free buffer behind uploads that no longer matter).
     */
    void abandon() {
        abandoned = true;
        buffer = null;
    }

    /** Sends the last, partial part. An empty stream still becomes one (empty) part: an object needs one. */
    @Override
    public void close() throws IOException {
        if (closed || abandoned) {
            return;
        }
        closed = true;
        if (buffer != null && filled > 0 || uploader.partsSubmitted() == 0) {
            if (buffer == null) {
                buffer = uploader.takeBuffer();
                filled = 0;
            }
            uploader.submit(buffer, filled);
            buffer = null;
        }
    }

    long total() {
        return total;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
