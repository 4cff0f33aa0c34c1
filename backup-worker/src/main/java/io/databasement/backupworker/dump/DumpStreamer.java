package io.databasement.backupworker.dump;

import io.databasement.worker.cancel.JobCancellation;
import io.databasement.worker.stream.ReadAhead;
import io.databasement.worker.tool.ToolProcess;
import io.databasement.worker.tool.TrailerWatcher;
import io.databasement.backupworker.storage.ArtifactSink;
import io.databasement.backupworker.storage.ArtifactSink.PartReceipt;
import io.databasement.contracts.Compression;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Secrets;
import io.databasement.engines.ToolInvocation;
import io.databasement.engines.stats.TableStatsCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a dump tool and streams its output. No temporary files. Three stages overlap, each on its own thread(s), with
 * bounded hand-overs between them, so that the whole costs about what its slowest stage (the compressor) costs:
 * <ol>
 *     <li>reading ({@link ReadAhead}): stdout into reused buffers; counting, trailer watch and table statistics, which
 *     together take a fraction of the compressor's time (measured: {@code PipelineThroughput});</li>
 *     <li>compressing, on the calling thread: compressor → SHA-256 → cut into parts ({@link PartOutputStream});</li>
 *     <li>uploading: parts in parallel while the next fills ({@link PartUploader}).</li>
 * </ol>
 * Memory per dump: {@code (partsInFlight + 1) × partSize} for the parts, {@code READ_BUFFERS × READ_BUFFER} read
 * ahead, and the compressor's own state (zstd level 3: a few MiB). A stage that fails stops the others: the tool is
 * killed, which ends the reader, and the uploads are shut down. The dump counts only if the tool exited 0 and its output
 * ends with the engine's trailer.
 */
public final class DumpStreamer {

    /** Larger than a pipe's 64 KiB so that the compressor is called less often; filled only with what is waiting. */
    private static final int READ_BUFFER = 256 * 1024;
    private static final int READ_BUFFERS = 4;

    /**
     * @param partSize      bytes per part
     * @param partsInFlight parts uploading at once
     */
    public record Settings(int partSize, int partsInFlight) {
    }

    private final ArtifactSink sink;
    private final Settings settings;
    private final Compressors.Factory compressors;
    private final java.util.Set<ToolProcess> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public DumpStreamer(ArtifactSink sink, Settings settings) {
        this(sink, settings, Compressors::wrap);
    }

    DumpStreamer(ArtifactSink sink, Settings settings, Compressors.Factory compressors) {
        this.sink = sink;
        this.settings = settings;
        this.compressors = compressors;
    }

    /**
     * @param secret       removed from every reason (the database password)
     * @param cancellation kills the tool when the job is cancelled; the dump then fails with that reason
     * @throws DumpFailedException with the tool's own words (or storage's), never the secret
     */
    public DumpResult run(ToolInvocation invocation, DatabaseEngine engine, Compression compression, int level, String uploadId,
                          StreamCounters counters, String secret, JobCancellation cancellation) throws DumpFailedException {
        String tool = Path.of(invocation.command().get(0)).getFileName().toString();
        ToolProcess process;
        try {
            process = ToolProcess.startReading(invocation, tool);
        } catch (IOException e) {
            throw new DumpFailedException(Secrets.scrub("could not start " + tool + ": " + e.getMessage(), secret));
        }
        running.add(process);
        cancellation.watch(process);
        TrailerWatcher trailer = new TrailerWatcher(engine);
        TableStatsCollector tables = engine.tableStatsCollector();
        ReadAhead stdout = null;
        try (PartUploader uploader = new PartUploader(sink, uploadId, settings.partSize(), settings.partsInFlight(), cancellation,
                "upload-" + uploadId)) {
            PartOutputStream parts = new PartOutputStream(uploader, counters);
            try {
                stdout = new ReadAhead(process.stdout(), READ_BUFFER, READ_BUFFERS, (bytes, n) -> {
                    counters.addRaw(n);
                    trailer.feed(bytes, 0, n);
                    tables.feed(bytes, 0, n);
                }, "dump-read-" + uploadId);
                compress(stdout, compressors.wrap(compression, level, parts), parts);
                // the reader fed its last chunk before it handed over the end
                trailer.finish();
            } catch (PartUploader.PartUploadFailedException e) {
                process.kill();
                throw new DumpFailedException(Secrets.scrub("storage: " + e.getMessage(), secret));
            } catch (IOException e) {
                process.kill();
                if (stopping) {
                    throw new DumpFailedException(tool + " was stopped: the backup worker shut down while it ran");
                }
                if (cancellation.cancelled()) {
                    throw new DumpFailedException(tool + " was stopped: " + cancellation.reason());
                }
                String said = process.stderr().lastLines();
                throw new DumpFailedException(Secrets.scrub(uploader.failure() != null ? "storage: " + uploader.failure()
                        : !said.isEmpty() ? said : "reading " + tool + "'s output failed: " + e.getMessage(), secret));
            }
            int exit = waitFor(process, tool);
            if (stopping) {
                throw new DumpFailedException(tool + " was stopped: the backup worker shut down while it ran");
            }
            if (cancellation.cancelled()) {
                throw new DumpFailedException(tool + " was stopped: " + cancellation.reason());
            }
            if (exit != 0) {
                String said = process.stderr().lastLines();
                throw new DumpFailedException(Secrets.scrub(said.isEmpty() ? tool + " exited with code " + exit : said, secret));
            }
            if (!trailer.complete()) {
                String said = process.stderr().lastLines();
                throw new DumpFailedException(Secrets.scrub(tool + " exited 0 but its output does not end with \""
                        + engine.dumpTrailer() + "\": the dump is incomplete" + (said.isEmpty() ? "" : " (" + said + ")"), secret));
            }
            List<PartReceipt> receipts;
            try {
                receipts = uploader.finish();
            } catch (IOException e) {
                throw new DumpFailedException(Secrets.scrub("storage: " + e.getMessage(), secret));
            }
            return new DumpResult(counters.rawBytes(), parts.total(), parts.sha256Hex(), receipts, tables.finish());
        } finally {
            running.remove(process);
            cancellation.unwatch(process);
            if (process.isAlive()) {
                process.kill();
            }
            // after the kill: a reader blocked on the pipe ends with the tool
            if (stdout != null) {
                stdout.close();
            }
        }
    }

    /**
     * The compressing stage: every chunk in order into the compressor, then the end of its frame and the last part.
     * On a failure (of any stage) nothing more is uploaded, but the compressor is still closed: it holds native memory.
     */
    private static void compress(ReadAhead raw, OutputStream compressor, PartOutputStream parts) throws IOException {
        try {
            for (ReadAhead.Chunk chunk; (chunk = raw.next()) != null; raw.release(chunk)) {
                compressor.write(chunk.bytes(), 0, chunk.length());
            }
        } catch (IOException | RuntimeException | Error e) {
            parts.abandon();
            try {
                compressor.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        compressor.close();
        parts.close();
    }

    /** On shutdown: a dump tool must not outlive the worker (its reader thread cannot be interrupted). */
    public void killAll() {
        stopping = true;
        running.forEach(ToolProcess::kill);
    }

    private static int waitFor(ToolProcess process, String tool) throws DumpFailedException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.kill();
            throw new DumpFailedException(tool + " was stopped: the backup worker is shutting down");
        }
    }
}
