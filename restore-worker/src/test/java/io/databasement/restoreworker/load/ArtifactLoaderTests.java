package io.databasement.restoreworker.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import io.databasement.contracts.Compression;
import io.databasement.engines.PostgresEngine;
import io.databasement.engines.ToolInvocation;
import io.databasement.worker.cancel.JobCancellation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream plumbing with a stand-in tool (a shell script reading stdin); real tools are in the ITs. */
@Timeout(60)
class ArtifactLoaderTests {

    private static final String SQL = "CREATE TABLE t(x int);\n".repeat(20_000)
            + "-- PostgreSQL database dump complete\n--\n\\unrestrict abc123\n";
    private final ArtifactLoader loader = new ArtifactLoader();
    private final PostgresEngine engine = new PostgresEngine();

    private static ToolInvocation tool(String script) {
        return new ToolInvocation(List.of("sh", "-c", script), Map.of("PGPASSWORD", "pw"), "fake psql 1.0");
    }

    @Test
    void everyDecompressedByteReachesTheToolAndTheChecksumCoversTheStoredBytes() throws Exception {
        byte[] stored = zstd(SQL.getBytes(StandardCharsets.UTF_8));
        LoadCounters counters = new LoadCounters();

        // the tool fails unless it received exactly the SQL
        LoadResult result = loader.load(new ByteArrayInputStream(stored), Compression.ZSTD,
                tool("test \"$(wc -c)\" -eq " + SQL.getBytes(StandardCharsets.UTF_8).length), engine, counters, "pw");

        assertThat(result.exitCode()).isZero();
        assertThat(result.sha256()).isEqualTo(sha256(stored));
        assertThat(result.bytesRead()).isEqualTo(stored.length).isEqualTo(counters.bytesRead());
        assertThat(result.rawBytes()).isEqualTo(SQL.getBytes(StandardCharsets.UTF_8).length);
        assertThat(result.trailerFound()).isTrue();
        assertThat(result.problem(sha256(stored), stored.length, "psql", engine.dumpTrailer())).isNull();
    }

    @Test
    void gzipAndUncompressedArtifactsLoadToo() throws Exception {
        byte[] raw = SQL.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        }
        assertThat(loader.load(new ByteArrayInputStream(gz.toByteArray()), Compression.GZIP, tool("cat > /dev/null"), engine,
                new LoadCounters(), null).rawBytes()).isEqualTo(raw.length);
        assertThat(loader.load(new ByteArrayInputStream(raw), Compression.NONE, tool("cat > /dev/null"), engine,
                new LoadCounters(), null).sha256()).isEqualTo(sha256(raw));
    }

    @Test
    void whenTheToolStopsEarlyTheWholeArtifactIsStillReadForTheChecksumAndTheToolsErrorIsKept() throws Exception {
        byte[] stored = zstd(SQL.getBytes(StandardCharsets.UTF_8));

        LoadResult result = loader.load(new ByteArrayInputStream(stored), Compression.ZSTD,
                tool("head -c 100 > /dev/null; echo 'psql:<stdin>:3: ERROR:  relation \"nowhere\" does not exist' >&2; exit 3"),
                engine, new LoadCounters(), "pw");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.toolReason()).isEqualTo("ERROR:  relation \"nowhere\" does not exist");
        assertThat(result.sha256()).isEqualTo(sha256(stored));
        assertThat(result.bytesRead()).isEqualTo(stored.length);
    }

    @Test
    void aCorruptedArtifactIsReportedAsAChecksumMismatchNotAsTheDecoderError() throws Exception {
        byte[] stored = zstd(SQL.getBytes(StandardCharsets.UTF_8));
        byte[] corrupt = stored.clone();
        corrupt[corrupt.length / 2] ^= 0x40;

        LoadResult result = loader.load(new ByteArrayInputStream(corrupt), Compression.ZSTD, tool("cat > /dev/null"), engine,
                new LoadCounters(), null);

        assertThat(result.bytesRead()).isEqualTo(corrupt.length);
        assertThat(result.problem(sha256(stored), stored.length, "psql", engine.dumpTrailer())).startsWith("checksum mismatch");
    }

    @Test
    void aTruncatedDumpIsNotComplete() throws Exception {
        byte[] raw = "CREATE TABLE t(x int);\n".getBytes(StandardCharsets.UTF_8);
        LoadResult result = loader.load(new ByteArrayInputStream(raw), Compression.NONE, tool("cat > /dev/null"), engine,
                new LoadCounters(), null);
        assertThat(result.trailerFound()).isFalse();
    }

    @Test
    void theToolsErrorNeverCarriesThePassword() throws Exception {
        LoadResult result = loader.load(new ByteArrayInputStream(new byte[0]), Compression.NONE,
                tool("echo \"ERROR:  bad password $PGPASSWORD\" >&2; exit 2"), engine, new LoadCounters(), "pw");
        assertThat(result.toolReason()).isEqualTo("ERROR:  bad password ***");
    }

    @Test
    void aDownloadThatBreaksOffIsReportedAsSuchAndLeavesNoThreadBehind() throws Exception {
        byte[] stored = zstd(SQL.getBytes(StandardCharsets.UTF_8));
        // half the artifact, then the connection breaks for good (the resuming stream has given up)
        InputStream breaking = new SequenceInputStream(new ByteArrayInputStream(stored, 0, stored.length / 2), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });

        assertThatThrownBy(() -> loader.load(breaking, Compression.ZSTD, tool("cat > /dev/null"), engine, new LoadCounters(), null))
                .isInstanceOf(ArtifactLoader.LoadFailedException.class)
                .hasMessage("reading the artifact from storage failed: connection reset");
        assertThat(downloadThreads()).isEmpty();
    }

    @Test
    void whenTheToolStopsAtOnceAnArtifactLargerThanTheReadAheadIsStillReadToItsLastByte() throws Exception {
        byte[] stored = new byte[6 * 1024 * 1024 + 13];
        new Random(7).nextBytes(stored);
        LoadCounters counters = new LoadCounters();

        // the download trickles in odd sizes while the tool is already gone
        LoadResult result = loader.load(new Trickle(stored), Compression.NONE, tool("exit 3"), engine, counters, null);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.bytesRead()).isEqualTo(stored.length).isEqualTo(counters.bytesRead());
        assertThat(result.sha256()).isEqualTo(sha256(stored));
        assertThat(downloadThreads()).isEmpty();
    }

    @Test
    void aCancelClosesAHangingDownloadAndStopsTheLoadAtOnce() throws Exception {
        HangingDownload artifact = new HangingDownload(zstd(SQL.getBytes(StandardCharsets.UTF_8)));
        JobCancellation job = JobCancellation.detached(UUID.randomUUID());
        ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
        try {
            canceller.schedule(() -> job.cancel("cancelled by alice"), 300, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();

            assertThatThrownBy(() -> loader.load(artifact, Compression.ZSTD, tool("cat > /dev/null"), engine, Map.of(), new LoadCounters(),
                    null, job))
                    .isInstanceOf(ArtifactLoader.LoadFailedException.class)
                    .hasMessage("sh was stopped: cancelled by alice");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(artifact.closed.getCount()).as("artifact closed").isZero();
            assertThat(downloadThreads()).isEmpty();
        } finally {
            canceller.shutdownNow();
        }
    }

    /** Live download threads of this test's loads. */
    private static List<String> downloadThreads() {
        String prefix = "download-for-" + Thread.currentThread().getName();
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).toList();
    }

    /** Hands out its bytes a few odd-sized reads at a time, as a network stream does. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final Random sizes = new Random(11);
        private int position;

        Trickle(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + sizes.nextInt(20_000)), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** The first few KiB of an artifact, then a read that waits (storage gone quiet) until the stream is closed. */
    private static final class HangingDownload extends InputStream {
        private final byte[] start;
        private final CountDownLatch closed = new CountDownLatch(1);
        private int position;

        HangingDownload(byte[] artifact) {
            this.start = java.util.Arrays.copyOf(artifact, Math.min(artifact.length, 4096));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position < start.length) {
                int n = Math.min(len, start.length - position);
                System.arraycopy(start, position, b, off, n);
                position += n;
                return n;
            }
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stream closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static byte[] zstd(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
