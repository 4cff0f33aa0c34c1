package io.databasement.storage.store;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.Directive;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bucket (optionally under a prefix) through the MinIO client; our multipart calls map 1:1 onto S3's.
 * A part is spooled to a temp file while its digest is checked, so a part whose digest is wrong never
 * reaches S3 (which cannot delete a single part), and memory stays bounded whatever the part size.
 * The whole-object SHA-256 is S3 user metadata {@code sha256} (header {@code x-amz-meta-sha256}).
 */
public class S3ObjectStore implements ObjectStore {

    static final String SHA256_METADATA = "sha256";
    private static final Logger log = LoggerFactory.getLogger(S3ObjectStore.class);
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "ResourceNotFound");
    private static final Set<String> NO_SUCH_PART = Set.of("InvalidPart", "NoSuchUpload", "InvalidPartOrder");

    private final MinioAsyncClient client;
    private final S3Settings settings;
    private final Path spoolDir;
    /** Signs presigned URLs for the public endpoint; built on first use, only if the volume has one. */
    private volatile MinioAsyncClient publicClient;

    public S3ObjectStore(S3Settings settings, Path spoolDir) {
        this.settings = settings;
        this.spoolDir = spoolDir;
        MinioAsyncClient.Builder builder = MinioAsyncClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey());
        if (settings.region() != null && !settings.region().isBlank()) {
            builder.region(settings.region());
        }
        this.client = builder.build();
        // the client's default is minutes; a wrong endpoint should fail a test call quickly
        client.setTimeout(TimeUnit.SECONDS.toMillis(10), TimeUnit.MINUTES.toMillis(2), TimeUnit.MINUTES.toMillis(2));
    }

    @Override
    public String initUpload(String key) {
        String name = objectName(key);
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", "application/octet-stream");
        return call("start upload of " + key,
                () -> client.createMultipartUploadAsync(settings.bucket(), region(), name, headers, null))
                .result().uploadId();
    }

    @Override
    public StoredPart putPart(String key, String uploadId, int partNumber, InputStream body, String expectedSha256) {
        String name = objectName(key);
        Path spool = createSpoolFile();
        try {
            long size = Digests.writeVerified(body, spool, partNumber, expectedSha256).size();
            try (RandomAccessFile file = new RandomAccessFile(spool.toFile(), "r")) {
                String etag = call("upload part " + partNumber + " of " + key,
                        () -> client.uploadPartAsync(settings.bucket(), region(), name, file, size, uploadId,
                                partNumber, null, null)).etag();
                return new StoredPart(partNumber, etag, size);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spooled part " + partNumber, e);
            }
        } finally {
            Digests.deleteQuietly(spool);
        }
    }

    @Override
    public ObjectStat complete(String key, String uploadId, List<PartRef> parts, Completion completion) {
        String name = objectName(key);
        Part[] s3Parts = parts.stream().map(p -> new Part(p.partNumber(), p.etag())).toArray(Part[]::new);
        try {
            call("complete " + key, () -> client.completeMultipartUploadAsync(settings.bucket(), region(), name,
                    uploadId, s3Parts, null, null));
        } catch (S3Error e) {
            boolean alreadyDone = "NoSuchUpload".equals(e.code) && stat(key).isPresent();
            if (!alreadyDone) { // else: we completed it before and crashed before recording that
                if (NO_SUCH_PART.contains(e.code)) {
                    throw new PartMissing("S3 refused the part list (" + e.code + "): " + e.s3Message);
                }
                throw e;
            }
        }
        if (completion.sha256() != null || !completion.metadata().isEmpty()) {
            recordMetadata(key, name, completion);
        }
        return stat(key).orElseThrow(() -> new StoreFailure("S3 completed " + key + " but cannot find it"));
    }

    /**
     * S3 fixes user metadata when an upload starts, before we know the digest: copy the object onto
     * itself with the metadata replaced (MinIO switches to a multipart copy above 5 GiB). The object is
     * complete either way, so a failure to record the digest alone is logged rather than failing the upload;
     * other entries (how to read the object, e.g. its encryption) must be there, so their failure fails the
     * call, and a repeated complete records them again.
     */
    private void recordMetadata(String key, String name, Completion completion) {
        Map<String, String> metadata = new java.util.HashMap<>(completion.metadata());
        if (completion.sha256() != null) {
            metadata.put(SHA256_METADATA, completion.sha256().toLowerCase());
        }
        try {
            call("record the metadata of " + key, () -> client.copyObject(CopyObjectArgs.builder()
                    .bucket(settings.bucket()).region(region()).object(name)
                    .source(CopySource.builder().bucket(settings.bucket()).region(region()).object(name).build())
                    .userMetadata(metadata)
                    .metadataDirective(Directive.REPLACE)
                    .build()));
        } catch (StoreFailure e) {
            if (!completion.metadata().isEmpty()) {
                throw e;
            }
            log.warn("{} is complete but its sha256 metadata could not be set: {}", key, e.getMessage());
        }
    }

    @Override
    public void abort(String key, String uploadId) {
        String name = objectName(key);
        try {
            call("abort upload of " + key,
                    () -> client.abortMultipartUploadAsync(settings.bucket(), region(), name, uploadId, null, null));
        } catch (S3Error e) {
            if (!"NoSuchUpload".equals(e.code)) {
                throw e.asProblem();
            }
        }
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        String name = objectName(key);
        try {
            StatObjectResponse stat = call("stat " + key, () -> client.statObject(
                    StatObjectArgs.builder().bucket(settings.bucket()).region(region()).object(name).build()));
            Map<String, String> metadata = new java.util.HashMap<>();
            stat.userMetadata().forEach((entry, value) -> metadata.put(entry.toLowerCase(), value));
            String sha256 = metadata.remove(SHA256_METADATA);
            return Optional.of(new ObjectStat(key, stat.size(), sha256,
                    stat.lastModified() == null ? null : stat.lastModified().toInstant(), metadata));
        } catch (S3Error e) {
            if (NOT_FOUND.contains(e.code)) {
                return Optional.empty();
            }
            throw e.asProblem();
        }
    }

    @Override
    public InputStream open(String key, long offset, Long length) {
        String name = objectName(key);
        GetObjectArgs.Builder args = GetObjectArgs.builder().bucket(settings.bucket()).region(region()).object(name);
        if (offset > 0 || length != null) {
            args.offset(offset);
        }
        if (length != null) {
            args.length(length);
        }
        try {
            return call("read " + key, () -> client.getObject(args.build()));
        } catch (S3Error e) {
            if (NOT_FOUND.contains(e.code)) {
                throw new ObjectNotFound(key);
            }
            throw e.asProblem();
        }
    }

    @Override
    public void delete(String key) {
        String name = objectName(key);
        try {
            call("delete " + key, () -> client.removeObject(
                    RemoveObjectArgs.builder().bucket(settings.bucket()).region(region()).object(name).build()));
        } catch (S3Error e) {
            if (!NOT_FOUND.contains(e.code)) {
                throw e.asProblem();
            }
        }
    }

    /**
     * A SigV4 query-signed GET, computed locally (no call to S3 once the region is known). The
     * {@code response-content-disposition} parameter makes S3 answer with an attachment of that name.
     */
    @Override
    public String presignGet(String key, Duration ttl, String fileName) {
        String name = objectName(key);
        GetPresignedObjectUrlArgs.Builder args = GetPresignedObjectUrlArgs.builder().method(Method.GET)
                .bucket(settings.bucket()).region(region()).object(name)
                .expiry((int) ttl.toSeconds(), TimeUnit.SECONDS);
        if (fileName != null) {
            args.extraQueryParams(Map.of("response-content-disposition", "attachment; filename=\"" + fileName + "\""));
        }
        try {
            return presigner().getPresignedObjectUrl(args.build());
        } catch (Exception e) {
            throw translate("presign a URL for " + key, e);
        }
    }

    /**
     * The signature covers the host, so a URL for the public endpoint is signed by a client of that endpoint.
     * It is given a region, so presigning never calls that endpoint (it may be unreachable from here).
     */
    private MinioAsyncClient presigner() {
        if (settings.publicEndpoint() == null || settings.publicEndpoint().isBlank()) {
            return client;
        }
        if (publicClient == null) {
            synchronized (this) {
                if (publicClient == null) {
                    publicClient = MinioAsyncClient.builder().endpoint(settings.publicEndpoint())
                            .credentials(settings.accessKey(), settings.secretKey())
                            .region(region() != null ? region() : "us-east-1").build();
                }
            }
        }
        return publicClient;
    }

    /**
     * Writes and removes a probe object. No HEAD on the bucket first: a HEAD answer has no body, so
     * S3 could only say "AccessDenied", where a PUT names the real cause (SignatureDoesNotMatch,
     * InvalidAccessKeyId, NoSuchBucket).
     */
    @Override
    public ProbeResult probe() {
        String probe = objectName(".databasement-probe-" + UUID.randomUUID());
        byte[] bytes = "databasement probe".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            call("write a probe object", () -> client.putObject(PutObjectArgs.builder().bucket(settings.bucket())
                    .region(region()).object(probe).stream(new ByteArrayInputStream(bytes), bytes.length, -1).build()));
            call("remove the probe object", () -> client.removeObject(
                    RemoveObjectArgs.builder().bucket(settings.bucket()).region(region()).object(probe).build()));
            return ProbeResult.ok("bucket " + settings.bucket() + " is reachable and writable at " + location());
        } catch (S3Error e) {
            if ("NoSuchBucket".equals(e.code)) {
                return ProbeResult.failed("bucket " + settings.bucket() + " does not exist (NoSuchBucket)");
            }
            return ProbeResult.failed(e.code + ": " + e.s3Message);
        } catch (StoreFailure e) {
            return ProbeResult.failed(e.getMessage());
        }
    }

    /** Whether S3 still holds a multipart upload (and so its parts). */
    boolean uploadExists(String key, String uploadId) {
        String name = objectName(key);
        try {
            // S3Proxy answers list-parts of a finished upload with an empty list, not NoSuchUpload: ask the index
            return call("list uploads of " + key, () -> client.listMultipartUploadsAsync(settings.bucket(), region(),
                    null, null, null, null, name, null, null, null))
                    .result().uploads().stream().anyMatch(u -> uploadId.equals(u.uploadId()));
        } catch (S3Error e) {
            if ("NoSuchUpload".equals(e.code)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public String location() {
        return "s3://" + settings.bucket() + (settings.prefix().isEmpty() ? "" : "/" + settings.prefix());
    }

    @Override
    public void close() {
        try {
            if (publicClient != null) {
                publicClient.close();
            }
            client.close();
        } catch (Exception e) {
            log.warn("closing the S3 client of {} failed: {}", location(), e.toString());
        }
    }

    String objectName(String key) {
        // probe names start with '.', which is only refused for client keys
        if (!key.startsWith(".databasement-probe-")) {
            Keys.checkKey(key);
        }
        return settings.prefix().isEmpty() ? key : settings.prefix() + "/" + key;
    }

    private String region() {
        return settings.region() == null || settings.region().isBlank() ? null : settings.region();
    }

    private Path createSpoolFile() {
        try {
            Files.createDirectories(spoolDir);
            return Files.createTempFile(spoolDir, "dbm-part-", ".spool");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool file in " + spoolDir, e);
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        CompletableFuture<T> start() throws Exception;
    }

    /** Runs one client call and waits; S3 error responses become {@link S3Error} with their code. */
    private <T> T call(String what, Call<T> call) {
        try {
            return call.start().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreFailure(what + " was interrupted");
        } catch (ExecutionException e) {
            throw translate(what, e.getCause());
        } catch (Exception e) {
            throw translate(what, e);
        }
    }

    private RuntimeException translate(String what, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ErrorResponseException e) {
            return new S3Error(e.errorResponse().code(), e.errorResponse().message());
        }
        if (cause instanceof IllegalArgumentException e) {
            return new StoreFailure("cannot " + what + ": " + e.getMessage());
        }
        log.warn("S3 call failed: {} at {}: {}", what, location(), cause.toString());
        return new StoreFailure("cannot " + what + " at " + settings.endpoint() + ": "
                + LocalObjectStore.describe(cause instanceof Exception ex ? ex : new RuntimeException(cause)));
    }

    /** An S3 error response: the code (e.g. SignatureDoesNotMatch) is what a user needs to fix it. */
    static final class S3Error extends StoreFailure {
        final String code;
        final String s3Message;

        S3Error(String code, String s3Message) {
            super("S3 answered " + code + ": " + s3Message);
            this.code = code;
            this.s3Message = s3Message;
        }

        StoreFailure asProblem() {
            return this;
        }
    }
}
