package io.databasement.restoreworker.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdOutputStream;
import io.databasement.contracts.Compression;
import io.databasement.engines.PostgresEngine;
import io.databasement.engines.ToolInvocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The stream plumbing with a stand-in tool (a shell script reading stdin); real tools are in the ITs. */
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
