package io.databasement.restoreworker.storage;

import io.databasement.worker.http.InternalHttp;
import io.databasement.worker.resilience.ServiceCalls;
import io.databasement.worker.resilience.TransientAnswerException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code GET /internal/objects/{volumeId}/{key...}} streamed, never buffered whole. Opening it (until the answer's
 * headers) goes through the worker's {@code storage} retry and circuit breaker: a GET is safe to repeat, so a restore
 * that starts while storage restarts waits for it. A stream that breaks off later is resumed from the last byte read
 * with a {@code Range} request through the same retry ({@link ResumingStream}).
 */
public final class StorageServiceClient implements ArtifactSource {

    /** Until the response headers arrive; the body then streams for as long as the restore takes. */
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);

    private final InternalHttp http;
    private final ServiceCalls storage;

    public StorageServiceClient(InternalHttp http, ServiceCalls storage) {
        this.http = http;
        this.storage = storage;
    }

    @Override
    public InputStream open(UUID volumeId, String key) throws StorageException {
        try {
            HttpRequest request = http.request(path(volumeId, key), HEADERS_TIMEOUT).GET().build();
            HttpResponse<InputStream> response = storage.send("download", () -> http.stream(request));
            if (response.statusCode() == 200) {
                long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                return new ResumingStream(key, response.body(), length, offset -> reopen(volumeId, key, offset));
            }
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(8192);
            }
            String detail = http.describe(body);
            throw new StorageException(response.statusCode() == 404
                    ? "the snapshot's artifact " + key + " is not in its volume (" + detail + ")"
                    : "storage-service answered HTTP " + response.statusCode() + " for " + key + ": " + detail);
        } catch (TransientAnswerException e) {
            throw new StorageException("storage-service answered HTTP " + e.status() + " for " + key + ": " + http.describe(e.body()));
        } catch (IOException e) {
            throw new StorageException("storage-service could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while opening " + key);
        }
    }

    /** The rest of the object from {@code offset}: a 206, or an IOException the resuming stream passes on. */
    private InputStream reopen(UUID volumeId, String key, long offset) throws IOException {
        HttpRequest request = http.request(path(volumeId, key), HEADERS_TIMEOUT).header("Range", "bytes=" + offset + "-")
                .GET().build();
        try {
            HttpResponse<InputStream> response = storage.send("download_range", () -> http.stream(request));
            if (response.statusCode() == 206) {
                return response.body();
            }
            response.body().close();
            throw new IOException("storage-service answered HTTP " + response.statusCode() + " when asked for " + key
                    + " from byte " + offset);
        } catch (TransientAnswerException e) {
            throw new IOException("storage-service answered HTTP " + e.status() + " when asked for " + key + " from byte "
                    + offset, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while resuming " + key);
        }
    }

    private static String path(UUID volumeId, String key) {
        return "/internal/objects/" + volumeId + "/" + encodePath(key);
    }

    /** Each segment percent-encoded (keys hold database names: spaces, quotes, any Unicode), slashes kept. */
    static String encodePath(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
