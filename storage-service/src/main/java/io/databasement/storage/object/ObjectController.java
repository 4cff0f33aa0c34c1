package io.databasement.storage.object;

import io.databasement.storage.store.Keys;
import io.databasement.storage.store.ObjectNotFound;
import io.databasement.storage.store.ObjectStat;
import io.databasement.storage.store.ObjectStore;
import io.databasement.storage.volume.VolumeService;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Objects of a volume, addressed by the rest of the path as key. Downloads are copied from the store to
 * the response through a small buffer on the request thread: memory stays bounded whatever the size,
 * and there is no async timeout to cut a long restore short.
 */
@RestController
@RequestMapping("/internal/objects/{volumeId}")
public class ObjectController {

    static final String OBJECT_SHA256 = "X-Object-SHA256";
    private static final Logger log = LoggerFactory.getLogger(ObjectController.class);

    private final VolumeService volumes;

    public ObjectController(VolumeService volumes) {
        this.volumes = volumes;
    }

    @GetMapping("/{*key}")
    public void get(@PathVariable UUID volumeId, @PathVariable String key,
                    @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
                    HttpServletResponse response) throws IOException {
        ObjectStore store = store(volumeId);
        String objectKey = Keys.checkKey(stripSlash(key));
        ObjectStat stat = store.stat(objectKey).orElseThrow(() -> new ObjectNotFound(objectKey));
        Optional<ByteRange> requested = ByteRange.parse(range, stat.sizeBytes());
        long offset = requested.map(ByteRange::first).orElse(0L);
        long length = requested.map(ByteRange::length).orElse(stat.sizeBytes());
        try (InputStream in = store.open(objectKey, offset, requested.isPresent() ? length : null)) {
            writeHeaders(response, stat, length);
            if (requested.isPresent()) {
                response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
                response.setHeader(HttpHeaders.CONTENT_RANGE, requested.get().contentRange(stat.sizeBytes()));
            }
            OutputStream out = response.getOutputStream();
            log.info("download of {} from volume {}: {} bytes from offset {}", objectKey, volumeId, length, offset);
            try {
                in.transferTo(out);
                out.flush();
            } catch (IOException e) {
                // the status line is gone already: the client sees a short body against Content-Length
                log.warn("download of {} from volume {} broke off: {}", objectKey, volumeId, e.toString());
            }
        }
    }

    @RequestMapping(path = "/{*key}", method = RequestMethod.HEAD)
    public void head(@PathVariable UUID volumeId, @PathVariable String key, HttpServletResponse response) {
        ObjectStore store = store(volumeId);
        String objectKey = Keys.checkKey(stripSlash(key));
        ObjectStat stat = store.stat(objectKey).orElseThrow(() -> new ObjectNotFound(objectKey));
        writeHeaders(response, stat, stat.sizeBytes());
    }

    @DeleteMapping("/{*key}")
    public ResponseEntity<Void> delete(@PathVariable UUID volumeId, @PathVariable String key) {
        ObjectStore store = store(volumeId);
        store.delete(Keys.checkKey(stripSlash(key)));
        return ResponseEntity.noContent().build();
    }

    private ObjectStore store(UUID volumeId) {
        return volumes.storeOf(volumes.require(volumeId));
    }

    private static void writeHeaders(HttpServletResponse response, ObjectStat stat, long length) {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setContentLengthLong(length);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (stat.sha256() != null) {
            response.setHeader(OBJECT_SHA256, stat.sha256());
        }
        if (stat.lastModified() != null) {
            response.setDateHeader(HttpHeaders.LAST_MODIFIED, stat.lastModified().toEpochMilli());
        }
    }

    /** {@code {*key}} captures the leading '/' of the rest of the path. */
    private static String stripSlash(String key) {
        return key.startsWith("/") ? key.substring(1) : key;
    }
}
