package io.databasement.catalog.snapshot;

import io.databasement.catalog.storage.StorageObjects;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.databasement.catalog.volume.Volume;
import io.databasement.catalog.volume.VolumeRepository;
import io.databasement.catalog.web.CatalogException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Downloads of a snapshot's file for operators. S3 volumes: a redirect to a presigned URL, so the bytes go
 * straight from the bucket. Local and encrypted volumes (storage refuses to presign those): streamed from
 * storage-service, which decrypts, through a small buffer (never held in memory), with Range passed through.
 */
@Tag(name = "snapshots")
@RestController
class SnapshotDownloads {

    static final String REPR_DIGEST = "Repr-Digest";
    private static final Logger log = LoggerFactory.getLogger(SnapshotDownloads.class);
    private static final List<String> COPIED = List.of(HttpHeaders.CONTENT_LENGTH, HttpHeaders.CONTENT_RANGE,
            HttpHeaders.ACCEPT_RANGES, HttpHeaders.LAST_MODIFIED);

    private final SnapshotService snapshots;
    private final VolumeRepository volumes;
    private final StorageObjects storage;
    private final SnapshotLifecycleProperties properties;

    SnapshotDownloads(SnapshotService snapshots, VolumeRepository volumes, StorageObjects storage,
                      SnapshotLifecycleProperties properties) {
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.storage = storage;
        this.properties = properties;
    }

    /**
     * @param url       where to GET the file: a presigned S3 URL, or (local volume) the gateway-relative download path
     * @param expiresAt when the presigned URL stops working; null for the download path
     */
    record DownloadUrl(String url, Instant expiresAt, String fileName, Long sizeBytes, String sha256) {
    }

    @Operation(operationId = "downloadSnapshot", summary = "Download a snapshot's file",
            description = "S3 volumes: 302 to a presigned URL. Local and encrypted volumes: the file, streamed (decrypted); "
                    + "`Range` is supported.")
    @ApiResponse(responseCode = "200", description = "The whole file (local or encrypted volume)")
    @ApiResponse(responseCode = "206", description = "The requested range (local or encrypted volume)")
    @ApiResponse(responseCode = "302", description = "Redirect to a presigned URL (unencrypted S3 volume)")
    @ApiResponse(responseCode = "502", description = "storage-service cannot read the file, e.g. `decryption-failed` (its "
            + "encryption key is not the one it was written with) or `unknown-encryption-key`")
    @ApiResponse(responseCode = "416", description = "The range is not within the file (`range-not-satisfiable`; "
            + "`Content-Range: bytes */<size>`)")
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`), or its file is missing "
            + "(`snapshot-file-missing`)")
    @ApiResponse(responseCode = "409", description = "The snapshot is not COMPLETED (`snapshot-not-downloadable`)")
    @ApiResponse(responseCode = "422", description = "The snapshot's volume no longer exists (`volume-gone`)")
    @ApiResponse(responseCode = "503", description = "storage-service cannot be reached (`storage-unavailable`)")
    @GetMapping("/api/v1/snapshots/{id}/download")
    ResponseEntity<Void> download(@PathVariable UUID id, @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
                                  HttpServletResponse response) throws IOException {
        Downloadable d = downloadable(id);
        Optional<StorageObjects.PresignedUrl> presigned = presigned(d);
        if (presigned.isPresent()) {
            return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(presigned.get().url())).build();
        }
        storage.download(d.snapshot().volumeId(), d.snapshot().objectKey(), range, (status, headers, body) -> {
            response.setStatus(status);
            for (String name : COPIED) {
                String value = headers.getFirst(name);
                if (value != null) {
                    response.setHeader(name, value);
                }
            }
            if (status == HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value()) {
                // Content-Range (bytes */size), copied above, tells the size; the body is our own problem details
                throw new CatalogException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                        "Range not satisfiable", "the range " + range + " is not within the file");
            }
            response.setContentType(contentType(d.snapshot().compression()));
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + d.fileName() + "\"");
            if (d.snapshot().sha256() != null) {
                response.setHeader(REPR_DIGEST, reprDigest(d.snapshot().sha256()));
            }
            OutputStream out = response.getOutputStream();
            try {
                body.transferTo(out);
                out.flush();
            } catch (IOException e) {
                // the status line is out: the client sees a body shorter than Content-Length
                log.warn("download of snapshot {} broke off: {}", id, e.toString());
            }
        });
        return null;
    }

    /** For scripts: where to fetch the file, without following a redirect. */
    @Operation(operationId = "getSnapshotDownloadUrl", summary = "Where to download a snapshot's file",
            description = "For scripts: the presigned URL (S3) or the download path (local or encrypted volume), without a redirect.")
    @ApiResponse(responseCode = "200", description = "The URL, the file's name, size and SHA-256", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "No snapshot with this id (`snapshot-not-found`), or its file is missing "
            + "(`snapshot-file-missing`)")
    @ApiResponse(responseCode = "409", description = "The snapshot is not COMPLETED (`snapshot-not-downloadable`)")
    @ApiResponse(responseCode = "422", description = "The snapshot's volume no longer exists (`volume-gone`)")
    @ApiResponse(responseCode = "503", description = "storage-service cannot be reached (`storage-unavailable`)")
    @GetMapping("/api/v1/snapshots/{id}/download-url")
    DownloadUrl downloadUrl(@PathVariable UUID id) {
        Downloadable d = downloadable(id);
        Snapshot s = d.snapshot();
        Optional<StorageObjects.PresignedUrl> presigned = presigned(d);
        if (presigned.isPresent()) {
            return new DownloadUrl(presigned.get().url(), presigned.get().expiresAt(), d.fileName(), s.sizeBytes(), s.sha256());
        }
        return new DownloadUrl("/api/v1/snapshots/" + id + "/download", null, d.fileName(), s.sizeBytes(), s.sha256());
    }

    private record Downloadable(Snapshot snapshot, boolean s3, String fileName) {
    }

    /** S3 volumes have presigned URLs, except an encrypted one (its bucket holds ciphertext): that one streams too. */
    private Optional<StorageObjects.PresignedUrl> presigned(Downloadable d) {
        if (!d.s3()) {
            return Optional.empty();
        }
        return storage.presign(d.snapshot().volumeId(), d.snapshot().objectKey(), properties.downloadUrlTtl(), d.fileName());
    }

    private Downloadable downloadable(UUID id) {
        Snapshot s = snapshots.find(id).orElseThrow(() -> CatalogException.notFound("snapshot", id));
        if (s.status() != SnapshotStatus.COMPLETED || s.objectKey() == null) {
            throw new CatalogException(HttpStatus.CONFLICT, "snapshot-not-downloadable", "Snapshot not downloadable",
                    "snapshot " + id + " is " + s.status() + "; only a COMPLETED snapshot has a file to download");
        }
        Volume volume = volumes.find(s.volumeId()).orElseThrow(() -> new CatalogException(HttpStatus.UNPROCESSABLE_CONTENT,
                "volume-gone", "Volume gone", "volume " + s.volumeId() + " of snapshot " + id + " is no longer known"));
        String key = s.objectKey();
        return new Downloadable(s, "s3".equals(volume.type()), key.substring(key.lastIndexOf('/') + 1));
    }

    /** RFC 9530: the SHA-256 of the whole file, base64 of the raw 32 bytes between colons. */
    static String reprDigest(String sha256Hex) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex)) + ":";
    }

    static String contentType(String compression) {
        return switch (compression == null ? "none" : compression) {
            case "zstd" -> "application/zstd";
            case "gzip" -> "application/gzip";
            default -> "application/sql";
        };
    }
}
