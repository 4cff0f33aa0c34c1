package io.databasement.restoreworker.load;

import io.databasement.worker.cancel.JobCancellation;
import io.databasement.worker.stream.ReadAhead;
import io.databasement.worker.tool.ToolProcess;
import io.databasement.worker.tool.TrailerWatcher;
import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.databasement.contracts.Compression;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Secrets;
import io.databasement.engines.ToolInvocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an artifact into a restore tool with no temporary file, in two overlapping stages: a download thread
 * ({@link ReadAhead}) reads the stored bytes into a few reused buffers, digests (SHA-256) and counts them; the calling
 * thread decompresses → trailer watch → the tool's stdin. So the download runs while the last bytes are decompressed
 * and loaded, and memory stays at {@code DOWNLOAD_BUFFERS × DOWNLOAD_BUFFER} plus the decompressor's. When the tool or
 * the decompressor stops early, the rest of the artifact is still read through the digest: a corrupted artifact is
 * then named as the cause.
 */
public class ArtifactLoader {

    private static final Logger log = LoggerFactory.getLogger(ArtifactLoader.class);
    private static final int BUFFER = 64 * 1024;
    private static final int DOWNLOAD_BUFFER = 256 * 1024;
    private static final int DOWNLOAD_BUFFERS = 4;

    private final Map<Thread, ToolProcess> running = new ConcurrentHashMap<>();

    /** Thrown when the tool cannot even start. */
    public static final class LoadFailedException extends Exception {
        public LoadFailedException(String message) {
            super(message);
        }
    }

    public LoadResult load(InputStream artifact, Compression compression, ToolInvocation tool, DatabaseEngine engine,
                           LoadCounters counters, String password) throws LoadFailedException {
        return load(artifact, compression, tool, engine, Map.of(), counters, password, JobCancellation.detached(null));
    }

    /**
     * @param rewrites     line prefixes to replace on the way to the tool (see {@link DatabaseEngine#restoreLineRewrites})
     * @param cancellation kills the tool and closes the artifact when the job is cancelled; the rest of the artifact is
     *                     then not read
     * @throws LoadFailedException also when the job was cancelled, with its reason
     */
    public LoadResult load(InputStream artifact, Compression compression, ToolInvocation tool, DatabaseEngine engine,
                           Map<String, String> rewrites, LoadCounters counters, String password, JobCancellation cancellation)
            throws LoadFailedException {
        MessageDigest sha256 = sha256();
        ToolProcess process;
        try {
            process = ToolProcess.startWriting(tool, toolName(tool));
        } catch (IOException e) {
            throw new LoadFailedException(Secrets.scrub("could not start " + toolName(tool) + ": " + e.getMessage(), password));
        }
        running.put(Thread.currentThread(), process);
        cancellation.watch(process);
        TrailerWatcher trailer = new TrailerWatcher(engine);
        OutputStream stdin = new LineStartRewriter(process.stdin(), rewrites);
        ReadAhead download = new ReadAhead(artifact, DOWNLOAD_BUFFER, DOWNLOAD_BUFFERS, (bytes, n) -> {
            sha256.update(bytes, 0, n);
            counters.addRead(n);
        }, "download-for-" + Thread.currentThread().getName());
        // a download waiting out a storage outage stops too
        JobCancellation.Registration stopDownload = cancellation.onCancel(() -> closeQuietly(artifact));
        boolean downloaded = false;
        String decompressError = null;
        boolean toolStopped = false;
        try {
            try (InputStream sql = decompressor(compression, download.asStream())) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = sql.read(buffer)) >= 0) {
                    trailer.feed(buffer, 0, n);
                    counters.addRaw(n);
                    try {
                        stdin.write(buffer, 0, n);
                    } catch (IOException e) {
                        // the tool ended (ON_ERROR_STOP, or killed): its exit code and stderr tell why
                        toolStopped = true;
                        break;
                    }
                }
                trailer.finish();
            } catch (IOException e) {
                decompressError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            closeQuietly(stdin);
            if (cancellation.cancelled()) {
                // no checksum to prove any more: the download stops here
                process.kill();
                throw new LoadFailedException(toolName(tool) + " was stopped: " + cancellation.reason());
            }
            // the rest of the artifact, through the digest
            download.drain();
            downloaded = true;
            int exit = process.waitFor();
            String reason = exit == 0 ? null : Secrets.scrub(engine.restoreFailureReason(process.stderr().text()), password);
            if (toolStopped && exit == 0) {
                reason = toolName(tool) + " stopped reading its input";
                exit = -1;
            }
            return new LoadResult(counters.bytesRead(), counters.rawBytes(), HexFormat.of().formatHex(sha256.digest()),
                    decompressError, exit, reason, trailer.complete());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.kill();
            throw new LoadFailedException("the restore was interrupted (the worker is stopping)");
        } catch (IOException e) {
            process.kill();
            if (cancellation.cancelled()) {
                throw new LoadFailedException(toolName(tool) + " was stopped: " + cancellation.reason());
            }
            if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                // this thread, waiting for the download, was interrupted (not the download itself)
                throw new LoadFailedException("the restore was interrupted (the worker is stopping)");
            }
            throw new LoadFailedException("reading the artifact from storage failed: " + e.getMessage());
        } finally {
            stopDownload.close();
            cancellation.unwatch(process);
            running.remove(Thread.currentThread());
            if (process.isAlive()) {
                process.kill();
            }
            if (!downloaded) {
                // the download thread may wait on storage: closing the artifact (the caller closes it again) ends it
                closeQuietly(artifact);
            }
            download.close();
        }
    }

    private static InputStream decompressor(Compression compression, InputStream in) throws IOException {
        return switch (compression) {
            case ZSTD -> new ZstdInputStreamNoFinalizer(in, RecyclingBufferPool.INSTANCE).setContinuous(false);
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case NONE -> in;
        };
    }

    /** Stops every running tool: the worker is shutting down and the commands will be redelivered. */
    public void killAll() {
        running.values().forEach(ToolProcess::kill);
    }

    private static String toolName(ToolInvocation tool) {
        String path = tool.command().get(0);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            log.debug("the restore tool's stdin was already closed: {}", e.toString());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            log.debug("the artifact was already broken: {}", e.toString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
