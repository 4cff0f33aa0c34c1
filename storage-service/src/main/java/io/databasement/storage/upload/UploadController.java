package io.databasement.storage.upload;

import io.databasement.storage.upload.UploadApi.CompleteUpload;
import io.databasement.storage.upload.UploadApi.PartStored;
import io.databasement.storage.upload.UploadApi.StartUpload;
import io.databasement.storage.upload.UploadApi.UploadCompleted;
import io.databasement.storage.upload.UploadApi.UploadStarted;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Worker-facing uploads; guarded by the service token (see ServiceTokenFilter). */
@RestController
@RequestMapping("/internal/uploads")
public class UploadController {

    static final String CONTENT_SHA256 = "X-Content-SHA256";

    private final UploadService uploads;

    public UploadController(UploadService uploads) {
        this.uploads = uploads;
    }

    @PostMapping
    public ResponseEntity<UploadStarted> start(@Valid @RequestBody StartUpload request) {
        UploadStarted started = uploads.start(request.volumeId(), request.key(), request.partSize());
        return ResponseEntity.created(URI.create("/internal/uploads/" + started.uploadId())).body(started);
    }

    /** The body is streamed straight through the digest into the store; it is never held in memory. */
    @PutMapping(path = "/{uploadId}/parts/{partNumber}", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public PartStored putPart(@PathVariable UUID uploadId, @PathVariable int partNumber,
                              @RequestHeader(CONTENT_SHA256) String sha256, InputStream body) throws IOException {
        try (body) {
            return uploads.putPart(uploadId, partNumber, body, sha256);
        }
    }

    @PostMapping("/{uploadId}/complete")
    public UploadCompleted complete(@PathVariable UUID uploadId, @Valid @RequestBody CompleteUpload request) {
        return uploads.complete(uploadId, request);
    }

    @DeleteMapping("/{uploadId}")
    public ResponseEntity<Void> abort(@PathVariable UUID uploadId) {
        uploads.abort(uploadId);
        return ResponseEntity.noContent().build();
    }
}
