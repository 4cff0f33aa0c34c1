package io.databasement.backupworker.dump;

import io.databasement.backupworker.storage.ArtifactSink;
import io.databasement.backupworker.storage.ArtifactSink.PartReceipt;
import io.databasement.backupworker.storage.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads full part buffers in the background while the next one fills. Memory is bounded: at most
 * {@code inFlight + 1} buffers of {@code partSize} exist, and they are reused; the writer waits for a free
 * one. A failed part is retried alone, from the same buffer; the dump is never restarted for it.
 */
final class PartUploader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartUploader.class);

    private final ArtifactSink sink;
    private final String uploadId;
    private final int partSize;
    private final int maxBuffers;
    private final int attempts;
    private final Duration backoff;
    private final ExecutorService executor;
    private final BlockingQueue<byte[]> free;
    private final AtomicInteger allocated = new AtomicInteger();
    private final List<Future<?>> pending = new ArrayList<>();
    private final ConcurrentLinkedQueue<PartReceipt> receipts = new ConcurrentLinkedQueue<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private int nextPartNumber = 1;

    PartUploader(ArtifactSink sink, String uploadId, int partSize, int inFlight, int attempts, Duration backoff, String threadName) {
        this.sink = sink;
        this.uploadId = uploadId;
        this.partSize = partSize;
        this.maxBuffers = inFlight + 1;
        this.attempts = attempts;
        this.backoff = backoff;
        this.free = new ArrayBlockingQueue<>(maxBuffers);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    int partSize() {
        return partSize;
    }

    /** A buffer to fill: a fresh one while under the bound, else one an upload has finished with. */
    byte[] takeBuffer() throws IOException {
        checkFailure();
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (allocated.incrementAndGet() <= maxBuffers) {
            return new byte[partSize];
        }
        allocated.decrementAndGet();
        try {
            while (true) {
                buffer = free.poll(200, TimeUnit.MILLISECONDS);
                if (buffer != null) {
                    return buffer;
                }
                checkFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part upload");
        }
    }

    /** Hands a filled buffer over; it comes back to the pool when its part is stored. */
    void submit(byte[] buffer, int length) throws IOException {
        checkFailure();
        int partNumber = nextPartNumber++;
        pending.add(executor.submit(() -> upload(partNumber, buffer, length)));
    }

    int partsSubmitted() {
        return nextPartNumber - 1;
    }

    private void upload(int partNumber, byte[] buffer, int length) {
        try {
            String digest = sha256(buffer, length);
            Duration wait = backoff;
            for (int attempt = 1; attempt <= attempts && failure.get() == null; attempt++) {
                try {
                    receipts.add(sink.putPart(uploadId, partNumber, buffer, length, digest));
                    return;
                } catch (StorageException e) {
                    if (attempt == attempts) {
                        failure.compareAndSet(null, "part " + partNumber + " could not be stored after " + attempts + " tries: " + e.getMessage());
                        return;
                    }
                    log.warn("upload {}: part {} failed (try {} of {}): {}; retrying in {}", uploadId, partNumber, attempt, attempts,
                            e.getMessage(), wait);
                    Thread.sleep(wait.toMillis());
                    wait = wait.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            failure.compareAndSet(null, "part " + partNumber + " upload was interrupted");
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, "part " + partNumber + " could not be stored: " + e);
        } finally {
            free.offer(buffer);
        }
    }

    /** Waits for every part; @return their receipts in part order. */
    List<PartReceipt> finish() throws IOException {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for part uploads");
            } catch (java.util.concurrent.ExecutionException e) {
                failure.compareAndSet(null, "a part upload failed: " + e.getCause());
            }
        }
        checkFailure();
        List<PartReceipt> sorted = new ArrayList<>(receipts);
        sorted.sort(Comparator.comparingInt(PartReceipt::partNumber));
        return sorted;
    }

    private void checkFailure() throws IOException {
        String reason = failure.get();
        if (reason != null) {
            throw new PartUploadFailedException(reason);
        }
    }

    String failure() {
        return failure.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    static String sha256(byte[] buffer, int length) {
        MessageDigest md = newSha256();
        md.update(buffer, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Storage gave up on a part: the writer stops and the dump fails with this reason. */
    static final class PartUploadFailedException extends IOException {
        PartUploadFailedException(String reason) {
            super(reason);
        }
    }
}
