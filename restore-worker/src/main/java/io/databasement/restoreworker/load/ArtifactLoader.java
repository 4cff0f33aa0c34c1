package io.databasement.restoreworker.load;

import io.databasement.worker.cancel.JobCancellation;
import io.databasement.worker.tool.ToolProcess;
import io.databasement.worker.tool.TrailerWatcher;
import com.github.luben.zstd.ZstdInputStream;
import io.databasement.contracts.Compression;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Secrets;
import io.databasement.engines.ToolInvocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an artifact into a restore tool with no temporary file: stored bytes → SHA-256 and count →
 * decompressor → trailer watch → the tool's stdin. When the tool or the decompressor stops early, the rest of
 * the artifact is still read through the digest: a corrupted artifact is then named as the cause.
 */
public class ArtifactLoader {

    private static final Logger log = LoggerFactory.getLogger(ArtifactLoader.class);
    private static final int BUFFER = 64 * 1024;

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
     * @param cancellation kills the tool when the job is cancelled; the rest of the artifact is then not read
     * @throws LoadFailedException also when the job was cancelled, with its reason
     */
    public LoadResult load(InputStream artifact, Compression compression, ToolInvocation tool, DatabaseEngine engine,
                           Map<String, String> rewrites, LoadCounters counters, String password, JobCancellation cancellation)
            throws LoadFailedException {
        MessageDigest sha256 = sha256();
        InputStream counted = new CountingStream(new DigestInputStream(artifact, sha256), counters);
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
        String decompressError = null;
        boolean toolStopped = false;
        try {
            try (InputStream sql = decompressor(compression, counted)) {
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
            drain(counted);
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
            throw new LoadFailedException("reading the artifact from storage failed: " + e.getMessage());
        } finally {
            cancellation.unwatch(process);
            running.remove(Thread.currentThread());
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    /** Reads what is left of the artifact so that its checksum covers every stored byte. */
    private static void drain(InputStream counted) throws IOException {
        byte[] buffer = new byte[BUFFER];
        while (counted.read(buffer) >= 0) {
            // digest and count only
        }
    }

    private static InputStream decompressor(Compression compression, InputStream in) throws IOException {
        return switch (compression) {
            case ZSTD -> new ZstdInputStream(in).setContinuous(false);
            case GZIP -> new GZIPInputStream(in, BUFFER);
            case NONE -> new NonClosing(in);
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Counts stored bytes as they are read. Closing it does not close the artifact (drained afterwards). */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        private final LoadCounters counters;

        CountingStream(InputStream in, LoadCounters counters) {
            this.in = in;
            this.counters = counters;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counters.addRead(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                counters.addRead(n);
            }
            return n;
        }

        @Override
        public void close() {
            // the caller closes the artifact
        }
    }

    private static final class NonClosing extends InputStream {
        private final InputStream in;

        NonClosing(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }
    }
}
