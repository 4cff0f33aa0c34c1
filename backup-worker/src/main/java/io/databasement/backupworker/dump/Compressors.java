package io.databasement.backupworker.dump;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.databasement.contracts.Compression;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The compressor for each {@link Compression}, writing into the part stream. zstd runs as the {@code zstd -N} CLI
 * does by default: one zstd worker thread (ZSTDMT with {@code nbWorkers=1}), no long-distance matching (its larger
 * window costs memory and time for little on a dump). Measured on a 520 MB pg_dump at level 3 (bench/README.md):
 * one worker took 4.6–5.1 s of CPU and wrote 180.03 MB, the single-threaded mode 5.9–6.1 s and 180.97 MB; the worker
 * also compresses while the calling thread hands it the next input. Its job buffers (a few MiB at level 3) are
 * native memory, not heap. The stream has no finalizer and takes its output buffer from a shared pool, so a dump
 * allocates nothing per stream that the GC must chase; closing it frees its native context and its thread.
 */
final class Compressors {

    /** Makes the compressor of a dump: {@link #wrap}, or in tests one that fails. */
    @FunctionalInterface
    interface Factory {
        OutputStream wrap(Compression compression, int level, OutputStream out) throws IOException;
    }

    static OutputStream wrap(Compression compression, int level, OutputStream out) throws IOException {
        return switch (compression) {
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE).setLevel(level).setLong(0).setWorkers(1);
            case GZIP -> new LeveledGzip(out, level);
            // FilterOutputStream writes arrays byte by byte: pass them straight through
            case NONE -> new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }
            };
        };
    }

    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }

    private Compressors() {
    }
}
