package io.databasement.storage.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.StorageDeleteRequested;
import io.databasement.contracts.Topics;
import io.databasement.storage.store.S3TestServer;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delete command on a real broker, PostgreSQL and S3Proxy: objects go, reports follow, a failing backend
 * holds the command back until it recovers, and presigned URLs work for a plain HTTP client.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dbm.storage.delete-retry.first-interval=200ms", "dbm.storage.delete-retry.max-interval=1s"})
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ActiveProfiles("it")
class ObjectDeletionIT {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String DATABASE = "dbm_it_deletion_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final String TOKEN = "it-token-" + UUID.randomUUID();
    static final String BUCKET = "dbm-del";

    static Path tmp;
    static S3TestServer s3;

    @LocalServerPort
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();
    KafkaProducer<String, byte[]> producer;
    KafkaConsumer<String, byte[]> reports;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        tmp = Files.createTempDirectory("dbm-deletion-it");
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
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        registry.add("spring.datasource.url", () -> PG + DATABASE);
        registry.add("dbm.storage.seal-key", () -> Base64.getEncoder().encodeToString(key));
        registry.add("dbm.storage.service-token", () -> TOKEN);
        registry.add("dbm.storage.spool-dir", () -> tmp.resolve("spool").toString());
    }

    @BeforeEach
    void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer());
        reports = consumer(Topics.STORAGE_REPORTS);
    }

    @AfterEach
    void closeClients() {
        producer.close();
        reports.close();
    }

    @Test
    void deletingALocalObjectRemovesItAndReportsThatItExistedThenARepeatFindsNothing() throws Exception {
        Path folder = tmp.resolve("local-" + UUID.randomUUID());
        String volumeId = createVolume("""
                {"name": "local-del-%s", "type": "local", "path": "%s"}""".formatted(UUID.randomUUID(), folder));
        String key = "srv/db/srv-db-2026-11-25-120000-aaaa1111.sql.zst";
        upload(volumeId, key, "local bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(folder.resolve(key)).exists();
        UUID requestId = UUID.randomUUID();

        sendDelete(requestId, volumeId, key);
        JsonNode deleted = awaitReport(requestId, MessageTypes.STORAGE_OBJECT_DELETED.ceType());

        assertThat(deleted.get("existed").asBoolean()).isTrue();
        assertThat(deleted.get("objectKey").asString()).isEqualTo(key);
        assertThat(folder.resolve(key)).doesNotExist();
        assertThat(folder.resolve(".meta/" + key + ".sha256")).doesNotExist();

        sendDelete(requestId, volumeId, key);
        assertThat(awaitReport(requestId, MessageTypes.STORAGE_OBJECT_DELETED.ceType()).get("existed").asBoolean()).isFalse();
    }

    @Test
    void deletingAnS3ObjectRemovesItFromTheBucket() throws Exception {
        String volumeId = createS3Volume(s3.endpoint(), "s3-del-" + UUID.randomUUID(), "team");
        String key = "srv/db/srv-db-2026-11-25-120000-bbbb2222.sql.gz";
        upload(volumeId, key, "s3 bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(s3.file(BUCKET, "team/" + key)).exists();
        UUID requestId = UUID.randomUUID();

        sendDelete(requestId, volumeId, key);

        ConsumerRecord<String, byte[]> report = awaitRecord(requestId, MessageTypes.STORAGE_OBJECT_DELETED.ceType());
        assertThat(header(report, CloudEvents.SOURCE)).isEqualTo("/storage-service");
        assertThat(header(report, CloudEvents.SUBJECT)).isEqualTo(requestId.toString());
        assertThat(json.readTree(report.value()).get("existed").asBoolean()).isTrue();
        assertThat(s3.file(BUCKET, "team/" + key)).doesNotExist();
    }

    @Test
    void whileS3IsDownTheCommandWaitsAndTheObjectIsDeletedOnceS3IsBack() throws Exception {
        int s3Port = freePort();
        Path dir = Files.createDirectories(tmp.resolve("s3-outage"));
        S3TestServer flaky = new S3TestServer(dir, s3Port);
        flaky.createBucket(BUCKET);
        String volumeId = createS3Volume(flaky.endpoint(), "s3-outage", "");
        String key = "srv/db/srv-db-2026-11-25-120000-cccc3333.sql.zst";
        putDirect(flaky.endpoint(), key, "kept while S3 is down".getBytes(StandardCharsets.UTF_8));
        flaky.close();
        UUID requestId = UUID.randomUUID();

        sendDelete(requestId, volumeId, key);

        // several retries (200 ms doubling to 1 s) pass without any report and without losing the command
        assertThat(findRecord(requestId, r -> true, Duration.ofSeconds(5))).isEmpty();
        assertThat(dir.resolve(BUCKET).resolve(key)).exists();

        S3TestServer back = new S3TestServer(dir, s3Port);
        try {
            JsonNode deleted = awaitReport(requestId, MessageTypes.STORAGE_OBJECT_DELETED.ceType());
            assertThat(deleted.get("existed").asBoolean()).isTrue();
            assertThat(dir.resolve(BUCKET).resolve(key)).doesNotExist();
        } finally {
            back.close();
        }
    }

    @Test
    void anUnknownVolumeIsReportedAsAFailureNoRetryCanFix() throws Exception {
        UUID requestId = UUID.randomUUID();
        String volumeId = UUID.randomUUID().toString();

        sendDelete(requestId, volumeId, "srv/db/gone.sql.zst");

        JsonNode failed = awaitReport(requestId, MessageTypes.STORAGE_DELETE_FAILED.ceType());
        assertThat(failed.get("retryable").asBoolean()).isFalse();
        assertThat(failed.get("reason").asString()).contains(volumeId);
    }

    @Test
    void anUnparseableCommandIsDeadLetteredWithItsReason() throws Exception {
        String key = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topics.STORAGE_COMMANDS, key,
                "{not json".getBytes(StandardCharsets.UTF_8));
        CloudEvents.headers(MessageTypes.STORAGE_DELETE_REQUESTED, "/test", key, null)
                .forEach((n, v) -> poison.headers().add(n, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(poison).get();

        try (KafkaConsumer<String, byte[]> dlt = consumer(Topics.deadLetter(Topics.STORAGE_COMMANDS, "storage-service"))) {
            ConsumerRecord<String, byte[]> dead = poll(dlt, r -> key.equals(r.key()), Duration.ofSeconds(30))
                    .orElseThrow(() -> new AssertionError("no dead letter for " + key));
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(header(dead, "dbm_error_reason")).contains("not a valid StorageDeleteRequested");
        }
    }

    @Test
    void aPresignedUrlServesTheS3ObjectToAPlainClientUnderItsFileNameUntilItExpires() throws Exception {
        String volumeId = createS3Volume(s3.endpoint(), "s3-presign-" + UUID.randomUUID(), "p");
        String key = "srv/db/srv-db-2026-11-25-120000-dddd4444.sql.zst";
        byte[] bytes = "presigned download".getBytes(StandardCharsets.UTF_8);
        upload(volumeId, key, bytes);

        JsonNode presigned = presign(volumeId, key, 2, 200);
        Instant expiresAt = Instant.parse(presigned.get("expiresAt").asString());
        assertThat(expiresAt).isBetween(Instant.now().minusSeconds(1), Instant.now().plusSeconds(3));
        URI url = URI.create(presigned.get("url").asString());
        assertThat(url.getQuery()).contains("X-Amz-Expires=2");

        HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);
        assertThat(fetched.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"srv-db-2026-11-25-120000-dddd4444.sql.zst\"");

        Thread.sleep(3500);
        HttpResponse<String> expired = http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).as(expired.body()).isEqualTo(403);
    }

    @Test
    void aVolumeWithAPublicEndpointGetsUrlsSignedForThatAddress() throws Exception {
        String volumeId = createVolume("""
                {"name": "s3-public-%s", "type": "s3", "endpoint": "%s", "bucket": "%s", "region": "us-east-1",
                 "accessKey": "%s", "secretKey": "%s", "publicEndpoint": "https://downloads.example.test:9443"}"""
                .formatted(UUID.randomUUID(), s3.endpoint(), BUCKET, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));
        upload(volumeId, "pub/x.sql.gz", "public".getBytes(StandardCharsets.UTF_8));

        URI url = URI.create(presign(volumeId, "pub/x.sql.gz", 60, 200).get("url").asString());

        assertThat(url.getScheme() + "://" + url.getAuthority()).isEqualTo("https://downloads.example.test:9443");
        assertThat(url.getPath()).isEqualTo("/" + BUCKET + "/pub/x.sql.gz");
        assertThat(url.getQuery()).contains("X-Amz-Signature=").contains("response-content-disposition=attachment; filename=\"x.sql.gz\"");
    }

    @Test
    void aLocalVolumeHasNoPresignedUrlAndAMissingObjectIsNotFound() throws Exception {
        String local = createVolume("""
                {"name": "local-presign-%s", "type": "local", "path": "%s"}"""
                .formatted(UUID.randomUUID(), tmp.resolve("local-presign-" + UUID.randomUUID())));
        upload(local, "a/b.sql", "x".getBytes(StandardCharsets.UTF_8));
        JsonNode refused = presign(local, "a/b.sql", 60, 422);
        assertThat(refused.get("type").asString()).endsWith("/presign-not-supported");

        String s3Volume = createS3Volume(s3.endpoint(), "s3-presign-missing-" + UUID.randomUUID(), "");
        assertThat(presign(s3Volume, "no/such.sql.zst", 60, 404).get("type").asString()).endsWith("/object-not-found");
    }

    JsonNode presign(String volumeId, String key, int ttl, int expectedStatus) throws Exception {
        String fileName = key.substring(key.lastIndexOf('/') + 1);
        HttpResponse<String> response = http.send(internal("/internal/objects/presign")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"volumeId": "%s", "key": "%s", "ttlSeconds": %d, "fileName": "%s"}"""
                        .formatted(volumeId, key, ttl, fileName))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return json.readTree(response.body());
    }

    void sendDelete(UUID requestId, String volumeId, String key) throws Exception {
        StorageDeleteRequested command = new StorageDeleteRequested(requestId, UUID.fromString(volumeId), key, "test",
                Instant.now());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.STORAGE_COMMANDS, requestId.toString(),
                json.writeValueAsBytes(command));
        CloudEvents.headers(MessageTypes.STORAGE_DELETE_REQUESTED, "/catalog-service", requestId.toString(), null)
                .forEach((n, v) -> record.headers().add(n, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(record).get();
    }

    JsonNode awaitReport(UUID requestId, String ceType) {
        return json.readTree(awaitRecord(requestId, ceType).value());
    }

    ConsumerRecord<String, byte[]> awaitRecord(UUID requestId, String ceType) {
        return findRecord(requestId, r -> ceType.equals(header(r, CloudEvents.TYPE)), Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no " + ceType + " for " + requestId));
    }

    Optional<ConsumerRecord<String, byte[]>> findRecord(UUID requestId, Predicate<ConsumerRecord<String, byte[]>> match,
                                                         Duration wait) {
        return poll(reports, r -> requestId.toString().equals(r.key()) && match.test(r), wait);
    }

    static Optional<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer,
                                                         Predicate<ConsumerRecord<String, byte[]>> match, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (match.test(record)) {
                    return Optional.of(record);
                }
            }
        }
        return Optional.empty();
    }

    KafkaConsumer<String, byte[]> consumer(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    String createS3Volume(String endpoint, String name, String prefix) throws Exception {
        return createVolume("""
                {"name": "%s", "type": "s3", "endpoint": "%s", "bucket": "%s", "region": "us-east-1",
                 "accessKey": "%s", "secretKey": "%s", "prefix": "%s"}"""
                .formatted(name, endpoint, BUCKET, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, prefix));
    }

    String createVolume(String body) throws Exception {
        HttpResponse<String> response = http.send(request("/api/v1/volumes").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asString();
    }

    /** One small part: the last (here only) part may be below 5 MiB. */
    void upload(String volumeId, String key, byte[] bytes) throws Exception {
        HttpResponse<String> started = http.send(internal("/internal/uploads").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"volumeId\": \"" + volumeId + "\", \"key\": \"" + key + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String uploadId = json.readTree(started.body()).get("uploadId").asString();
        HttpResponse<String> part = http.send(internal("/internal/uploads/" + uploadId + "/parts/1")
                .header("Content-Type", "application/octet-stream").header("X-Content-SHA256", sha256(bytes))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(part.statusCode()).as(part.body()).isEqualTo(200);
        HttpResponse<String> done = http.send(internal("/internal/uploads/" + uploadId + "/complete")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"parts\": [{\"partNumber\": 1}], \"sha256\": \"" + sha256(bytes) + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    }

    static void putDirect(String endpoint, String key, byte[] bytes) throws Exception {
        try (MinioClient client = MinioClient.builder().endpoint(endpoint)
                .credentials(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY).build()) {
            client.putObject(PutObjectArgs.builder().bucket(BUCKET).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
