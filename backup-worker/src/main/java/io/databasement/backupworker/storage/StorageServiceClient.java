package io.databasement.backupworker.storage;

import io.databasement.worker.http.InternalHttp;
import io.databasement.worker.resilience.ServiceCalls;
import io.databasement.worker.resilience.TransientAnswerException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * {@link ArtifactSink} over storage-service's {@code /internal/uploads} API (docs/conventions.md). Every call goes
 * through the worker's {@code storage} retry and circuit breaker ({@link ServiceCalls}); all but the abort are
 * retried, each being safe to repeat:
 * <ul>
 *   <li>{@code PUT .../parts/{n}}: sending part n again replaces it;</li>
 *   <li>{@code POST .../complete}: storage answers a repeated complete of a finished upload with the same result;</li>
 *   <li>{@code POST /internal/uploads}: not idempotent (each call opens an upload), but a repeat after a lost answer
 *   only leaves an empty upload behind, which storage's sweeper removes; failing the snapshot would cost more.</li>
 * </ul>
 * The abort is tried once: it is best effort on a failure path (storage sweeps what it leaves), and a job that ends
 * must not wait out an outage to say so.
 */
public final class StorageServiceClient implements ArtifactSink {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** A 16 MiB part over a slow link still fits; a hung storage call does not stall a job forever. */
    private static final Duration PART_TIMEOUT = Duration.ofMinutes(5);

    private static final String PART_DIGEST_MISMATCH = "https://databasement.io/problems/part-digest-mismatch";

    private final InternalHttp http;
    private final ServiceCalls storage;
    private final long partSize;

    /**
     * @param partSize the size of every part but the last ({@code dbm.worker.part-size}), declared when an upload
     *                 starts: a local volume then writes each part straight to its place in the object
     */
    public StorageServiceClient(InternalHttp http, ServiceCalls storage, long partSize) {
        this.http = http;
        this.storage = storage;
        this.partSize = partSize;
    }

    @Override
    public String begin(UUID volumeId, String key) throws StorageException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("volumeId", volumeId);
        body.put("key", key);
        body.put("partSize", partSize);
        HttpResponse<byte[]> response = call("begin_upload", "start an upload", true, http.request("/internal/uploads", CALL_TIMEOUT)
                .header("Content-Type", "application/json").POST(http.jsonBody(body)).build());
        return http.readTree(response.body()).get("uploadId").asString();
    }

    @Override
    public PartReceipt putPart(String uploadId, int partNumber, byte[] buffer, int length, String sha256Hex) throws StorageException {
        HttpRequest request = http.request("/internal/uploads/" + uploadId + "/parts/" + partNumber, PART_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .header("X-Content-SHA256", sha256Hex)
                // no copy: the publisher reads the reusable part buffer directly
                .PUT(HttpRequest.BodyPublishers.ofByteArray(buffer, 0, length)).build();
        JsonNode node = http.readTree(call("put_part", "upload part " + partNumber, true, request).body());
        return new PartReceipt(node.get("partNumber").asInt(), node.get("etag").asString(), node.path("sizeBytes").asLong(length));
    }

    @Override
    public StoredObject complete(String uploadId, List<PartReceipt> parts, String sha256Hex) throws StorageException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parts", parts.stream().map(p -> Map.of("partNumber", p.partNumber(), "etag", p.etag())).toList());
        body.put("sha256", sha256Hex);
        HttpResponse<byte[]> response = call("complete_upload", "complete the upload", true, http.request("/internal/uploads/" + uploadId + "/complete", PART_TIMEOUT)
                .header("Content-Type", "application/json").POST(http.jsonBody(body)).build());
        JsonNode node = http.readTree(response.body());
        return new StoredObject(UUID.fromString(node.get("volumeId").asString()), node.get("key").asString(),
                node.get("sizeBytes").asLong(), node.path("sha256").asString(null), node.path("location").asString(null));
    }

    @Override
    public void abort(String uploadId) throws StorageException {
        call("abort_upload", "abort the upload", false, http.request("/internal/uploads/" + uploadId, CALL_TIMEOUT).DELETE().build());
    }

    private HttpResponse<byte[]> call(String operation, String what, boolean retried, HttpRequest request) throws StorageException {
        HttpResponse<byte[]> response;
        try {
            response = retried ? storage.send(operation, () -> http.send(request))
                    : storage.sendOnce(operation, () -> http.send(request));
        } catch (TransientAnswerException e) {
            throw new StorageException("storage-service could not " + what + " (HTTP " + e.status() + "): " + http.describe(e.body()),
                    e.status());
        } catch (IOException e) {
            throw new StorageException("storage-service could not " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while trying to " + what, e);
        }
        if (response.statusCode() == 400 && PART_DIGEST_MISMATCH.equals(problemType(response))) {
            throw StorageException.partDigestMismatch("storage-service could not " + what + ": " + http.describe(response));
        }
        if (response.statusCode() / 100 != 2) {
            throw new StorageException("storage-service could not " + what + " (HTTP " + response.statusCode() + "): "
                    + http.describe(response), response.statusCode());
        }
        return response;
    }

    private String problemType(HttpResponse<byte[]> response) {
        try {
            return http.readTree(response.body()).path("type").asString(null);
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
