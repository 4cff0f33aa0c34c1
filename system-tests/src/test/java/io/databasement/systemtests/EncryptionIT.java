package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7 item 4 end to end: a snapshot on a volume created with an encryption key id is ciphertext on the volume,
 * while its download and its restore give back exactly the plaintext the catalog recorded; with another key under
 * that id, reading fails with a clear problem, never with wrong bytes.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptionIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "dbm_it_enc_src_" + SUFFIX;
    /** In every row of the source: found in a plaintext dump, never in the encrypted object. */
    private static final String MARKER = "plaintext-marker-" + SUFFIX;

    private Api api;
    private Flows flows;
    private String server;
    private final List<String> toDrop = new ArrayList<>();

    @BeforeAll
    void source() throws Exception {
        api = Stack.get().api();
        flows = new Flows(api);
        server = flows.postgresServer("pg-enc-" + SUFFIX);
        Stack.createPostgresDatabase(SOURCE);
        toDrop.add(SOURCE);
        try (Connection c = Stack.postgres(SOURCE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE secrets (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO secrets SELECT g, '" + MARKER + " ' || g FROM generate_series(1, 30000) g");
        }
    }

    @AfterAll
    void drop() {
        toDrop.forEach(Stack::dropPostgresDatabase);
    }

    @Test
    void anEncryptedVolumeHoldsCiphertextWhileDownloadAndRestoreGiveThePlaintextBack() throws Exception {
        Path folder = Files.createTempDirectory("dbm-sys-enc-");
        String volume = volume("enc-vol-" + SUFFIX, folder, Stack.ENCRYPTION_KEY_ID);
        assertThat(api.get("/api/v1/volumes/" + volume).json().path("encryptionKeyId").asText())
                .isEqualTo(Stack.ENCRYPTION_KEY_ID);

        // no compression: were the object plaintext, the marker would be in it verbatim
        JsonNode snapshot = snapshot(volume, "none");
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        Path object = Path.of(snapshot.path("path").asText());
        byte[] stored = Files.readAllBytes(object);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).as("the bytes at rest").doesNotContain(MARKER)
                .doesNotContain("PostgreSQL database dump");
        assertThat(stored.length).as("ciphertext: the plaintext plus headers and tags").isGreaterThan(snapshot.path("sizeBytes").asInt());

        HttpResponse<byte[]> file = api.getBytes("/api/v1/snapshots/" + snapshot.path("id").asText() + "/download", null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body().length).isEqualTo(snapshot.path("sizeBytes").asLong());
        assertThat(sha256(file.body())).isEqualTo(snapshot.path("sha256").asText());
        assertThat(new String(file.body(), StandardCharsets.UTF_8)).contains(MARKER + " 29999");
        HttpResponse<byte[]> tail = api.getBytes("/api/v1/snapshots/" + snapshot.path("id").asText() + "/download", "bytes=-100");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(file.body(), file.body().length - 100, file.body().length));

        String target = "dbm_it_enc_dst_" + SUFFIX;
        toDrop.add(target);
        JsonNode restore = flows.restoreAndWait(snapshot.path("id").asText(), server, target, null);
        assertThat(restore.path("status").asText()).as(restore.toString()).isEqualTo("COMPLETED");
        assertThat(Dumps.postgres(target)).isEqualTo(Dumps.postgres(SOURCE));
    }

    @Test
    void anEncryptedS3VolumeIsDownloadedThroughStorageNotByAPresignedUrl() throws Exception {
        String volume = flows.s3Volume("enc-s3-" + SUFFIX, "enc-" + SUFFIX, Map.of("encryptionKeyId", Stack.ENCRYPTION_KEY_ID));
        JsonNode snapshot = snapshot(volume, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        String id = snapshot.path("id").asText();
        JsonNode url = api.get("/api/v1/snapshots/" + id + "/download-url").json();
        assertThat(url.path("url").asText()).as("a bucket URL would hand out ciphertext").doesNotContain("X-Amz-Signature");
        HttpResponse<byte[]> file = api.getBytes("/api/v1/snapshots/" + id + "/download", null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(sha256(file.body())).isEqualTo(snapshot.path("sha256").asText());
    }

    @Test
    void anotherKeyUnderTheSameIdFailsClearlyAndTheRightKeyReadsAgain() throws Exception {
        Path folder = Files.createTempDirectory("dbm-sys-enc-wrong-");
        String volume = volume("enc-wrong-" + SUFFIX, folder, Stack.ENCRYPTION_KEY_ID);
        JsonNode snapshot = snapshot(volume, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        String id = snapshot.path("id").asText();

        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        String wrongKey = Base64.getEncoder().encodeToString(other);
        Stack.Running stack = Stack.get();
        try {
            stack.restart("storage-service", Map.of("DBM_STORAGE_ENCRYPTION_KEYS_" + Stack.ENCRYPTION_KEY_ID.toUpperCase(), wrongKey));
            Api.Response download = api.get("/api/v1/snapshots/" + id + "/download");
            assertThat(download.status()).as(download.text()).isBetween(400, 599);
            assertThat(download.header("Content-Type")).startsWith("application/problem+json");
            assertThat(download.json().path("type").asText()).endsWith("decryption-failed");
            assertThat(download.json().path("detail").asText()).contains(Stack.ENCRYPTION_KEY_ID);
            assertThat(download.text()).doesNotContain(wrongKey).doesNotContain(Stack.ENCRYPTION_KEY)
                    .doesNotContain("Exception").doesNotContain("\tat ");

            String target = "dbm_it_enc_wrong_dst_" + SUFFIX;
            toDrop.add(target);
            JsonNode restore = flows.restoreAndWait(id, server, target, null);
            assertThat(restore.path("status").asText()).as(restore.toString()).isEqualTo("FAILED");
            assertThat(restore.path("error").asText()).containsIgnoringCase("decrypt");
        } finally {
            stack.restart("storage-service");
        }
        HttpResponse<byte[]> file = api.getBytes("/api/v1/snapshots/" + id + "/download", null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(sha256(file.body())).isEqualTo(snapshot.path("sha256").asText());
    }

    @Test
    void aVolumeNamingAKeyStorageDoesNotHaveIsRefused() {
        Api.Response response = api.post("/api/v1/volumes", Map.of("name", "enc-unknown-" + SUFFIX, "type", "local",
                "path", "/tmp/dbm-sys-enc-unknown-" + SUFFIX, "encryptionKeyId", "nosuchkey"));
        Flows.assertProblem(response, 400);
        assertThat(response.json().path("type").asText()).endsWith("unknown-encryption-key");
    }

    private String volume(String name, Path folder, String keyId) {
        Api.Response response = api.post("/api/v1/volumes", Map.of("name", name, "type", "local", "path", folder.toString(),
                "encryptionKeyId", keyId));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().path("id").asText();
    }

    private JsonNode snapshot(String volume, String compression) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serverId", server);
        body.put("database", SOURCE);
        body.put("volumeId", volume);
        if (compression != null) {
            body.put("compression", compression);
        }
        Api.Response accepted = api.post("/api/v1/snapshots", body);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        return flows.awaitEnd("/api/v1/snapshots/" + accepted.json().path("id").asText());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
