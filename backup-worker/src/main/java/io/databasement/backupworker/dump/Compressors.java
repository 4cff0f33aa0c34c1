package io.databasement.backupworker.dump;

import com.github.luben.zstd.ZstdOutputStream;
import io.databasement.contracts.Compression;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** The compressor for each {@link Compression}, writing into the part stream. */
final class Compressors {

    static OutputStream wrap(Compression compression, int level, OutputStream out) throws IOException {
        return switch (compression) {
            case ZSTD -> new ZstdOutputStream(out, level);
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
