package io.databasement.catalog.storage;

import io.databasement.catalog.CatalogProperties;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.ObjectKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriUtils;

/**
 * storage-service's object API as the catalog uses it for downloads: presigned URLs and streams, both through the
 * {@code storage} retry and circuit breaker ({@link StorageCalls}).
 */
@Component
public class StorageObjects {

    private final RestClient http;
    private final StorageCalls calls;
    private final String baseUrl;

    StorageObjects(RestClient storageService, StorageCalls calls, CatalogProperties properties) {
        this.baseUrl = properties.storageUrl().toString().replaceAll("/+$", "");
        this.http = storageService;
        this.calls = calls;
    }

    public record PresignedUrl(String url, Instant expiresAt) {
    }

    /** Receives storage's answer to a GET: status, headers, and the body to copy while it streams. */
    @FunctionalInterface
    public interface Sink {
        void accept(int status, HttpHeaders headers, InputStream body) throws IOException;
    }

    /**
     * {@code POST /internal/objects/presign}: a URL anyone may GET the object from for {@code ttl}; empty when
     * the volume has no such URLs ({@code 422 presign-not-supported}: an encrypted volume keeps ciphertext in its
     * bucket, so its objects are streamed through storage-service instead).
     *
     * @throws CatalogException 404 if the object is missing, 503 if storage cannot be reached, 502 otherwise
     */
    public Optional<PresignedUrl> presign(UUID volumeId, String key, Duration ttl, String fileName) {
        try {
            return calls.call("presign", () -> http.post().uri("/internal/objects/presign").contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("volumeId", volumeId, "key", key, "ttlSeconds", ttl.toSeconds(), "fileName", fileName))
                    .exchange((request, response) -> {
                        int status = response.getStatusCode().value();
                        StorageCalls.checkAnswer(status);
                        if (status == 404) {
                            throw missing(volumeId, key);
                        }
                        if (status == 422 && "presign-not-supported".equals(problemOf(response).slug())) {
                            return Optional.<PresignedUrl>empty();
                        }
                        if (!response.getStatusCode().is2xxSuccessful()) {
                            throw failed("presigning answered " + status);
                        }
                        return Optional.ofNullable(response.bodyTo(PresignedUrl.class));
                    }));
        } catch (RestClientException | StorageCalls.StorageUnavailableException e) {
            throw unavailable(e);
        }
    }

    /**
     * {@code GET /internal/objects/{volumeId}/{key}}, streamed to {@code sink} (never held in memory). 200, 206
     * and 416 reach the sink; 404 and other failures throw before anything was written. Only the opening is
     * retried: once the sink has written, a broken stream is not started again.
     */
    public void download(UUID volumeId, String key, String range, Sink sink) {
        URI uri = URI.create(baseUrl + "/internal/objects/" + volumeId + "/" + encode(key));
        AtomicBoolean streaming = new AtomicBoolean();
        try {
            calls.call("download", () -> {
                try {
                    return open(uri, range, volumeId, key, sink, streaming);
                } catch (ResourceAccessException e) {
                    if (streaming.get()) {
                        throw new RestClientException("the download broke off", e);
                    }
                    throw e;
                }
            });
        } catch (RestClientException | StorageCalls.StorageUnavailableException e) {
            throw unavailable(e);
        }
    }

    private Void open(URI uri, String range, UUID volumeId, String key, Sink sink, AtomicBoolean streaming) {
        return http.get().uri(uri)
                    .headers(h -> {
                        if (range != null) {
                            h.set(HttpHeaders.RANGE, range);
                        }
                    })
                    .exchange((request, response) -> {
                        int status = response.getStatusCode().value();
                        StorageCalls.checkAnswer(status);
                        if (status == 404) {
                            throw missing(volumeId, key);
                        }
                        if (status == 422) {
                            // e.g. decryption-failed, unknown-encryption-key: storage's own words say what to fix
                            StorageProblem problem = problemOf(response);
                            throw new CatalogException(HttpStatus.BAD_GATEWAY, problem.slug(), "Storage cannot read the file",
                                    "storage-service: " + problem.detail());
                        }
                        if (status != 200 && status != 206 && status != 416) {
                            throw failed("reading the file answered " + status);
                        }
                        streaming.set(true);
                        try (InputStream body = response.getBody()) {
                            sink.accept(status, response.getHeaders(), body);
                        }
                        return null;
                    });
    }

    /** The slug and detail of a problem storage-service answered (empty strings if the body is not one). */
    record StorageProblem(String slug, String detail) {
    }

    private static StorageProblem problemOf(RestClient.RequestHeadersSpec.ConvertibleClientHttpResponse response) {
        try {
            Map<?, ?> body = response.bodyTo(Map.class);
            String type = body == null ? "" : String.valueOf(body.get("type"));
            String detail = body == null || body.get("detail") == null ? "" : String.valueOf(body.get("detail"));
            return new StorageProblem(type.substring(type.lastIndexOf('/') + 1), detail);
        } catch (RestClientException e) {
            return new StorageProblem("", "");
        }
    }

    private static String encode(String key) {
        ObjectKeys.validate(key);
        return Arrays.stream(key.split("/")).map(s -> UriUtils.encodePathSegment(s, java.nio.charset.StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }

    private static CatalogException missing(UUID volumeId, String key) {
        return new CatalogException(HttpStatus.NOT_FOUND, "snapshot-file-missing", "Snapshot file missing",
                "volume " + volumeId + " has no object " + key);
    }

    private static CatalogException failed(String what) {
        return new CatalogException(HttpStatus.BAD_GATEWAY, "storage-error", "Storage error", "storage-service " + what);
    }

    private static CatalogException unavailable(RuntimeException e) {
        if (e.getCause() instanceof CatalogException refusal) {
            return refusal;
        }
        return new CatalogException(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable", "Storage unavailable",
                "storage-service could not be reached; try again");
    }
}
