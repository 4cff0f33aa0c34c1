package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.databasement.contracts.Topics;
import io.databasement.devstack.TestInfrastructure;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5 items 1 and 2 end to end through the gateway: deleting snapshots on S3 and local volumes (also while
 * storage-service is down), locks, and downloads (a local stream with its digest and ranges; an S3 redirect to
 * a presigned URL that works without credentials and expires).
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotLifecycleIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String PG_DB = "dbm_it_life_" + SUFFIX;

    private Api api;
    private Flows flows;
    private String serverId;
    private String s3VolumeId;
    private String localVolumeId;
    private Path localDir;

    @BeforeAll
    void source() throws Exception {
        api = Stack.get().api();
        flows = new Flows(api);
        Stack.createPostgresDatabase(PG_DB);
        try (Connection c = Stack.postgres(PG_DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id bigint PRIMARY KEY, body text)");
            s.execute("INSERT INTO notes SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 4000) g");
        }
        serverId = flows.postgresServer("pg-life-" + SUFFIX);
        s3VolumeId = flows.s3Volume("s3-life-" + SUFFIX, "life-" + SUFFIX);
        localDir = Files.createTempDirectory("dbm-sys-life-");
        localVolumeId = flows.localVolume("local-life-" + SUFFIX, localDir);
    }

    @AfterAll
    void dropSource() {
        Stack.dropPostgresDatabase(PG_DB);
    }

    @Test
    void deletingALocalSnapshotRemovesItsFileThenItsRecordAndTellsEveryone() {
        JsonNode snapshot = completed(localVolumeId);
        Path file = Path.of(snapshot.path("path").asText());
        assertThat(file).isRegularFile();

        Api.Response accepted = api.delete("/api/v1/snapshots/" + id(snapshot));

        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(accepted.json().path("status").asText()).isEqualTo("DELETING");
        awaitGone(id(snapshot));
        assertThat(file).doesNotExist();
        assertThat(TopicRecords.all(Topics.SNAPSHOT_EVENTS)).anySatisfy(record -> assertThat(record)
                .startsWith(id(snapshot) + " ").contains("ce_type=io.databasement.snapshot.deleted.v1")
                .contains("\"reason\":\"deleted by hand\""));
    }

    @Test
    void deletingAnS3SnapshotRemovesTheObjectFromTheBucket() throws Exception {
        JsonNode snapshot = completed(s3VolumeId);
        assertThat(s3ObjectExists(snapshot)).isTrue();

        assertThat(api.delete("/api/v1/snapshots/" + id(snapshot)).status()).isEqualTo(202);

        awaitGone(id(snapshot));
        assertThat(s3ObjectExists(snapshot)).isFalse();
    }

    @Test
    void whileStorageIsDownTheSnapshotStaysDeletingWithItsFileAndTheDeletionCompletesWhenItIsBack() throws Exception {
        JsonNode snapshot = completed(s3VolumeId);
        Stack.Running stack = Stack.get();
        stack.stop("storage-service");
        try {
            assertThat(api.delete("/api/v1/snapshots/" + id(snapshot)).status()).isEqualTo(202);
            // long enough for the sweep (every 1 s, re-sending after 2 s, 4 s) to send the command again
            Thread.sleep(8000);
            JsonNode waiting = api.get("/api/v1/snapshots/" + id(snapshot)).json();
            assertThat(waiting.path("status").asText()).isEqualTo("DELETING");
            assertThat(waiting.path("deletionAttempts").asInt()).isGreaterThan(1);
            assertThat(s3ObjectExists(snapshot)).isTrue();
        } finally {
            stack.restart("storage-service");
        }

        awaitGone(id(snapshot));
        assertThat(s3ObjectExists(snapshot)).isFalse();
    }

    @Test
    void aLockedSnapshotCannotBeDeletedUntilItIsUnlocked() {
        JsonNode snapshot = completed(localVolumeId);
        String path = "/api/v1/snapshots/" + id(snapshot);

        Api.Response locked = api.postRaw(path + "/lock", "");
        assertThat(locked.status()).as(locked.text()).isEqualTo(200);
        assertThat(locked.json().path("locked").asBoolean()).isTrue();
        Api.Response refused = api.delete(path);
        Flows.assertProblem(refused, 409);
        assertThat(refused.json().path("type").asText()).endsWith("/snapshot-locked");
        assertThat(api.get(path).json().path("status").asText()).isEqualTo("COMPLETED");

        assertThat(api.postRaw(path + "/unlock", "").json().path("locked").asBoolean()).isFalse();
        assertThat(api.delete(path).status()).isEqualTo(202);
        awaitGone(id(snapshot));
    }

    @Test
    void aLocalSnapshotDownloadsThroughTheGatewayWithItsDigestAndByRange() throws Exception {
        JsonNode snapshot = completed(localVolumeId);
        String path = "/api/v1/snapshots/" + id(snapshot) + "/download";
        String sha256 = snapshot.path("sha256").asText();

        HttpResponse<byte[]> whole = api.getBytes(path, null);

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(sha256(whole.body())).isEqualTo(sha256);
        assertThat(whole.headers().firstValue("Repr-Digest"))
                .hasValue("sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)) + ":");
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/zstd");
        String key = snapshot.path("objectKey").asText();
        assertThat(whole.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"" + key.substring(key.lastIndexOf('/') + 1) + "\"");
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(snapshot.path("sizeBytes").asLong());

        HttpResponse<byte[]> slice = api.getBytes(path, "bytes=100-1123");
        assertThat(slice.statusCode()).isEqualTo(206);
        assertThat(slice.headers().firstValue("Content-Range")).hasValue("bytes 100-1123/" + whole.body().length);
        assertThat(slice.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 100, 1124));

        JsonNode url = api.get(path + "-url").json();
        assertThat(url.path("url").asText()).isEqualTo(path);
        assertThat(url.path("sha256").asText()).isEqualTo(sha256);
    }

    @Test
    void anS3SnapshotRedirectsToAPresignedUrlThatAPlainClientCanFetchUntilItExpires() throws Exception {
        JsonNode snapshot = completed(s3VolumeId);
        HttpResponse<byte[]> redirect = api.getBytes("/api/v1/snapshots/" + id(snapshot) + "/download", null);
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(TestInfrastructure.s3().endpoint()).contains("X-Amz-Expires=5");

        HttpClient plain = HttpClient.newHttpClient();
        HttpResponse<byte[]> fetched = plain.send(HttpRequest.newBuilder(location).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(sha256(fetched.body())).isEqualTo(snapshot.path("sha256").asText());

        JsonNode url = api.get("/api/v1/snapshots/" + id(snapshot) + "/download-url").json();
        assertThat(url.path("expiresAt").asText()).isNotBlank();
        assertThat(url.path("sizeBytes").asLong()).isEqualTo(snapshot.path("sizeBytes").asLong());

        // the stack's dbm.catalog.download-url-ttl is 5 s
        Thread.sleep(6500);
        HttpResponse<String> expired = plain.send(HttpRequest.newBuilder(location).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(403);
    }

    private JsonNode completed(String volumeId) {
        JsonNode snapshot = flows.snapshotAndWait(serverId, PG_DB, volumeId, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        return snapshot;
    }

    private void awaitGone(String id) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.get("/api/v1/snapshots/" + id).status() == 404);
    }

    private static String id(JsonNode snapshot) {
        return snapshot.path("id").asText();
    }

    private static boolean s3ObjectExists(JsonNode snapshot) throws Exception {
        var s3 = TestInfrastructure.s3();
        String withoutScheme = snapshot.path("path").asText().substring("s3://".length());
        String bucket = withoutScheme.substring(0, withoutScheme.indexOf('/'));
        String key = withoutScheme.substring(bucket.length() + 1);
        try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey()).build()) {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if (List.of("NoSuchKey", "NoSuchObject").contains(e.errorResponse().code())) {
                return false;
            }
            throw e;
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
