package io.databasement.backupworker;

import io.databasement.backupworker.storage.ArtifactSink;
import io.databasement.backupworker.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * storage-service's part upload API in memory, checking what the real one checks (part digests, the
 * whole object's digest). Failures can be injected per part and try: by default a part that arrived damaged
 * (400 part-digest-mismatch), which the uploader sends again; with {@link #failStatus} another answer, e.g. the 503
 * storage's retry gave up on.
 */
public class InMemorySink implements ArtifactSink {

    public final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    public final List<String> aborted = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final Map<Integer, AtomicInteger> tries = new ConcurrentHashMap<>();
    public final AtomicInteger concurrentPuts = new AtomicInteger();
    public final AtomicInteger maxConcurrentPuts = new AtomicInteger();
    /** (partNumber, try) → fail this try. */
    public volatile BiPredicate<Integer, Integer> failPart = (n, t) -> false;
    public volatile long putDelayMillis;
    /** The status of an injected failure; 400 means a damaged part. */
    public volatile int failStatus = 400;

    public static final class Upload {
        public final UUID volumeId;
        public final String key;
        public final Map<Integer, byte[]> parts = new TreeMap<>();
        public byte[] object;
        public String sha256;

        Upload(UUID volumeId, String key) {
            this.volumeId = volumeId;
            this.key = key;
        }
    }

    @Override
    public String begin(UUID volumeId, String key) {
        String id = UUID.randomUUID().toString();
        uploads.put(id, new Upload(volumeId, key));
        return id;
    }

    @Override
    public PartReceipt putPart(String uploadId, int partNumber, byte[] buffer, int length, String sha256Hex) throws StorageException {
        int current = concurrentPuts.incrementAndGet();
        maxConcurrentPuts.accumulateAndGet(current, Math::max);
        try {
            int attempt = tries.computeIfAbsent(partNumber, k -> new AtomicInteger()).incrementAndGet();
            if (putDelayMillis > 0) {
                Thread.sleep(putDelayMillis);
            }
            if (failPart.test(partNumber, attempt)) {
                throw failStatus == 400 ? StorageException.partDigestMismatch("simulated damage to part " + partNumber)
                        : new StorageException("simulated HTTP " + failStatus + " on part " + partNumber, failStatus);
            }
            byte[] copy = Arrays.copyOf(buffer, length);
            if (!sha256(copy).equals(sha256Hex)) {
                throw StorageException.partDigestMismatch("digest mismatch on part " + partNumber);
            }
            Upload upload = uploads.get(uploadId);
            synchronized (upload) {
                upload.parts.put(partNumber, copy);
            }
            return new PartReceipt(partNumber, "etag-" + partNumber, length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted", e);
        } finally {
            concurrentPuts.decrementAndGet();
        }
    }

    @Override
    public StoredObject complete(String uploadId, List<PartReceipt> parts, String sha256Hex) throws StorageException {
        Upload upload = uploads.get(uploadId);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        synchronized (upload) {
            List<Integer> numbers = new ArrayList<>();
            for (PartReceipt p : parts) {
                numbers.add(p.partNumber());
                all.writeBytes(upload.parts.get(p.partNumber()));
            }
            if (!numbers.equals(new ArrayList<>(upload.parts.keySet()))) {
                throw new StorageException("parts listed " + numbers + " but stored " + upload.parts.keySet(), 400);
            }
        }
        upload.object = all.toByteArray();
        upload.sha256 = sha256Hex;
        if (!sha256(upload.object).equals(sha256Hex)) {
            throw new StorageException("whole-object digest mismatch", 400);
        }
        return new StoredObject(upload.volumeId, upload.key, upload.object.length, sha256Hex, "mem://" + upload.key);
    }

    @Override
    public void abort(String uploadId) {
        aborted.add(uploadId);
        uploads.remove(uploadId);
    }

    public Upload only() {
        if (uploads.size() != 1) {
            throw new AssertionError("expected one upload, got " + uploads.size());
        }
        return uploads.values().iterator().next();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
