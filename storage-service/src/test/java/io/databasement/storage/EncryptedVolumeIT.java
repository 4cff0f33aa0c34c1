package io.databasement.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.storage.store.S3TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encrypted volumes through the real service (PostgreSQL, embedded Kafka, S3Proxy): a worker uploads plaintext
 * parts and reads plaintext back, whole and by range, while the folder and the bucket hold only ciphertext; a
 * second instance configured with another key under the same id refuses to read, with a problem that says why.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ActiveProfiles("it")
class EncryptedVolumeIT {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DATABASE = "dbm_it_storage_enc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String TOKEN = "it-token-" + UUID.randomUUID();
    static final String SEAL_KEY = randomKey();
    static final String K1 = randomKey();
    static final String BUCKET = "dbm-it-enc";
    static final int MIB = 1024 * 1024;
    static final String MARKER = "INSERT INTO marker_c0ffee VALUES (42);\n";

    static Path tmp;
    static S3TestServer s3;

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startInfrastructure() throws Exception {
        tmp = Files.createTempDirectory("dbm-storage-enc-it");
        s3 = new S3TestServer(Files.createDirectories(tmp.resolve("s3")));
        s3.createBucket(BUCKET);
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
            c.createStatement().execute("create database " + DATABASE);
        }
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        s3.close();
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
            c.createStatement().execute("drop database if exists " + DATABASE + " with (force)");
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PG + DATABASE);
        registry.add("dbm.storage.seal-key", () -> SEAL_KEY);
        registry.add("dbm.storage.service-token", () -> TOKEN);
        registry.add("dbm.storage.spool-dir", () -> tmp.resolve("spool").toString());
        registry.add("dbm.storage.encryption.keys.k1", () -> K1);
    }

    @Test
    void encryptedLocalVolumeStoresCiphertextAndAnswersPlaintext() throws Exception {
        Path folder = tmp.resolve("local-encrypted");
        JsonNode volume = create("""
                {"name": "local-encrypted", "type": "local", "path": "%s", "encryptionKeyId": "k1"}""".formatted(folder));
        assertThat(volume.get("encryptionKeyId").asString()).isEqualTo("k1");
        String volumeId = volume.get("id").asString();
        byte[] object = dump(10 * MIB + 321);
        String key = "srv/db/srv-db-2026-11-26-010000-abcd1234.sql";

        uploadInThreeParts(volumeId, key, object);

        assertObjectReadsBack(volumeId, key, object);
        byte[] raw = Files.readAllBytes(folder.resolve(key));
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).startsWith("DBMENC1").doesNotContain("marker_c0ffee");
        assertThat(presign(volumeId, key).statusCode()).isEqualTo(422);
    }

    @Test
    void encryptedS3VolumeStoresCiphertextRefusesPresigningAndAnotherKeyCannotReadIt() throws Exception {
        JsonNode volume = create("""
                {"name": "s3-encrypted", "type": "s3", "endpoint": "%s", "bucket": "%s", "region": "us-east-1",
                 "accessKey": "%s", "secretKey": "%s", "prefix": "enc", "encryptionKeyId": "k1"}"""
                .formatted(s3.endpoint(), BUCKET, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));
        String volumeId = volume.get("id").asString();
        byte[] object = dump(10 * MIB + 4321);
        String key = "srv/db/srv-db-2026-11-26-020000-abcd1234.sql";

        uploadInThreeParts(volumeId, key, object);

        assertObjectReadsBack(volumeId, key, object);
        byte[] raw = Files.readAllBytes(s3.file(BUCKET, "enc/" + key));
        assertThat(raw.length).isGreaterThan(object.length);
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("marker_c0ffee");
        HttpResponse<String> presign = presign(volumeId, key);
        assertThat(presign.statusCode()).isEqualTo(422);
        assertThat(json.readTree(presign.body()).get("type").asString()).endsWith("/presign-not-supported");
        assertThat(json.readTree(presign.body()).get("detail").asString()).contains("encrypted");

        // the same service restarted with other bytes under the key id 'k1'
        try (ConfigurableApplicationContext rekeyed = startInstance(randomKey())) {
            int otherPort = Integer.parseInt(rekeyed.getEnvironment().getProperty("local.server.port"));
            HttpResponse<String> refused = send(internal(otherPort, "/internal/objects/" + volumeId + "/" + key).GET());
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = json.readTree(refused.body());
            assertThat(problem.get("type").asString()).endsWith("/decryption-failed");
            assertThat(problem.get("detail").asString()).isEqualTo("object " + key + " was encrypted with key 'k1'; "
                    + "the configured key 'k1' does not decrypt it (wrong key or damaged object)");
            assertThat(refused.body()).doesNotContain("Exception").doesNotContain(K1);
        }
    }

    @Test
    void aVolumeNamingAKeyThatIsNotConfiguredIsRefused() throws Exception {
        HttpResponse<String> response = send(request(port, "/api/v1/volumes").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "no-such-key", "type": "local", "path": "%s", "encryptionKeyId": "k9"}"""
                        .formatted(tmp.resolve("no-such-key")))));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("type").asString()).endsWith("/unknown-encryption-key");
    }

    ConfigurableApplicationContext startInstance(String k1) {
        // arguments, not builder properties: those are defaults that application.yml would override
        return new SpringApplicationBuilder(StorageServiceApplication.class).profiles("it").run(
                "--server.port=0",
                "--spring.datasource.url=" + PG + DATABASE,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--dbm.storage.seal-key=" + SEAL_KEY,
                "--dbm.storage.service-token=" + TOKEN,
                "--dbm.storage.spool-dir=" + tmp.resolve("spool-2"),
                "--dbm.storage.encryption.keys.k1=" + k1);
    }

    void uploadInThreeParts(String volumeId, String key, byte[] object) throws Exception {
        HttpResponse<String> started = send(internal(port, "/internal/uploads").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"volumeId\": \"" + volumeId + "\", \"key\": \"" + key
                        + "\", \"partSize\": " + 5 * MIB + "}")));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String uploadId = json.readTree(started.body()).get("uploadId").asString();
        List<byte[]> parts = List.of(Arrays.copyOfRange(object, 0, 5 * MIB),
                Arrays.copyOfRange(object, 5 * MIB, 10 * MIB), Arrays.copyOfRange(object, 10 * MIB, object.length));
        for (int n : new int[] {3, 1, 2}) {
            byte[] part = parts.get(n - 1);
            HttpResponse<String> stored = send(internal(port, "/internal/uploads/" + uploadId + "/parts/" + n)
                    .header("Content-Type", "application/octet-stream").header("X-Content-SHA256", sha256(part))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(part)));
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            assertThat(json.readTree(stored.body()).get("sizeBytes").asLong()).isEqualTo(part.length);
        }
        HttpResponse<String> completed = send(internal(port, "/internal/uploads/" + uploadId + "/complete")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"parts\": [{\"partNumber\": 1}, {\"partNumber\": 2}, {\"partNumber\": 3}], \"sha256\": \""
                                + sha256(object) + "\"}")));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        JsonNode result = json.readTree(completed.body());
        assertThat(result.get("sizeBytes").asLong()).isEqualTo(object.length);
        assertThat(result.get("sha256").asString()).isEqualTo(sha256(object));
    }

    void assertObjectReadsBack(String volumeId, String key, byte[] object) throws Exception {
        String path = "/internal/objects/" + volumeId + "/" + key;
        HttpResponse<byte[]> whole = http.send(internal(port, path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("X-Object-SHA256")).hasValue(sha256(object));
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(object.length);
        assertThat(whole.body()).isEqualTo(object);

        for (long[] range : new long[][] {{5L * MIB - 10, 5L * MIB + 99}, {123_457, 123_457}, {10L * MIB + 5, object.length - 1}}) {
            HttpResponse<byte[]> partial = http.send(internal(port, path)
                    .header("Range", "bytes=" + range[0] + "-" + range[1]).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(partial.statusCode()).isEqualTo(206);
            assertThat(partial.headers().firstValue("Content-Range"))
                    .hasValue("bytes " + range[0] + "-" + range[1] + "/" + object.length);
            assertThat(partial.body()).isEqualTo(Arrays.copyOfRange(object, (int) range[0], (int) range[1] + 1));
        }
        HttpResponse<byte[]> suffix = http.send(internal(port, path).header("Range", "bytes=-100").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(object, object.length - 100, object.length));
    }

    HttpResponse<String> presign(String volumeId, String key) throws Exception {
        return send(internal(port, "/internal/objects/presign").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"volumeId\": \"" + volumeId + "\", \"key\": \"" + key
                        + "\", \"ttlSeconds\": 60}")));
    }

    JsonNode create(String body) throws Exception {
        HttpResponse<String> response = send(request(port, "/api/v1/volumes").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    HttpRequest.Builder internal(int port, String path) {
        return request(port, path).header("Authorization", "Bearer " + TOKEN);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Text that looks like a dump, with a marker to look for in the stored bytes. */
    static byte[] dump(int size) {
        byte[] text = MARKER.repeat(size / MARKER.length() + 1).getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(text, size);
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
