package io.databasement.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import io.databasement.storage.store.S3TestServer;
import io.databasement.storage.upload.UploadService;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real service on a random port with a real PostgreSQL database (created here, dropped after), an
 * embedded Kafka broker and S3Proxy: what a backup worker and the catalog see.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ActiveProfiles("it")
class StorageServiceIT {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DATABASE = "dbm_it_storage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String TOKEN = "it-token-" + UUID.randomUUID();
    static final String BUCKET = "dbm-it";
    static final int MIB = 1024 * 1024;

    static Path tmp;
    static S3TestServer s3;

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    UploadService uploads;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void startInfrastructure() throws Exception {
        tmp = Files.createTempDirectory("dbm-storage-it");
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
            // FORCE: the application's pool may still be open while the test JVM winds down
            c.createStatement().execute("drop database if exists " + DATABASE + " with (force)");
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        registry.add("spring.datasource.url", () -> PG + DATABASE);
        registry.add("dbm.storage.seal-key", () -> Base64.getEncoder().encodeToString(key));
        registry.add("dbm.storage.service-token", () -> TOKEN);
        registry.add("dbm.storage.spool-dir", () -> tmp.resolve("spool").toString());
    }

    @Test
    void s3ObjectUploadedInThreePartsReadsBackWholeAndByRange() throws Exception {
        JsonNode volume = createS3Volume("s3-roundtrip", S3TestServer.SECRET_KEY, "team/backups");
        String volumeId = volume.get("id").asString();
        byte[] object = randomBytes(10 * MIB + 1234, 1);
        String key = "srv/db/srv-db-2026-11-25-120000-abcd1234.sql.zst";

        uploadInThreeParts(volumeId, key, object);

        assertObjectReadsBack(volumeId, key, object);
        assertThat(s3.file(BUCKET, "team/backups/" + key)).exists().hasSize(object.length);
    }

    @Test
    void localObjectUploadedInThreePartsReadsBackWholeAndByRange() throws Exception {
        Path folder = tmp.resolve("local-volume");
        JsonNode volume = create("""
                {"name": "local-roundtrip", "type": "local", "path": "%s"}""".formatted(folder));
        String volumeId = volume.get("id").asString();
        byte[] object = randomBytes(10 * MIB + 77, 2);
        String key = "srv/db/dump.sql.gz";

        uploadInThreeParts(volumeId, key, object);

        assertObjectReadsBack(volumeId, key, object);
        assertThat(Files.readAllBytes(folder.resolve(key))).isEqualTo(object);
    }

    @Test
    void localUploadDeclaringItsPartSizeLeavesOnlyTheObjectAndItsDigest() throws Exception {
        Path folder = tmp.resolve("local-in-place");
        String volumeId = create("""
                {"name": "local-in-place", "type": "local", "path": "%s"}""".formatted(folder)).get("id").asString();
        byte[] object = randomBytes(10 * MIB + 99, 5);
        String key = "srv/db/in-place.sql.gz";

        uploadInThreeParts(volumeId, key, object, 5 * MIB);

        assertObjectReadsBack(volumeId, key, object);
        try (var files = Files.walk(folder)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> folder.relativize(f).toString()))
                    .containsExactlyInAnyOrder(key, ".meta/" + key + ".sha256");
        }
        HttpResponse<String> tooSmall = send(internal("/internal/uploads").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"volumeId\": \"" + volumeId + "\", \"key\": \"x.bin\", \"partSize\": 1000}")));
        assertThat(tooSmall.statusCode()).as(tooSmall.body()).isEqualTo(400);
    }

    @Test
    void partWithAWrongDigestIsRefusedAndCanBeSentAgainAlone() throws Exception {
        String volumeId = createS3Volume("s3-digest", S3TestServer.SECRET_KEY, "").get("id").asString();
        String uploadId = startUpload(volumeId, "digest/object.bin");
        byte[] part = randomBytes(1000, 3);

        HttpResponse<String> wrong = send(internal("/internal/uploads/" + uploadId + "/parts/1")
                .header("X-Content-SHA256", sha256(randomBytes(1000, 4)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(part)));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(wrong.body()).get("type").asString())
                .isEqualTo("https://databasement.io/problems/part-digest-mismatch");

        HttpResponse<String> completeTooSoon = complete(uploadId, List.of(1), sha256(part));
        assertThat(completeTooSoon.statusCode()).as(completeTooSoon.body()).isEqualTo(400);

        assertThat(putPart(uploadId, 1, part).statusCode()).isEqualTo(200);
        assertThat(complete(uploadId, List.of(1), sha256(part)).statusCode()).isEqualTo(200);
    }

    @Test
    void volumeStateReachesKafkaWithCloudEventsHeadersAndNoSecretThenATombstone() throws Exception {
        String secret = "kafka-must-never-see-" + UUID.randomUUID();
        JsonNode volume = createS3Volume("s3-kafka", secret, "kafka");
        String volumeId = volume.get("id").asString();

        ConsumerRecord<String, String> state = awaitRecord(volumeId, false);
        assertThat(header(state, CloudEvents.TYPE)).isEqualTo(MessageTypes.VOLUME_STATE.ceType());
        assertThat(header(state, CloudEvents.SOURCE)).isEqualTo("/storage-service");
        assertThat(header(state, CloudEvents.SUBJECT)).isEqualTo(volumeId);
        assertThat(header(state, CloudEvents.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(header(state, CloudEvents.ID)).isNotBlank();
        assertThat(state.value()).doesNotContain(secret).doesNotContain("secretKey");
        JsonNode value = json.readTree(state.value());
        assertThat(value.get("location").asString()).isEqualTo("s3://" + BUCKET + "/kafka");
        assertThat(value.get("type").asString()).isEqualTo("s3");

        try (Admin kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.VOLUMES);
            assertThat(kafkaAdmin.describeConfigs(List.of(topic)).all().get().get(topic).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }

        assertThat(send(request("/api/v1/volumes/" + volumeId).DELETE()).statusCode()).isEqualTo(204);

        assertThat(awaitRecord(volumeId, true).value()).isNull();
        assertThat(send(request("/api/v1/volumes/" + volumeId).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void volumeResponsesNeverContainTheSecret() throws Exception {
        String secret = "response-must-never-see-" + UUID.randomUUID();
        JsonNode volume = createS3Volume("s3-secretless", secret, "");
        String volumeId = volume.get("id").asString();

        for (String path : List.of("/api/v1/volumes", "/api/v1/volumes/" + volumeId)) {
            HttpResponse<String> response = send(request(path).GET());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).doesNotContain(secret).doesNotContain("v1:").contains("\"hasSecretKey\":true");
        }
        HttpResponse<String> internal = send(internal("/internal/volumes/" + volumeId).GET());
        assertThat(internal.statusCode()).isEqualTo(200);
        assertThat(internal.body()).doesNotContain(secret).doesNotContain("accessKey");
        String stored = jdbc.sql("select secret_key_sealed from volume where id = ?")
                .param(UUID.fromString(volumeId)).query(String.class).single();
        assertThat(stored).startsWith("v1:").doesNotContain(secret);
    }

    @Test
    void testingAVolumeReportsTheS3ErrorForWrongCredentials() throws Exception {
        String good = createS3Volume("s3-good", S3TestServer.SECRET_KEY, "probe").get("id").asString();
        String bad = createS3Volume("s3-bad", "wrong-secret-value", "probe").get("id").asString();

        JsonNode ok = json.readTree(send(request("/api/v1/volumes/" + good + "/test")
                .POST(HttpRequest.BodyPublishers.noBody())).body());
        HttpResponse<String> failed = send(request("/api/v1/volumes/" + bad + "/test")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(ok.get("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(json.readTree(failed.body()).get("ok").asBoolean()).isFalse();
        assertThat(failed.body()).contains("SignatureDoesNotMatch").doesNotContain("wrong-secret-value");
    }

    @Test
    void internalCallsWithoutOrWithAWrongTokenAreUnauthorized() throws Exception {
        String volumeId = create("""
                {"name": "guarded", "type": "local", "path": "%s"}""".formatted(tmp.resolve("guarded"))).get("id").asString();
        HttpResponse<String> none = send(request("/internal/volumes/" + volumeId).GET());
        HttpResponse<String> encoded = send(request("/%69nternal/volumes/" + volumeId).GET());
        HttpResponse<String> dotted = send(request("/api/v1/../../internal/volumes/" + volumeId).GET());
        HttpResponse<String> wrong = send(request("/internal/uploads")
                .header("Authorization", "Bearer " + TOKEN + "x")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        for (HttpResponse<String> response : List.of(none, encoded, dotted, wrong)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json.readTree(response.body()).get("type").asString())
                    .isEqualTo("https://databasement.io/problems/unauthorized");
        }
    }

    @Test
    void everyKindOfErrorIsProblemDetailsWithAStableType() throws Exception {
        String volumes = "/api/v1/volumes";
        List<Map.Entry<String, HttpRequest.Builder>> cases = List.of(
                Map.entry("not-found", request("/api/v1/no-such-collection").GET()),
                Map.entry("not-found", request("/nowhere").GET()),
                Map.entry("volume-not-found", request(volumes + "/" + UUID.randomUUID()).GET()),
                Map.entry("invalid-request", request(volumes + "/not-a-uuid").GET()),
                Map.entry("method-not-allowed", request(volumes).PUT(HttpRequest.BodyPublishers.ofString("{}"))),
                Map.entry("unsupported-media-type", request(volumes).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("name=x"))),
                Map.entry("not-acceptable", request(volumes).header("Accept", "image/png").GET()),
                Map.entry("malformed-request", request(volumes).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": "))),
                Map.entry("invalid-request", request(volumes).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"local\"}"))));

        for (Map.Entry<String, HttpRequest.Builder> c : cases) {
            HttpResponse<String> response = send(c.getValue());
            String expected = c.getKey();
            assertThat(response.headers().firstValue("Content-Type")).as(expected + ": " + response.body())
                    .hasValue("application/problem+json");
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.get("type").asString()).as(response.body()).isEqualTo("https://databasement.io/problems/" + expected);
            assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
            assertThat(problem.get("title").asString()).isNotBlank();
        }
    }

    @Test
    void apiDocsDescribeTheVolumesApiButNotTheInternalOne() throws Exception {
        HttpResponse<String> response = send(request("/v3/api-docs").GET());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json.readTree(response.body());
        assertThat(doc.get("paths").propertyNames()).containsExactlyInAnyOrder(
                "/api/v1/volumes", "/api/v1/volumes/{id}", "/api/v1/volumes/{id}/test");
        assertThat(response.body()).doesNotContain("/internal");
        JsonNode create = doc.at("/paths/~1api~1v1~1volumes/post");
        assertThat(create.at("/requestBody/content/application~1json/examples").propertyNames()).contains("local", "s3");
        assertThat(create.at("/responses/400/content").propertyNames()).containsExactly("application/problem+json");
        assertThat(doc.at("/components/schemas/Problem/properties").propertyNames()).contains("type", "title", "status");
    }

    @Test
    void duplicateNamesConflictAndUnwritableFoldersAreRefused() throws Exception {
        create("""
                {"name": "twice", "type": "local", "path": "%s"}""".formatted(tmp.resolve("twice")));
        HttpResponse<String> again = send(request("/api/v1/volumes").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "TWICE", "type": "local", "path": "%s"}""".formatted(tmp.resolve("twice2")))));
        assertThat(again.statusCode()).isEqualTo(409);

        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        HttpResponse<String> unwritable = send(request("/api/v1/volumes").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "under-a-file", "type": "local", "path": "%s"}""".formatted(file.resolve("sub")))));
        assertThat(unwritable.statusCode()).isEqualTo(422);
        assertThat(json.readTree(unwritable.body()).get("type").asString())
                .isEqualTo("https://databasement.io/problems/volume-not-writable");
    }

    @Test
    void uploadSessionIsKeptInTheDatabaseAndAbortRemovesItsParts() throws Exception {
        Path folder = tmp.resolve("abort-volume");
        String volumeId = create("""
                {"name": "abort", "type": "local", "path": "%s"}""".formatted(folder)).get("id").asString();
        String uploadId = startUpload(volumeId, "abort/object.bin");
        assertThat(putPart(uploadId, 1, randomBytes(100, 5)).statusCode()).isEqualTo(200);

        Map<String, Object> row = jdbc.sql("select object_key, state, store_upload_id from upload where id = ?")
                .param(UUID.fromString(uploadId)).query().singleRow();
        assertThat(row).containsEntry("object_key", "abort/object.bin").containsEntry("state", "OPEN");

        assertThat(send(internal("/internal/uploads/" + uploadId).DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(internal("/internal/uploads/" + uploadId).DELETE()).statusCode()).isEqualTo(204);
        assertThat(folder.resolve(".uploads").resolve((String) row.get("store_upload_id"))).doesNotExist();
        assertThat(putPart(uploadId, 2, randomBytes(10, 6)).statusCode()).isEqualTo(409);
    }

    @Test
    void smallPartsBeforeTheLastOneAreRefusedAtComplete() throws Exception {
        String volumeId = create("""
                {"name": "small-parts", "type": "local", "path": "%s"}""".formatted(tmp.resolve("small"))).get("id").asString();
        String uploadId = startUpload(volumeId, "small/object.bin");
        byte[] one = randomBytes(1000, 7);
        byte[] two = randomBytes(1000, 8);
        putPart(uploadId, 1, one);
        putPart(uploadId, 2, two);

        HttpResponse<String> response = complete(uploadId, List.of(1, 2), sha256(randomBytes(1, 9)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("type").asString())
                .isEqualTo("https://databasement.io/problems/part-too-small");
    }

    @Test
    void uploadsLeftOpenTooLongAreSweptWithTheirParts() throws Exception {
        Path folder = tmp.resolve("sweep-volume");
        String volumeId = create("""
                {"name": "sweep", "type": "local", "path": "%s"}""".formatted(folder)).get("id").asString();
        String uploadId = startUpload(volumeId, "sweep/object.bin");
        assertThat(putPart(uploadId, 1, randomBytes(100, 10)).statusCode()).isEqualTo(200);

        assertThat(uploads.abortStale(Instant.now().minusSeconds(3600))).as("a fresh upload is kept").isZero();
        assertThat(uploads.abortStale(Instant.now().plusSeconds(1))).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.sql("select state from upload where id = ?").param(UUID.fromString(uploadId))
                .query(String.class).single()).isEqualTo("ABORTED");
        try (var leftovers = Files.list(folder.resolve(".uploads"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    // --- the worker's side of the conversation

    void uploadInThreeParts(String volumeId, String key, byte[] object) throws Exception {
        uploadInThreeParts(volumeId, key, object, null);
    }

    void uploadInThreeParts(String volumeId, String key, byte[] object, Integer partSize) throws Exception {
        String uploadId = startUpload(volumeId, key, partSize);
        List<byte[]> parts = List.of(Arrays.copyOfRange(object, 0, 5 * MIB),
                Arrays.copyOfRange(object, 5 * MIB, 10 * MIB), Arrays.copyOfRange(object, 10 * MIB, object.length));
        List<String> etags = new ArrayList<>();
        // sent out of order, as parallel uploads arrive
        for (int n : new int[] {2, 1, 3}) {
            HttpResponse<String> stored = putPart(uploadId, n, parts.get(n - 1));
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            JsonNode body = json.readTree(stored.body());
            assertThat(body.get("partNumber").asInt()).isEqualTo(n);
            assertThat(body.get("sizeBytes").asLong()).isEqualTo(parts.get(n - 1).length);
            etags.add(body.get("etag").asString());
        }
        HttpResponse<String> completed = complete(uploadId, List.of(1, 2, 3), sha256(object));
        assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
        JsonNode result = json.readTree(completed.body());
        assertThat(result.get("sizeBytes").asLong()).isEqualTo(object.length);
        assertThat(result.get("sha256").asString()).isEqualTo(sha256(object));
        assertThat(result.get("key").asString()).isEqualTo(key);
        assertThat(result.get("location").asString()).endsWith("/" + key);

        // a worker that lost the answer asks again and gets the same result
        HttpResponse<String> again = complete(uploadId, List.of(1, 2, 3), sha256(object));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json.readTree(again.body())).isEqualTo(result);
    }

    void assertObjectReadsBack(String volumeId, String key, byte[] object) throws Exception {
        String path = "/internal/objects/" + volumeId + "/" + key;
        HttpResponse<byte[]> whole = http.send(internal(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("X-Object-SHA256")).hasValue(sha256(object));
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(object.length);
        assertThat(sha256(whole.body())).isEqualTo(sha256(object));
        assertThat(whole.body()).isEqualTo(object);

        long first = 5 * MIB - 10;
        long last = 5 * MIB + 99;
        HttpResponse<byte[]> range = http.send(internal(path).header("Range", "bytes=" + first + "-" + last).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + object.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(object, (int) first, (int) last + 1));

        HttpResponse<Void> head = http.send(internal(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-Object-SHA256")).hasValue(sha256(object));

        HttpResponse<String> hostile = send(internal("/internal/objects/" + volumeId + "/.uploads/x"));
        assertThat(hostile.statusCode()).isEqualTo(400);
    }

    JsonNode createS3Volume(String name, String secret, String prefix) throws Exception {
        return create("""
                {"name": "%s", "type": "s3", "endpoint": "%s", "bucket": "%s", "region": "us-east-1",
                 "accessKey": "%s", "secretKey": "%s", "prefix": "%s"}"""
                .formatted(name, s3.endpoint(), BUCKET, S3TestServer.ACCESS_KEY, secret, prefix));
    }

    JsonNode create(String body) throws Exception {
        HttpResponse<String> response = send(request("/api/v1/volumes").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode volume = json.readTree(response.body());
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/volumes/" + volume.get("id").asString());
        assertThat(volume.has("secretKey")).isFalse();
        return volume;
    }

    String startUpload(String volumeId, String key) throws Exception {
        return startUpload(volumeId, key, null);
    }

    /** @param partSize what a worker declares; null: nothing */
    String startUpload(String volumeId, String key, Integer partSize) throws Exception {
        HttpResponse<String> response = send(internal("/internal/uploads").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"volumeId\": \"" + volumeId + "\", \"key\": \"" + key + "\""
                        + (partSize == null ? "" : ", \"partSize\": " + partSize) + "}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("uploadId").asString();
    }

    HttpResponse<String> putPart(String uploadId, int n, byte[] bytes) throws Exception {
        return send(internal("/internal/uploads/" + uploadId + "/parts/" + n)
                .header("Content-Type", "application/octet-stream")
                .header("X-Content-SHA256", sha256(bytes))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    HttpResponse<String> complete(String uploadId, List<Integer> parts, String sha256) throws Exception {
        String list = parts.stream().map(n -> "{\"partNumber\": " + n + "}").reduce((a, b) -> a + "," + b).orElse("");
        return send(internal("/internal/uploads/" + uploadId + "/complete").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"parts\": [" + list + "], \"sha256\": \"" + sha256 + "\"}")));
    }

    ConsumerRecord<String, String> awaitRecord(String key, boolean tombstone) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.VOLUMES));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key()) && (record.value() == null) == tombstone) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no " + (tombstone ? "tombstone" : "state") + " for volume " + key + " on " + Topics.VOLUMES);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
    }

    HttpRequest.Builder internal(String path) {
        return request(path).header("Authorization", "Bearer " + TOKEN);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
