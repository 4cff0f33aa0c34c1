package io.databasement.restoreworker.storage;

import io.databasement.worker.http.InternalHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/** {@code GET /internal/objects/{volumeId}/{key...}} streamed, never buffered whole. */
public final class StorageServiceClient implements ArtifactSource {

    /** Until the response headers arrive; the body then streams for as long as the restore takes. */
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);

    private final InternalHttp http;

    public StorageServiceClient(InternalHttp http) {
        this.http = http;
    }

    @Override
    public InputStream open(UUID volumeId, String key) throws StorageException {
        try {
            HttpResponse<InputStream> response = http.stream(http.request("/internal/objects/" + volumeId + "/" + encodePath(key),
                    HEADERS_TIMEOUT).GET().build());
            if (response.statusCode() == 200) {
                return response.body();
            }
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(8192);
            }
            String detail = http.describe(body);
            throw new StorageException(response.statusCode() == 404
                    ? "the snapshot's artifact " + key + " is not in its volume (" + detail + ")"
                    : "storage-service answered HTTP " + response.statusCode() + " for " + key + ": " + detail);
        } catch (IOException e) {
            throw new StorageException("storage-service could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while opening " + key);
        }
    }

    /** Each segment percent-encoded (keys hold database names: spaces, quotes, any Unicode), slashes kept. */
    static String encodePath(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }
}
