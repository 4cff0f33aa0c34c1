package io.databasement.backupworker.dump;

import io.databasement.backupworker.storage.ArtifactSink;
import io.databasement.backupworker.storage.ArtifactSink.PartReceipt;
import io.databasement.backupworker.storage.StorageException;
import io.databasement.worker.cancel.JobCancellation;
import io.databasement.worker.trace.JobContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads full part buffers in the background while the next one fills. Memory is bounded: at most
 * {@code inFlight + 1} buffers of {@code partSize} exist, and they are reused; the writer waits for a free
 * one. A part is never retried here for an outage: the sink's {@code storage} retry and breaker wait that out
 * (part PUTs are idempotent). What this class re-sends, from the same buffer, is a part storage dropped because it
 * arrived damaged (400 {@code part-digest-mismatch}); the dump is never restarted for a part. A cancel of the job
 * interrupts the uploads, so a part waiting out an outage gives up at once.
 */
final class PartUploader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartUploader.class);
    /** Sends of one part that storage may refuse as damaged before the dump fails. */
    static final int DAMAGED_PART_SENDS = 3;

    private final ArtifactSink sink;
    private final String uploadId;
    private final int partSize;
    private final int maxBuffers;
    private final ExecutorService executor;
    private final JobCancellation.Registration onCancel;
    private final BlockingQueue<byte[]> free;
    private final AtomicInteger allocated = new AtomicInteger();
    private final List<Future<?>> pending = new ArrayList<>();
    private final ConcurrentLinkedQueue<PartReceipt> receipts = new ConcurrentLinkedQueue<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private int nextPartNumber = 1;

    PartUploader(ArtifactSink sink, String uploadId, int partSize, int inFlight, JobCancellation cancellation, String threadName) {
        this.sink = sink;
        this.uploadId = uploadId;
        this.partSize = partSize;
        this.maxBuffers = inFlight + 1;
        this.free = new ArrayBlockingQueue<>(maxBuffers);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.onCancel = cancellation.onCancel(() -> {
            failure.compareAndSet(null, "the job was cancelled");
            executor.shutdownNow();
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
        try {
            pending.add(executor.submit(JobContext.wrap(() -> upload(partNumber, buffer, length))));
        } catch (RejectedExecutionException cancelledMeanwhile) {
            checkFailure();
            throw cancelledMeanwhile;
        }
    }

    int partsSubmitted() {
        return nextPartNumber - 1;
    }

    private void upload(int partNumber, byte[] buffer, int length) {
        try {
            String digest = sha256(buffer, length);
            for (int send = 1; failure.get() == null; send++) {
                try {
                    receipts.add(sink.putPart(uploadId, partNumber, buffer, length, digest));
                    return;
                } catch (StorageException e) {
                    if (!e.partDigestMismatch() || send == DAMAGED_PART_SENDS) {
                        failure.compareAndSet(null, "part " + partNumber + " could not be stored"
                                + (e.partDigestMismatch() ? " (damaged in transit " + send + " times)" : "") + ": " + e.getMessage());
                        return;
                    }
                    log.warn("upload {}: part {} arrived damaged (send {} of {}): sending it again", uploadId, partNumber, send,
                            DAMAGED_PART_SENDS);
                }
            }
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
                // a cancel drops parts that never started: their futures never end, the failure says why
                while (!awaited(f)) {
                    checkFailure();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for part uploads");
            } catch (ExecutionException e) {
                failure.compareAndSet(null, "a part upload failed: " + e.getCause());
            }
        }
        checkFailure();
        List<PartReceipt> sorted = new ArrayList<>(receipts);
        sorted.sort(Comparator.comparingInt(PartReceipt::partNumber));
        return sorted;
    }

    private static boolean awaited(Future<?> f) throws InterruptedException, ExecutionException {
        try {
            f.get(200, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException notYet) {
            return false;
        }
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
        onCancel.close();
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
