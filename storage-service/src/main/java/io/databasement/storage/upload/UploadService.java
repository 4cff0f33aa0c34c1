package io.databasement.storage.upload;

import io.databasement.storage.store.Keys;
import io.databasement.storage.store.ObjectStat;
import io.databasement.storage.store.ObjectStore;
import io.databasement.storage.store.PartMissing;
import io.databasement.storage.store.PartRef;
import io.databasement.storage.store.StoredPart;
import io.databasement.storage.store.UploadPlan;
import io.databasement.storage.upload.UploadApi.CompleteUpload;
import io.databasement.storage.upload.UploadApi.CompletedPart;
import io.databasement.storage.upload.UploadApi.PartStored;
import io.databasement.storage.upload.UploadApi.UploadCompleted;
import io.databasement.storage.upload.UploadApi.UploadStarted;
import io.databasement.storage.volume.Volume;
import io.databasement.storage.volume.VolumeService;
import io.databasement.storage.web.Problem;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Part-based, retry-safe uploads: a worker re-sends one failed part, never the dump; a repeated
 * {@code complete} of a finished upload answers the same result.
 */
@Service
public class UploadService {

    private static final Logger log = LoggerFactory.getLogger(UploadService.class);
    static final int MAX_PARTS = 10_000;
    /** S3's rule, applied to every volume type so a worker behaves the same against each. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    /** S3's largest part. */
    static final long MAX_PART_BYTES = 5L * 1024 * 1024 * 1024;

    private final UploadRepository uploads;
    private final UploadParts parts;
    private final VolumeService volumes;
    private final Clock clock;

    public UploadService(UploadRepository uploads, UploadParts parts, VolumeService volumes, Clock clock) {
        this.uploads = uploads;
        this.parts = parts;
        this.volumes = volumes;
        this.clock = clock;
    }

    /** @param partSize what the worker declared (see {@link UploadApi.StartUpload}); null: nothing */
    public UploadStarted start(UUID volumeId, String key, Long partSize) {
        Keys.checkKey(key);
        Volume volume = volumes.require(volumeId);
        String storeUploadId = volumes.storeOf(volume).initUpload(key, UploadPlan.partSize(partSize));
        UploadSession session = uploads.save(UploadSession.open(volumeId, key, storeUploadId, now()));
        log.info("upload {} of {} to volume {} started", session.id(), key, volume.name());
        return new UploadStarted(session.id(), volumeId, key);
    }

    public PartStored putPart(UUID uploadId, int partNumber, InputStream body, String sha256) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw Problem.badRequest("invalid-part-number", "Invalid part number",
                    "part numbers run from 1 to " + MAX_PARTS + ", not " + partNumber);
        }
        if (sha256 == null || !sha256.matches(UploadApi.SHA256_HEX)) {
            throw Problem.badRequest("invalid-digest", "Invalid digest",
                    "X-Content-SHA256 must be the 64 hex characters of the part's SHA-256");
        }
        UploadSession session = requireOpen(uploadId);
        ObjectStore store = volumes.storeOf(volumes.require(session.volumeId()));
        StoredPart part = store.putPart(session.objectKey(), session.storeUploadId(), partNumber, body, sha256);
        parts.record(uploadId, part, sha256, now());
        return new PartStored(part.partNumber(), part.etag(), part.sizeBytes());
    }

    public UploadCompleted complete(UUID uploadId, CompleteUpload request) {
        UploadSession session = require(uploadId);
        Volume volume = volumes.require(session.volumeId());
        ObjectStore store = volumes.storeOf(volume);
        if (session.state() == UploadState.COMPLETED) {
            if (!session.sha256().equalsIgnoreCase(request.sha256())) {
                throw closed(session, "it was completed with another sha256");
            }
            return completed(volume, store, session);
        }
        if (session.state() != UploadState.OPEN) {
            throw closed(session, "it was aborted");
        }
        List<PartRef> listed = checkListedParts(uploadId, request.parts());
        ObjectStat stat = store.complete(session.objectKey(), session.storeUploadId(), listed,
                request.sha256().toLowerCase());
        UploadSession done = uploads.save(session.completed(stat.sizeBytes(), request.sha256().toLowerCase(), now()));
        parts.forget(uploadId);
        log.info("upload {} of {} completed: {} parts, {} bytes", uploadId, session.objectKey(), listed.size(), stat.sizeBytes());
        return completed(volume, store, done);
    }

    public void abort(UUID uploadId) {
        UploadSession session = require(uploadId);
        switch (session.state()) {
            case ABORTED -> {
                // aborting twice is what a retrying worker does: nothing left to remove
            }
            case COMPLETED -> throw closed(session, "it was completed; delete the object instead");
            case OPEN -> {
                // a deleted volume was forgotten, not emptied: there is no store left to clean
                volumes.find(session.volumeId()).map(volumes::storeOf)
                        .ifPresent(store -> store.abort(session.objectKey(), session.storeUploadId()));
                uploads.save(session.aborted(now()));
                parts.forget(uploadId);
            }
        }
    }

    /**
     * Aborts uploads opened before {@code cutoff} and still open: a worker that died mid-dump leaves
     * parts behind (S3 bills for them, a folder fills up) until this runs.
     *
     * @return how many were aborted
     */
    public int abortStale(Instant cutoff) {
        int aborted = 0;
        for (UploadSession stale : uploads.findByStateAndCreatedAtBefore(UploadState.OPEN, cutoff)) {
            try {
                abort(stale.id());
                aborted++;
            } catch (RuntimeException e) {
                log.warn("could not abort stale upload {} of {}: {}", stale.id(), stale.objectKey(), e.toString());
            }
        }
        return aborted;
    }

    /**
     * Every listed part must have arrived (with the etag we answered), in ascending order, and all but
     * the last must be at least {@link #MIN_PART_BYTES}.
     */
    private List<PartRef> checkListedParts(UUID uploadId, List<CompletedPart> listed) {
        Map<Integer, UploadParts.Received> received = parts.received(uploadId);
        List<PartRef> refs = new ArrayList<>();
        int previous = 0;
        for (CompletedPart part : listed) {
            if (part.partNumber() <= previous) {
                throw Problem.badRequest("invalid-part-list", "Invalid part list",
                        "parts must be listed once each, in ascending order");
            }
            previous = part.partNumber();
            UploadParts.Received arrived = received.get(part.partNumber());
            if (arrived == null) {
                throw new PartMissing("part " + part.partNumber() + " was never uploaded");
            }
            String etag = arrived.etag();
            if (refs.size() < listed.size() - 1 && arrived.sizeBytes() < MIN_PART_BYTES) {
                throw Problem.badRequest("part-too-small", "Part too small", "part " + part.partNumber()
                        + " has " + arrived.sizeBytes() + " bytes; every part but the last needs at least "
                        + MIN_PART_BYTES);
            }
            if (part.etag() != null && !stripQuotes(part.etag()).equals(stripQuotes(etag))) {
                throw new PartMissing("part " + part.partNumber() + " was uploaded with etag " + etag
                        + ", not " + part.etag() + "; send it again or list the current etag");
            }
            refs.add(new PartRef(part.partNumber(), etag, arrived.sizeBytes()));
        }
        return refs;
    }

    private UploadCompleted completed(Volume volume, ObjectStore store, UploadSession session) {
        return new UploadCompleted(volume.id(), session.objectKey(), session.sizeBytes(), session.sha256(),
                store.location() + "/" + session.objectKey());
    }

    private UploadSession require(UUID uploadId) {
        return uploads.findById(uploadId).orElseThrow(() -> Problem.notFound("upload", uploadId));
    }

    private UploadSession requireOpen(UUID uploadId) {
        UploadSession session = require(uploadId);
        if (session.state() != UploadState.OPEN) {
            throw closed(session, "it is " + session.state().name().toLowerCase());
        }
        return session;
    }

    private static Problem closed(UploadSession session, String why) {
        return new Problem(HttpStatus.CONFLICT, "upload-closed", "Upload closed",
                "upload " + session.id() + " takes no more changes: " + why);
    }

    private static String stripQuotes(String etag) {
        return etag.replace("\"", "");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
