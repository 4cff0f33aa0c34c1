package io.databasement.storage.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real S3 endpoint (S3Proxy in-process), under a prefix. */
class S3ObjectStoreTests extends ObjectStoreContract {

    static final String BUCKET = "dbm-contract";
    static final String PREFIX = "team/backups";

    @TempDir
    static Path tmp;

    static S3TestServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3TestServer(Files.createDirectories(tmp.resolve("s3")));
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Override
    ObjectStore newStore() {
        return store(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, BUCKET);
    }

    @Override
    boolean uploadLeftoversExist(String key, String uploadId) throws Exception {
        try (S3ObjectStore probe = (S3ObjectStore) newStore()) {
            return probe.uploadExists(key, uploadId);
        }
    }

    static S3ObjectStore store(String accessKey, String secretKey, String bucket) {
        return new S3ObjectStore(new S3Settings(s3.endpoint(), bucket, "us-east-1", accessKey, secretKey, PREFIX),
                tmp.resolve("spool"));
    }

    @Test
    void objectsLandUnderThePrefixWithTheirDigestAsUserMetadata() throws Exception {
        byte[] whole = randomBytes(3000, 21);
        String key = "srv/db/dump.sql.zst";
        lastUploadId = store.initUpload(key);
        store.complete(key, lastUploadId, List.of(putWhole(key, whole)), sha256(whole));

        assertThat(s3.file(BUCKET, PREFIX + "/" + key)).exists();
        assertThat(store.stat(key)).get().extracting(ObjectStat::sha256).isEqualTo(sha256(whole));
        assertThat(store.location()).isEqualTo("s3://" + BUCKET + "/" + PREFIX);
    }

    @Test
    void wrongSecretFailsTheProbeWithTheS3CodeAndNeverTheSecret() {
        try (ObjectStore wrong = store(S3TestServer.ACCESS_KEY, "not-the-secret-xyz", BUCKET)) {
            ProbeResult result = wrong.probe();
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).contains("SignatureDoesNotMatch").doesNotContain("not-the-secret-xyz");
        }
    }

    @Test
    void unknownAccessKeyFailsTheProbeWithTheS3Code() {
        try (ObjectStore wrong = store("nobody-i-know", S3TestServer.SECRET_KEY, BUCKET)) {
            ProbeResult result = wrong.probe();
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).contains("InvalidAccessKeyId");
        }
    }

    @Test
    void missingBucketFailsTheProbe() {
        try (ObjectStore wrong = store(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, "no-such-bucket")) {
            ProbeResult result = wrong.probe();
            assertThat(result.ok()).isFalse();
            assertThat(result.message()).contains("no-such-bucket");
        }
    }
}
