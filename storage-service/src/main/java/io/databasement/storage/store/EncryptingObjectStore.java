package io.databasement.storage.store;

import com.google.common.io.ByteStreams;
import io.databasement.storage.encryption.DecryptingStream;
import io.databasement.storage.encryption.DecryptionFailure;
import io.databasement.storage.encryption.EncryptedLayout;
import io.databasement.storage.encryption.EncryptingPartStream;
import io.databasement.storage.encryption.EncryptionKeys;
import io.databasement.storage.web.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * An encrypted volume: the store below keeps ciphertext, everyone above sees plaintext. Each part is encrypted
 * on its own as it streams in (parts arrive in parallel and may be re-sent), in the format of
 * {@link EncryptedLayout}; its SHA-256 is checked against the plaintext. Completing records, as object metadata,
 * the key id ({@value EncryptedLayout#KEY_ID}), the plaintext size and the plaintext part size, so
 * {@link #stat} answers the plaintext size and a ranged read can seek. An object without that metadata was
 * written before the volume was encrypted and is read as it is.
 */
public class EncryptingObjectStore implements ObjectStore {

    private final ObjectStore stored;
    private final EncryptionKeys keys;
    private final String keyId;

    public EncryptingObjectStore(ObjectStore stored, EncryptionKeys keys, String keyId) {
        this.stored = stored;
        this.keys = keys;
        this.keyId = keyId;
    }

    @Override
    public String initUpload(String key) {
        keys.require(keyId);
        return stored.initUpload(key);
    }

    /**
     * A declared plaintext part size becomes the stored one: a part's ciphertext size follows from its plaintext
     * size alone ({@link EncryptedLayout#storedPartSize}), and a store below that hashes while parts arrive reads
     * each part back through decryption.
     */
    @Override
    public String initUpload(String key, UploadPlan plan) {
        keys.require(keyId);
        if (plan == null || plan.partSize() == null) {
            return stored.initUpload(key);
        }
        return stored.initUpload(key, new UploadPlan(EncryptedLayout.storedPartSize(plan.partSize()),
                in -> new DecryptingStream(in, keys::find, key)));
    }

    @Override
    public StoredPart putPart(String key, String uploadId, int partNumber, InputStream body, String expectedSha256) {
        EncryptingPartStream ciphertext = new EncryptingPartStream(body, keyId, keys.require(keyId), partNumber,
                expectedSha256);
        StoredPart part = stored.putPart(key, uploadId, partNumber, ciphertext, null);
        return new StoredPart(partNumber, part.etag(), ciphertext.plaintextBytes());
    }

    @Override
    public ObjectStat complete(String key, String uploadId, List<PartRef> parts, Completion completion) {
        Map<String, String> metadata = new HashMap<>(completion.metadata());
        metadata.putAll(EncryptedLayout.metadata(keyId, parts));
        ObjectStat stat = stored.complete(key, uploadId, parts, new Completion(completion.sha256(), metadata,
                in -> new DecryptingStream(in, keys::find, key)));
        return plaintextStat(stat);
    }

    @Override
    public void abort(String key, String uploadId) {
        stored.abort(key, uploadId);
    }

    @Override
    public Optional<ObjectStat> stat(String key) {
        return stored.stat(key).map(EncryptingObjectStore::plaintextStat);
    }

    /**
     * Decrypts from the segment that holds {@code offset} when the parts have one plaintext size (a worker's
     * upload), else decrypts from the start and skips. The first segment is decrypted before this returns, so a
     * wrong or missing key is a problem here rather than a broken download.
     */
    @Override
    public InputStream open(String key, long offset, Long length) {
        ObjectStat raw = stored.stat(key).orElseThrow(() -> new ObjectNotFound(key));
        Optional<EncryptedLayout> layout = EncryptedLayout.of(raw.metadata());
        if (layout.isEmpty()) {
            return stored.open(key, offset, length);
        }
        DecryptingStream plaintext = null;
        try {
            EncryptedLayout.Seek seek = layout.get().seek(offset);
            if (seek == null) {
                plaintext = new DecryptingStream(stored.open(key, 0, null), keys::find, key);
                plaintext.prime();
                plaintext.skipNBytes(offset);
            } else {
                byte[] header;
                try (InputStream in = stored.open(key, seek.headerOffset(), (long) EncryptedLayout.HEADER_BYTES)) {
                    header = in.readAllBytes();
                }
                if (header.length < EncryptedLayout.HEADER_BYTES) {
                    throw DecryptionFailure.damaged(key, "it ends inside a part header");
                }
                plaintext = new DecryptingStream(stored.open(key, seek.segmentOffset(), null), keys::find, key,
                        header, seek.segmentIndex());
                plaintext.prime();
                plaintext.skipNBytes(seek.skip());
            }
            return length == null ? plaintext : ByteStreams.limit(plaintext, length);
        } catch (DecryptionFailure e) {
            closeQuietly(plaintext);
            throw e.problem();
        } catch (IOException e) {
            closeQuietly(plaintext);
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        stored.delete(key);
    }

    /** The bucket holds ciphertext: a URL to it would hand out bytes nobody outside can read. */
    @Override
    public String presignGet(String key, Duration ttl, String fileName) {
        throw new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "presign-not-supported", "No presigned URL for an encrypted volume",
                "the volume is encrypted (key '" + keyId + "'): its objects are stored as ciphertext, so they have no "
                        + "URL to fetch the plaintext from; download them through the catalog's stream");
    }

    @Override
    public ProbeResult probe() {
        return stored.probe();
    }

    @Override
    public String location() {
        return stored.location();
    }

    @Override
    public void close() {
        stored.close();
    }

    private static ObjectStat plaintextStat(ObjectStat raw) {
        return EncryptedLayout.of(raw.metadata())
                .map(layout -> new ObjectStat(raw.key(), layout.plaintextBytes(), raw.sha256(), raw.lastModified(), raw.metadata()))
                .orElse(raw);
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // already failing: the first failure is the one to report
            }
        }
    }
}
