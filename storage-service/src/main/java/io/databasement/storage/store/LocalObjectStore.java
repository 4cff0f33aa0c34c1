package io.databasement.storage.store;

import com.google.common.io.ByteStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A folder as an object store. An upload that declares its part size ({@link UploadPlan}) writes each part at its
 * place in one data file under {@code <root>/.uploads/<uploadId>/} and is hashed while it arrives
 * ({@link PositionalUpload}); completing only checks, truncates and renames that file. Without a declared size,
 * parts go to {@code <root>/.uploads/<uploadId>/part-NNNNN} and completing concatenates them into a temp file in the
 * same tree. Either way the object is renamed atomically onto {@code <root>/<key>}, so a reader never sees half an
 * object. The whole-object SHA-256 is kept in a
 * sidecar {@code <root>/.meta/<key>.sha256}. Both hidden folders start with a dot, which no valid key
 * segment may, so they never collide with (or show up as) objects.
 */
public class LocalObjectStore implements ObjectStore {

    static final String UPLOADS = ".uploads";
    static final String META = ".meta";

    private final Path root;
    private final Map<String, PositionalUpload> positional = new ConcurrentHashMap<>();

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String initUpload(String key) {
        resolve(key);
        String uploadId = UUID.randomUUID().toString();
        try {
            Files.createDirectories(uploadDir(uploadId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload folder in " + root, e);
        }
        return uploadId;
    }

    @Override
    public String initUpload(String key, UploadPlan plan) {
        if (plan == null || plan.partSize() == null) {
            return initUpload(key);
        }
        resolve(key);
        String uploadId = UUID.randomUUID().toString();
        Path dir = uploadDir(uploadId);
        try {
            Files.createDirectories(dir);
            positional.put(uploadId, PositionalUpload.create(dir, plan));
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException("cannot create the upload folder in " + root, e);
        }
        return uploadId;
    }

    @Override
    public StoredPart putPart(String key, String uploadId, int partNumber, InputStream body, String expectedSha256) {
        resolve(key);
        Path dir = uploadDir(uploadId);
        if (!Files.isDirectory(dir)) {
            throw new PartMissing("upload " + uploadId + " has no folder in " + root + " (aborted or swept)");
        }
        PositionalUpload upload = positional(uploadId);
        if (upload != null) {
            return upload.put(partNumber, body, expectedSha256);
        }
        // each attempt writes its own temp file: a retry racing a slow first try cannot interleave bytes
        Path incoming = dir.resolve(partName(partNumber) + "." + UUID.randomUUID() + ".incoming");
        Digests.Written written = Digests.writeVerified(body, incoming, partNumber, expectedSha256);
        String etag = written.sha256();
        try {
            Files.writeString(dir.resolve(partName(partNumber) + ".etag"), etag);
            Files.move(incoming, dir.resolve(partName(partNumber)), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Digests.deleteQuietly(incoming);
            throw new UncheckedIOException("cannot keep part " + partNumber, e);
        }
        return new StoredPart(partNumber, etag, written.size());
    }

    @Override
    public ObjectStat complete(String key, String uploadId, List<PartRef> parts, Completion completion) {
        String sha256 = completion.sha256();
        Path target = resolve(key);
        Path dir = uploadDir(uploadId);
        if (!Files.isDirectory(dir)) {
            // completed before, and the caller never heard: the same object is the answer
            Optional<ObjectStat> done = stat(key).filter(s -> s.sha256() != null && s.sha256().equalsIgnoreCase(sha256));
            if (done.isPresent()) {
                return done.get();
            }
        }
        PositionalUpload upload = Files.isDirectory(dir) ? positional(uploadId) : null;
        if (upload != null) {
            return completePositional(key, uploadId, upload, parts, completion);
        }
        for (PartRef part : parts) {
            Path file = dir.resolve(partName(part.partNumber()));
            if (!Files.isRegularFile(file)) {
                throw new PartMissing("part " + part.partNumber() + " was never uploaded");
            }
            if (part.etag() != null && !part.etag().equalsIgnoreCase(readEtag(dir, part.partNumber()))) {
                throw new PartMissing("part " + part.partNumber() + " has etag " + readEtag(dir, part.partNumber())
                        + ", not " + part.etag());
            }
        }
        Path assembled = dir.resolve("object.tmp");
        MessageDigest digest = Digests.sha256();
        long size = 0;
        try (OutputStream out = Files.newOutputStream(assembled)) {
            for (PartRef part : parts) {
                try (InputStream in = Files.newInputStream(dir.resolve(partName(part.partNumber())))) {
                    size += Digests.copy(in, out, digest);
                }
            }
        } catch (IOException e) {
            Digests.deleteQuietly(assembled);
            throw new UncheckedIOException("cannot assemble " + key, e);
        }
        String actual = completion.plaintextView() == null ? Digests.hex(digest)
                : plaintextSha256(assembled, completion.plaintextView(), key);
        if (sha256 != null && !actual.equalsIgnoreCase(sha256)) {
            Digests.deleteQuietly(assembled);
            throw new ObjectDigestMismatch(actual);
        }
        try {
            publish(key, assembled, actual, completion);
        } catch (IOException e) {
            Digests.deleteQuietly(assembled);
            throw new UncheckedIOException("cannot move " + key + " into place", e);
        }
        deleteTree(dir);
        return new ObjectStat(key, size, actual, lastModified(target), completion.metadata());
    }

    /**
     * Completes an upload with a declared part size: its data file already is the object, so this checks the parts,
     * finishes the digest, cuts the file to size and renames it. One complete at a time per upload; parts are not
     * taken meanwhile, and again if it fails (the upload stays open).
     */
    private ObjectStat completePositional(String key, String uploadId, PositionalUpload upload, List<PartRef> parts,
                                          Completion completion) {
        String sha256 = completion.sha256();
        Path target = resolve(key);
        synchronized (upload) {
            if (!Files.exists(upload.data())) {
                // moved into place by a complete whose answer was lost (or a crash before the folder was removed)
                Optional<ObjectStat> done = stat(key).filter(s -> s.sha256() != null && s.sha256().equalsIgnoreCase(sha256));
                if (done.isPresent()) {
                    forget(uploadId);
                    return done.get();
                }
                throw new PartMissing("upload " + uploadId + " has no data in " + root + " (aborted or swept)");
            }
            upload.close();
            try {
                List<PositionalUpload.Received> received = upload.check(parts);
                long size = upload.size(received);
                String actual = upload.contentSha256(received, completion.plaintextView());
                if (sha256 != null && !actual.equalsIgnoreCase(sha256)) {
                    throw new ObjectDigestMismatch(actual);
                }
                upload.truncate(size);
                publish(key, upload.data(), actual, completion);
                forget(uploadId);
                return new ObjectStat(key, size, actual, lastModified(target), completion.metadata());
            } catch (IOException e) {
                upload.reopen();
                throw new UncheckedIOException("cannot complete " + key, e);
            } catch (RuntimeException e) {
                upload.reopen();
                throw e;
            }
        }
    }

    /** Moves the finished {@code file} onto the key with its digest and metadata. */
    private void publish(String key, Path file, String sha256, Completion completion) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        resolve(key); // the parent folders just created must not have raced with a planted symlink
        Path meta = metaFile(key);
        Files.deleteIfExists(meta);
        // before the move: a reader must never take a transformed object for a plain one
        writeAttributes(key, completion.metadata());
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        writeMeta(meta, sha256);
    }

    /** The upload's positional state: kept from its start, or read from its folder (after a restart); null if it has none. */
    private PositionalUpload positional(String uploadId) {
        return positional.computeIfAbsent(uploadId, id -> PositionalUpload.open(uploadDir(id)));
    }

    /** How many parts, from 1 on, the running digest of an upload with a declared part size covers (for tests). */
    int hashedParts(String uploadId) {
        PositionalUpload upload = positional.get(uploadId);
        return upload == null ? 0 : upload.hashedParts();
    }

    private void forget(String uploadId) {
        positional.remove(uploadId);
        deleteTree(uploadDir(uploadId));
        positional.remove(uploadId);
    }

    @Override
    public void abort(String key, String uploadId) {
        resolve(key);
        forget(uploadId);
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        Path target = resolve(key);
        if (!Files.isRegularFile(target)) {
            return Optional.empty();
        }
        try {
            Path meta = metaFile(key);
            String sha256 = Files.isRegularFile(meta) ? Files.readString(meta).trim() : null;
            return Optional.of(new ObjectStat(key, Files.size(target), sha256, lastModified(target), readAttributes(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    @Override
    public InputStream open(String key, long offset, Long length) {
        Path target = resolve(key);
        try {
            FileChannel channel = FileChannel.open(target, StandardOpenOption.READ);
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return length == null ? in : ByteStreams.limit(in, length);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFound(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        Path target = resolve(key);
        try {
            Files.deleteIfExists(target);
            Files.deleteIfExists(metaFile(key));
            Files.deleteIfExists(attributesFile(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + key, e);
        }
    }

    /** A folder has no URL of its own: its objects are streamed through the services instead. */
    @Override
    public String presignGet(String key, java.time.Duration ttl, String fileName) {
        resolve(key);
        throw new io.databasement.storage.web.Problem(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT,
                "presign-not-supported", "No presigned URL for a local volume",
                "objects of a local volume have no URL of their own; download them through the catalog's stream");
    }

    @Override
    public ProbeResult probe() {
        Path probe = root.resolve(".probe-" + UUID.randomUUID());
        try {
            Files.createDirectories(root);
            Files.writeString(probe, "databasement probe");
            Files.delete(probe);
            return ProbeResult.ok("folder " + root + " is writable");
        } catch (IOException | SecurityException e) {
            Digests.deleteQuietly(probe);
            return ProbeResult.failed("folder " + root + " is not writable: " + describe(e));
        }
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void close() {
        // nothing held open between calls
    }

    /**
     * The file of a key, refused if it would leave the root after normalisation or pass through a
     * symbolic link (a link planted inside the folder could point anywhere on the machine).
     */
    Path resolve(String key) {
        Keys.checkKey(key);
        Path target = root.resolve(key).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new ObjectKeyRefused("object key resolves outside the volume");
        }
        for (Path p = target; p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new ObjectKeyRefused("object key passes through a symbolic link");
            }
        }
        return target;
    }

    private Path uploadDir(String uploadId) {
        // the id is ours (a UUID), but it travels through the database: never let it steer a path
        return root.resolve(UPLOADS).resolve(UUID.fromString(uploadId).toString());
    }

    private Path metaFile(String key) {
        return root.resolve(META).resolve(key + ".sha256");
    }

    private Path attributesFile(String key) {
        return root.resolve(META).resolve(key + ".attributes");
    }

    /** {@code name=value} lines; the file exists only for an object that has such entries. */
    private void writeAttributes(String key, Map<String, String> attributes) throws IOException {
        Path file = attributesFile(key);
        if (attributes.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(attributes).forEach((name, value) -> lines.append(name).append('=').append(value).append('\n'));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(tmp, lines, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Map<String, String> readAttributes(String key) throws IOException {
        Path file = attributesFile(key);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Map<String, String> attributes = new TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                attributes.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return attributes;
    }

    /** The SHA-256 of what {@code view} reads out of the assembled file (e.g. its plaintext). */
    private static String plaintextSha256(Path assembled, UnaryOperator<InputStream> view, String key) {
        MessageDigest digest = Digests.sha256();
        try (InputStream in = view.apply(Files.newInputStream(assembled))) {
            Digests.copy(in, OutputStream.nullOutputStream(), digest);
        } catch (IOException e) {
            Digests.deleteQuietly(assembled);
            throw new UncheckedIOException("cannot read back " + key, e);
        }
        return Digests.hex(digest);
    }

    private static String partName(int partNumber) {
        return String.format("part-%05d", partNumber);
    }

    private static String readEtag(Path dir, int partNumber) {
        try {
            return Files.readString(dir.resolve(partName(partNumber) + ".etag")).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeMeta(Path meta, String sha256) throws IOException {
        Files.createDirectories(meta.getParent());
        Path tmp = meta.resolveSibling(meta.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(tmp, sha256 + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, meta, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static java.time.Instant lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(Digests::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }
}
