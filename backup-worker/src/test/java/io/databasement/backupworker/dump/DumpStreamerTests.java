package io.databasement.backupworker.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import io.databasement.backupworker.InMemorySink;
import io.databasement.contracts.Compression;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.MariaDbEngine;
import io.databasement.engines.PostgresEngine;
import io.databasement.engines.ToolInvocation;
import io.databasement.engines.stats.TableStatsCollector;
import io.databasement.worker.cancel.JobCancellation;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline with a stand-in tool (a small sh script, started exactly like pg_dump) and an in-memory
 * storage.
 */
@Timeout(60)
class DumpStreamerTests {

    private static final int PART = 64 * 1024;
    private static final String SECRET = "Sup3r-s3cret!";
    private static final JobCancellation NOT_CANCELLED = JobCancellation.detached(java.util.UUID.randomUUID());
    private final InMemorySink sink = new InMemorySink();
    private final MariaDbEngine engine = new MariaDbEngine();

    private DumpStreamer streamer(int inFlight) {
        return new DumpStreamer(sink, new DumpStreamer.Settings(PART, inFlight));
    }

    /** Prints {@code bytes} bytes of numbered lines, then the given ending, then exits with {@code exit}. */
    private static ToolInvocation tool(int lines, String ending, String stderr, int exit) {
        String script = "i=0; while [ $i -lt " + lines + " ]; do echo \"INSERT INTO t VALUES ($i, 'row number $i');\"; i=$((i+1)); done; "
                + "printf '%s' \"$ENDING\"; printf '%s' \"$SAID\" >&2; exit " + exit;
        return new ToolInvocation(List.of("sh", "-c", script), Map.of("ENDING", ending, "SAID", stderr), "fake-dump 1.0");
    }

    private static String expectedLines(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append("INSERT INTO t VALUES (").append(i).append(", 'row number ").append(i).append("');\n");
        }
        return sb.toString();
    }

    @Test
    void outputIsCutIntoPartsOfExactlyThePartSizeAndSizeAndChecksumDescribeTheirConcatenation() throws Exception {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        StreamCounters counters = new StreamCounters();

        DumpResult result = streamer(2).run(tool(8000, "-- Dump completed on 2026-11-25\n", "", 0), engine, Compression.NONE, 0,
                uploadId, counters, SECRET, NOT_CANCELLED);

        InMemorySink.Upload upload = sink.uploads.get(uploadId);
        String expected = expectedLines(8000) + "-- Dump completed on 2026-11-25\n";
        assertThat(result.rawBytes()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
        assertThat(result.parts()).hasSize((int) ((result.sizeBytes() + PART - 1) / PART)).hasSizeGreaterThan(3);
        for (int n = 1; n < result.parts().size(); n++) {
            assertThat(upload.parts.get(n)).as("part %d", n).hasSize(PART);
        }
        assertThat(upload.parts.get(result.parts().size()).length).isBetween(1, PART);
        var stored = sink.complete(uploadId, result.parts(), result.sha256());
        assertThat(stored.sizeBytes()).isEqualTo(result.sizeBytes());
        assertThat(new String(upload.object, StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(result.sha256()).isEqualTo(InMemorySink.sha256(upload.object));
        assertThat(counters.rawBytes()).isEqualTo(result.rawBytes());
        assertThat(counters.storedBytes()).isEqualTo(result.sizeBytes());
    }

    @Test
    void zstdOutputDecompressesToExactlyWhatTheToolPrinted() throws Exception {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");

        DumpResult result = streamer(2).run(tool(20000, "-- Dump completed\n", "", 0), engine, Compression.ZSTD, 3, uploadId,
                new StreamCounters(), SECRET, NOT_CANCELLED);

        sink.complete(uploadId, result.parts(), result.sha256());
        byte[] raw = new ZstdInputStream(new ByteArrayInputStream(sink.uploads.get(uploadId).object)).readAllBytes();
        assertThat(new String(raw, StandardCharsets.UTF_8)).isEqualTo(expectedLines(20000) + "-- Dump completed\n");
        assertThat(result.rawBytes()).isEqualTo(raw.length);
        assertThat(result.sizeBytes()).isLessThan(result.rawBytes() / 3);
    }

    @Test
    void aDamagedPartIsSentAgainAloneAndTheDumpStillCompletes() throws Exception {
        sink.failPart = (part, attempt) -> part == 2 && attempt < 3;
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");

        DumpResult result = streamer(2).run(tool(8000, "-- Dump completed\n", "", 0), engine, Compression.NONE, 0, uploadId,
                new StreamCounters(), SECRET, NOT_CANCELLED);

        assertThat(sink.tries.get(2)).hasValue(3);
        sink.tries.forEach((part, tries) -> {
            if (part != 2) {
                assertThat(tries).as("part %d", part).hasValue(1);
            }
        });
        sink.complete(uploadId, result.parts(), result.sha256());
        assertThat(new String(sink.uploads.get(uploadId).object, StandardCharsets.UTF_8)).startsWith(expectedLines(10));
    }

    @Test
    void aPartThatKeepsArrivingDamagedStopsAnEndlessToolWithStoragesReason() {
        sink.failPart = (part, attempt) -> part == 2;
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        // "yes" never ends: only a killed tool lets this test finish
        ToolInvocation endless = new ToolInvocation(List.of("yes", "INSERT INTO t VALUES (1);"), Map.of(), "yes");

        assertThatThrownBy(() -> streamer(2).run(endless, engine, Compression.NONE, 0, uploadId, new StreamCounters(), SECRET, NOT_CANCELLED))
                .isInstanceOf(DumpFailedException.class)
                .hasMessageContaining("part 2 could not be stored (damaged in transit 3 times)")
                .hasMessageContaining("simulated damage");
        assertThat(sink.tries.get(2)).hasValue(PartUploader.DAMAGED_PART_SENDS);
    }

    @Test
    void anOutageStoragesRetryGaveUpOnFailsTheDumpWithoutAnotherSend() {
        sink.failPart = (part, attempt) -> part == 2;
        sink.failStatus = 503;
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        ToolInvocation endless = new ToolInvocation(List.of("yes", "INSERT INTO t VALUES (1);"), Map.of(), "yes");

        assertThatThrownBy(() -> streamer(2).run(endless, engine, Compression.NONE, 0, uploadId, new StreamCounters(), SECRET, NOT_CANCELLED))
                .isInstanceOf(DumpFailedException.class)
                .hasMessageContaining("part 2 could not be stored: simulated HTTP 503");
        assertThat(sink.tries.get(2)).as("the storage client's retry already waited; no second layer").hasValue(1);
    }

    @Test
    void aCancelStopsPartUploadsWaitingOnStorageAtOnce() throws Exception {
        // parts hang in the sink as they would while the storage retry waits out an outage
        sink.putDelayMillis = 60_000;
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        ToolInvocation endless = new ToolInvocation(List.of("yes", "INSERT INTO t VALUES (1);"), Map.of(), "yes");
        JobCancellation job = JobCancellation.detached(java.util.UUID.randomUUID());
        java.util.concurrent.ScheduledExecutorService canceller = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            canceller.schedule(() -> job.cancel("cancelled by alice"), 500, java.util.concurrent.TimeUnit.MILLISECONDS);
            long started = System.nanoTime();

            assertThatThrownBy(() -> streamer(2).run(endless, engine, Compression.NONE, 0, uploadId, new StreamCounters(), SECRET, job))
                    .isInstanceOf(DumpFailedException.class);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
        } finally {
            canceller.shutdownNow();
        }
    }

    @Test
    void noMorePartsUploadAtOnceThanConfigured() throws Exception {
        sink.putDelayMillis = 30;
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");

        streamer(2).run(tool(20000, "-- Dump completed\n", "", 0), engine, Compression.NONE, 0, uploadId, new StreamCounters(), SECRET, NOT_CANCELLED);

        assertThat(sink.maxConcurrentPuts.get()).isEqualTo(2);
    }

    @Test
    void aDumpWithoutItsTrailerIsIncompleteEvenIfTheToolExitedZero() {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");

        assertThatThrownBy(() -> streamer(2).run(tool(100, "INSERT INTO t VALUES (1", "", 0), engine, Compression.ZSTD, 3, uploadId,
                new StreamCounters(), SECRET, NOT_CANCELLED))
                .isInstanceOf(DumpFailedException.class)
                .hasMessage("sh exited 0 but its output does not end with \"-- Dump completed\": the dump is incomplete");
    }

    @Test
    void pgDumpsRestrictLineAfterItsTrailerStillCountsAsComplete() throws Exception {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        String ending = "--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abcDEF123\n\n";

        DumpResult result = streamer(2).run(tool(10, ending, "", 0), new PostgresEngine(), Compression.GZIP, 6, uploadId,
                new StreamCounters(), SECRET, NOT_CANCELLED);

        assertThat(result.sizeBytes()).isPositive();
    }

    @Test
    void aFailingToolsOwnWordsAreTheReasonWithThePasswordMasked() {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        String said = "pg_dump: error: connection to server at \"10.0.0.5\", port 5432 failed: FATAL:  password authentication failed "
                + "for user \"x\" (tried " + SECRET + ")\n";

        assertThatThrownBy(() -> streamer(2).run(tool(10, "", said, 1), engine, Compression.ZSTD, 3, uploadId, new StreamCounters(), SECRET, NOT_CANCELLED))
                .isInstanceOf(DumpFailedException.class)
                .hasMessageContaining("FATAL:  password authentication failed for user \"x\"")
                .hasMessageContaining("***")
                .message().doesNotContain(SECRET);
    }

    @Test
    void aToolThatFailsSilentlyIsReportedWithItsExitCode() {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");

        assertThatThrownBy(() -> streamer(2).run(tool(3, "-- Dump completed\n", "", 2), engine, Compression.NONE, 0, uploadId,
                new StreamCounters(), SECRET, NOT_CANCELLED))
                .hasMessage("sh exited with code 2");
    }

    @Test
    void aDumpStoppedByShutdownSaysSoInsteadOfBlamingTheTool() throws Exception {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        DumpStreamer streamer = streamer(2);
        ToolInvocation slow = new ToolInvocation(List.of("sh", "-c", "echo 'INSERT 1;'; sleep 30; echo '-- Dump completed'"), Map.of(),
                "slow");
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            streamer.killAll();
        });
        stopper.start();

        assertThatThrownBy(() -> streamer.run(slow, engine, Compression.ZSTD, 3, uploadId, new StreamCounters(), SECRET, NOT_CANCELLED))
                .isInstanceOf(DumpFailedException.class)
                .hasMessage("sh was stopped: the backup worker shut down while it ran");
    }

    @Test
    void everyByteTheToolWroteInOddSizesComesBackFromThePartsInEachCompression(@TempDir Path dir) throws Exception {
        byte[] dump = copyDump(6 * 1024 * 1024);
        Path file = Files.write(dir.resolve("dump.sql"), dump);
        // dd writes the dump in blocks of a size that lines up with nothing (pipe, read buffer, zstd block, part)
        ToolInvocation dd = new ToolInvocation(List.of("dd", "if=" + file, "bs=1531", "status=none"), Map.of(), "dd");
        PostgresEngine postgres = new PostgresEngine();
        for (Compression compression : Compression.values()) {
            String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
            StreamCounters counters = new StreamCounters();

            DumpResult result = streamer(3).run(dd, postgres, compression, 3, uploadId, counters, SECRET, NOT_CANCELLED);

            sink.complete(uploadId, result.parts(), result.sha256());
            byte[] stored = sink.uploads.get(uploadId).object;
            assertThat(decompress(compression, stored)).as("%s", compression).isEqualTo(dump);
            assertThat(result.rawBytes()).isEqualTo(dump.length).isEqualTo(counters.rawBytes());
            assertThat(result.sizeBytes()).isEqualTo(stored.length).isEqualTo(counters.storedBytes());
            assertThat(result.parts()).hasSizeGreaterThan(1);
            TableStatsCollector whole = postgres.tableStatsCollector();
            whole.feed(dump, 0, dump.length);
            assertThat(result.tables()).isEqualTo(whole.finish()).hasSize(2);
        }
        assertThat(readerThreads()).isEmpty();
    }

    @Test
    void aCompressorThatFailsStopsTheToolAndTheReaderAndItsErrorIsTheReason() {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        DumpStreamer streamer = new DumpStreamer(sink, new DumpStreamer.Settings(PART, 2),
                (compression, level, out) -> new FailingAfter(Compressors.wrap(compression, level, out), 1 << 20,
                        new IOException("compressor broke")));
        long started = System.nanoTime();

        assertThatThrownBy(() -> streamer.run(endless(), engine, Compression.ZSTD, 3, uploadId, new StreamCounters(), SECRET,
                NOT_CANCELLED))
                .isInstanceOf(DumpFailedException.class)
                .hasMessage("reading yes's output failed: compressor broke");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(readerThreads()).isEmpty();
    }

    @Test
    void aCompressorThatCrashesStopsTheReaderToo() {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        DumpStreamer streamer = new DumpStreamer(sink, new DumpStreamer.Settings(PART, 2),
                (compression, level, out) -> new FailingAfter(Compressors.wrap(compression, level, out), 1 << 20,
                        new IllegalStateException("native crash")));

        assertThatThrownBy(() -> streamer.run(endless(), engine, Compression.ZSTD, 3, uploadId, new StreamCounters(), SECRET,
                NOT_CANCELLED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("native crash");
        assertThat(readerThreads()).isEmpty();
    }

    @Test
    void aReaderThatFailsEndsTheDumpInsteadOfLeavingTheCompressorWaiting() {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        DatabaseEngine statsBreakAfterAMegabyte = withTableStats(engine, new TableStatsCollector() {
            private long seen;

            @Override
            public void feed(byte[] bytes, int offset, int length) {
                seen += length;
                if (seen > 1 << 20) {
                    throw new IllegalStateException("statistics broke");
                }
            }

            @Override
            public List<io.databasement.contracts.TableStats> finish() {
                return List.of();
            }
        });

        assertThatThrownBy(() -> streamer(2).run(endless(), statsBreakAfterAMegabyte, Compression.ZSTD, 3, uploadId,
                new StreamCounters(), SECRET, NOT_CANCELLED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("statistics broke");
        assertThat(readerThreads()).isEmpty();
    }

    @Test
    void storageThatFailsMidStreamStopsEveryStageWithStoragesReason() {
        sink.failPart = (part, attempt) -> part == 3;
        sink.failStatus = 507;
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");

        assertThatThrownBy(() -> streamer(2).run(endless(), engine, Compression.NONE, 0, uploadId, new StreamCounters(), SECRET,
                NOT_CANCELLED))
                .isInstanceOf(DumpFailedException.class)
                .hasMessageStartingWith("storage: part 3 could not be stored: simulated HTTP 507");
        assertThat(readerThreads()).isEmpty();
    }

    @Test
    void aCancelMidStreamStopsTheToolTheReaderAndTheCompressorAtOnce() throws Exception {
        String uploadId = sink.begin(java.util.UUID.randomUUID(), "k");
        JobCancellation job = JobCancellation.detached(java.util.UUID.randomUUID());
        StreamCounters counters = new StreamCounters();
        ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
        try {
            canceller.schedule(() -> job.cancel("cancelled by alice"), 500, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();

            assertThatThrownBy(() -> streamer(2).run(endless(), engine, Compression.ZSTD, 3, uploadId, counters, SECRET, job))
                    .isInstanceOf(DumpFailedException.class)
                    .hasMessageContaining("cancelled");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(counters.rawBytes()).as("it was mid-stream").isPositive();
            assertThat(readerThreads()).isEmpty();
        } finally {
            canceller.shutdownNow();
        }
    }

    /** Never ends: only a killed tool lets such a test finish. */
    private static ToolInvocation endless() {
        return new ToolInvocation(List.of("yes", "INSERT INTO t VALUES (1, 'some text that zstd will find again');"), Map.of(), "yes");
    }

    /** Live reader threads of any dump: every test's dump has ended when it looks. */
    private static List<String> readerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("dump-read-")).toList();
    }

    /** A pg_dump-like plain dump of two tables in COPY format, about {@code size} bytes, with its trailer. */
    private static byte[] copyDump(int size) {
        Random random = new Random(3);
        StringBuilder sb = new StringBuilder("--\n-- PostgreSQL database dump\n--\n\n"
                + "--\n-- Data for Name: orders; Type: TABLE DATA; Schema: public; Owner: -\n--\n\nCOPY public.orders (id, customer, amount, note) FROM stdin;\n");
        int id = 0;
        while (sb.length() < size / 2) {
            sb.append(++id).append('\t').append("customer ").append(random.nextInt(5000)).append('\t')
                    .append(random.nextInt(100000) / 100.0).append('\t').append(Long.toHexString(random.nextLong())).append('\n');
        }
        sb.append("\\.\n\n\n--\n-- Data for Name: events; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n"
                + "COPY public.events (id, payload) FROM stdin;\n");
        while (sb.length() < size) {
            sb.append(++id).append('\t').append("{\"kind\": \"k").append(random.nextInt(13)).append("\", \"value\": ")
                    .append(random.nextInt()).append("}\n");
        }
        sb.append("\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decompress(Compression compression, byte[] stored) throws IOException {
        InputStream in = new ByteArrayInputStream(stored);
        return switch (compression) {
            case ZSTD -> new ZstdInputStream(in).readAllBytes();
            case GZIP -> new GZIPInputStream(in).readAllBytes();
            case NONE -> stored;
        };
    }

    /** {@code engine} in every way but its table statistics. */
    private static DatabaseEngine withTableStats(DatabaseEngine engine, TableStatsCollector collector) {
        return (DatabaseEngine) Proxy.newProxyInstance(DatabaseEngine.class.getClassLoader(), new Class<?>[] {DatabaseEngine.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("tableStatsCollector")) {
                        return collector;
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Passes {@code limit} bytes on, then throws {@code failure} (an IOException or a RuntimeException). */
    private static final class FailingAfter extends FilterOutputStream {
        private final long limit;
        private final Exception failure;
        private long written;

        FailingAfter(OutputStream out, long limit, Exception failure) {
            super(out);
            this.limit = limit;
            this.failure = failure;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > limit) {
                if (failure instanceof IOException e) {
                    throw e;
                }
                throw (RuntimeException) failure;
            }
            out.write(b, off, len);
        }
    }
}
