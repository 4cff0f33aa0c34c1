package io.databasement.storage.store;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where a volume keeps its objects. Uploads are part-based so a worker retries one failed part, never
 * the whole dump. Every method validates the key first (a hostile key never reaches the backend).
 * Implementations are thread-safe: parts of one upload arrive in parallel.
 */
public interface ObjectStore extends AutoCloseable {

    /** Starts a multipart upload of {@code key}; returns the store's own upload id. */
    String initUpload(String key);

    /**
     * Starts an upload whose caller declared {@code plan}; a store that cannot use it starts a plain upload. A part
     * that breaks the plan (larger than the declared size, or a part but the last smaller) fails, at the latest
     * when completing.
     */
    default String initUpload(String key, UploadPlan plan) {
        return initUpload(key);
    }

    /**
     * Stores one part, checking its SHA-256 while the bytes stream in. Re-sending a part number replaces it.
     * A null {@code expectedSha256} means the body checks itself (it throws from {@code read} instead of ending).
     *
     * @throws PartDigestMismatch if the bytes do not hash to {@code expectedSha256}; nothing is kept
     */
    StoredPart putPart(String key, String uploadId, int partNumber, InputStream body, String expectedSha256);

    /**
     * Joins the listed parts, in order, into the object and records {@code sha256} as its metadata.
     *
     * @throws PartMissing if a listed part was never stored (or its etag differs)
     */
    default ObjectStat complete(String key, String uploadId, List<PartRef> parts, String sha256) {
        return complete(key, uploadId, parts, Completion.of(sha256));
    }

    /**
     * Joins the listed parts, in order, into the object and records what {@code completion} says with it.
     *
     * @throws PartMissing if a listed part was never stored (or its etag differs)
     */
    ObjectStat complete(String key, String uploadId, List<PartRef> parts, Completion completion);

    /** Drops the upload and all its parts; unknown uploads are ignored. */
    void abort(String key, String uploadId);

    Optional<ObjectStat> stat(String key);

    /**
     * Streams {@code length} bytes from {@code offset} (the rest of the object if length is null).
     *
     * @throws ObjectNotFound if there is no such object
     */
    InputStream open(String key, long offset, Long length);

    /** Removes the object; removing an absent object is not an error. */
    void delete(String key);

    /**
     * A URL anyone may GET the object from for {@code ttl}, without credentials, saved under {@code fileName}.
     *
     * @throws io.databasement.storage.web.Problem 422 where the store has no such URLs (a local folder)
     */
    String presignGet(String key, java.time.Duration ttl, String fileName);

    /** Checks that the store is reachable and writable with a throw-away probe object. */
    ProbeResult probe();

    /** A readable location without secrets: {@code s3://bucket/prefix} or the folder. */
    String location();

    @Override
    void close();
}
