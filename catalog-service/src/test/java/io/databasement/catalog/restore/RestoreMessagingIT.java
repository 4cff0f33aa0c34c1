package io.databasement.catalog.restore;

import static io.databasement.catalog.restore.RestoreFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.TestDatabase;
import io.databasement.catalog.messaging.DeadLetters;
import io.databasement.catalog.volume.Volume;
import io.databasement.catalog.volume.VolumeRepository;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreAccepted;
import io.databasement.contracts.RestoreCompleted;
import io.databasement.contracts.RestoreFailed;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobRequested;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.RestoreRejected;
import io.databasement.contracts.RestoreRequest;
import io.databasement.contracts.RestoreStarted;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Restores over a real Kafka broker (embedded KRaft), the real catalog PostgreSQL, and the machine's real
 * PostgreSQL as the target: commands on the wire, worker reports from a plain {@code KafkaProducer} (byte[]
 * headers), public events with the correlation id, admission across restores and backups, and public requests.
 */
@SpringBootTest(properties = {
        "dbm.seal-key=" + CatalogTestSupport.SEAL_KEY,
        "dbm.service-token=" + CatalogTestSupport.TOKEN,
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.kafka=WARN",
        "logging.level.state.change.logger=WARN",
})
@EmbeddedKafka
@AutoConfigureMockMvc
// close the context while the embedded broker still runs (see CatalogMessagingIT)
@DirtiesContext
class RestoreMessagingIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    /** How long "nothing was sent" is watched for. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Autowired
    MockMvc mvc;
    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    VolumeRepository volumes;
    @Autowired
    SecretSealer sealer;
    @Autowired
    EmbeddedKafkaBroker broker;

    static KafkaProducer<byte[], byte[]> producer;
    RestoreFixtures fx;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    @BeforeAll
    static void noProducerYet() {
        producer = null;
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    @BeforeEach
    void fixtures() {
        fx = new RestoreFixtures(mvc, jdbc, json);
    }

    // ---------------------------------------------------------------- REST → command and public events

    @Test
    void anAcceptedRestoreReachesWorkersAsACommandWithCloudEventsHeadersAndGoesPublicWithTheCorrelationId() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");
        UUID id = restore(snapshot, server, target, "ticket-" + UUID.randomUUID());
        String correlation = restoreField(id, "correlationId");

        ConsumerRecord<byte[], byte[]> record = records(Topics.RESTORE_COMMANDS, id.toString(), 1).get(0);
        Map<String, String> headers = new java.util.HashMap<>(headers(record));
        // the trace context stored with the restore when it was asked for (none where the request ran outside a trace)
        String traceparent = headers.remove("traceparent");
        assertThat(traceparent).isEqualTo(jdbc.sql("select trace_parent from restores where id = ?").param(id)
                .query(String.class).optional().orElse(null));
        assertThat(headers).isEqualTo(CloudEvents.headers(MessageTypes.RESTORE_JOB_REQUESTED.ceType(), headers.get(CloudEvents.ID),
                "/catalog-service", id.toString(), correlation, Instant.parse(headers.get(CloudEvents.TIME))));
        RestoreJobRequested command = json.readValue(record.value(), RestoreJobRequested.class);
        assertThat(command.jobId()).isEqualTo(id);
        assertThat(command.snapshotId()).isEqualTo(snapshot);
        assertThat(command.objectKey()).isEqualTo("srv/shop/srv-shop-x.sql.zst");
        assertThat(command.sha256()).isEqualTo("cd".repeat(32));
        assertThat(command.sizeBytes()).isEqualTo(1234);
        assertThat(command.compression()).isEqualTo("zstd");
        assertThat(command.sourceDatabaseType()).isEqualTo("postgresql");
        assertThat(command.sourceDatabaseVersion()).isEqualTo("15.20");
        assertThat(command.sourceDatabase()).isEqualTo("shop");
        assertThat(command.volumeId()).isNotNull();
        assertThat(command.targetServerId()).isEqualTo(server);
        assertThat(command.targetDatabase()).isEqualTo(target);
        assertThat(command.mode()).isEqualTo("OTHER_DATABASE");
        assertThat(command.targetExists()).isFalse();
        assertThat(command.target().engine()).isEqualTo("postgresql");
        assertThat(command.target().port()).isEqualTo(5432);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain("pg-secret-pw");
        assertThat(sealer.unseal(command.target().sealedPassword())).isEqualTo("pg-secret-pw");

        ConsumerRecord<byte[], byte[]> accepted = records(Topics.RESTORE_EVENTS, id.toString(), 1).get(0);
        assertThat(header(accepted, CloudEvents.TYPE)).isEqualTo(MessageTypes.RESTORE_ACCEPTED.ceType());
        assertThat(header(accepted, CloudEvents.CORRELATION_ID)).isEqualTo(correlation).startsWith("ticket-");
        RestoreAccepted event = json.readValue(accepted.value(), RestoreAccepted.class);
        assertThat(event.restoreId()).isEqualTo(id);
        assertThat(event.mode()).isEqualTo("OTHER_DATABASE");
        assertThat(event.requestedBy()).isEqualTo("it-suite");
        assertThat(event.channel()).isEqualTo("rest");
    }

    @Test
    void workerReportsMoveARestoreThroughInProgressToCompletedAndThePublicHearsEachStep() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        UUID id = restore(snapshot, server, unique("restored"), null);
        records(Topics.RESTORE_COMMANDS, id.toString(), 1);
        UUID attempt = UUID.randomUUID();
        claim(id, attempt, 200);

        Instant started = Instant.parse("2026-11-25T17:00:00Z");
        send(MessageTypes.RESTORE_JOB_STARTED, id, UUID.randomUUID().toString(),
                new RestoreJobStarted(id, attempt, "dbm_stage_x", "15.20", "psql (PostgreSQL) 15.20", started));
        awaitField(id, "startedAt", "2026-11-25T17:00:00Z");
        assertThat(restoreField(id, "status")).isEqualTo("IN_PROGRESS");

        String progress = UUID.randomUUID().toString();
        send(MessageTypes.RESTORE_JOB_PROGRESS, id, progress, new RestoreJobProgress(id, attempt, 600, 1234, 2000, "loading", started.plusSeconds(2)));
        awaitField(id, "bytesSoFar", "600");
        assertThat(restoreField(id, "totalBytes")).isEqualTo("1234");
        // a stale attempt's completion is ignored
        send(MessageTypes.RESTORE_JOB_COMPLETED, id, UUID.randomUUID().toString(),
                new RestoreJobCompleted(id, UUID.randomUUID(), 1, 1, started, started.plusSeconds(1)));
        send(MessageTypes.RESTORE_JOB_COMPLETED, id, UUID.randomUUID().toString(),
                new RestoreJobCompleted(id, attempt, 1234, 5678, started, started.plusMillis(4500)));

        JsonNode done = awaitField(id, "status", "COMPLETED");
        assertThat(done.get("bytesRestored").asLong()).isEqualTo(1234);
        assertThat(done.get("durationMs").asLong()).isEqualTo(4500);
        assertThat(done.get("completedAt").asString()).isEqualTo("2026-11-25T17:00:04.500Z");
        assertThat(done.get("error").isNull()).isTrue();

        List<ConsumerRecord<byte[], byte[]>> published = records(Topics.RESTORE_EVENTS, id.toString(), 3);
        assertThat(published).extracting(r -> header(r, CloudEvents.TYPE)).containsExactly(
                MessageTypes.RESTORE_ACCEPTED.ceType(), MessageTypes.RESTORE_STARTED.ceType(), MessageTypes.RESTORE_COMPLETED.ceType());
        assertThat(published).extracting(r -> header(r, CloudEvents.CORRELATION_ID)).containsOnly(id.toString());
        assertThat(json.readValue(published.get(1).value(), RestoreStarted.class).startedAt()).isEqualTo(started);
        RestoreCompleted completed = json.readValue(published.get(2).value(), RestoreCompleted.class);
        assertThat(completed.bytesRestored()).isEqualTo(1234);
        assertThat(completed.completedAt()).isEqualTo(started.plusMillis(4500));
    }

    // ---------------------------------------------------------------- admission

    @Test
    void aSecondRestoreIntoOneTargetIsDispatchedOnlyAfterTheFirstEnds() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");
        UUID first = restore(snapshot, server, target, null);
        UUID second = restore(snapshot, server, target, null);
        records(Topics.RESTORE_COMMANDS, first.toString(), 1);
        assertThat(restoreField(second, "queuedBehind")).contains(first.toString());
        assertThat(recordsFor(Topics.RESTORE_COMMANDS, second.toString(), QUIET)).as("queued: no command yet").isEmpty();

        UUID attempt = UUID.randomUUID();
        claim(first, attempt, 200);
        send(MessageTypes.RESTORE_JOB_FAILED, first, UUID.randomUUID().toString(),
                new RestoreJobFailed(first, attempt, "psql: ERROR: relation exists", false, Instant.now()));

        awaitField(first, "status", "FAILED");
        assertThat(restoreField(first, "error")).isEqualTo("psql: ERROR: relation exists");
        assertThat(records(Topics.RESTORE_COMMANDS, second.toString(), 1)).hasSize(1);
        assertThat(restoreField(second, "queuedBehind")).isNull();
        List<ConsumerRecord<byte[], byte[]>> events = records(Topics.RESTORE_EVENTS, first.toString(), 2);
        RestoreFailed failed = json.readValue(events.get(1).value(), RestoreFailed.class);
        assertThat(failed.reason()).isEqualTo("psql: ERROR: relation exists");
        claim(second, UUID.randomUUID(), 200);
    }

    @Test
    void aBackupOfADatabaseBeingRestoredWaitsForTheRestore() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");
        UUID restore = restore(snapshot, server, target, null);
        records(Topics.RESTORE_COMMANDS, restore.toString(), 1);

        UUID backup = requestSnapshot(server, target);
        JsonNode queued = json.readTree(mvc.perform(get("/api/v1/snapshots/{id}", backup)).andReturn().getResponse().getContentAsString());
        assertThat(queued.get("queuedBehind").asString()).contains("restore " + restore);
        assertThat(recordsFor(Topics.BACKUP_COMMANDS, backup.toString(), QUIET)).isEmpty();

        UUID attempt = UUID.randomUUID();
        claim(restore, attempt, 200);
        send(MessageTypes.RESTORE_JOB_COMPLETED, restore, UUID.randomUUID().toString(),
                new RestoreJobCompleted(restore, attempt, 1234, 5678, Instant.now().minusSeconds(1), Instant.now()));

        BackupRequested command = json.readValue(records(Topics.BACKUP_COMMANDS, backup.toString(), 1).get(0).value(), BackupRequested.class);
        assertThat(command.database()).isEqualTo(target);
    }

    // ---------------------------------------------------------------- dbm.restore.requests

    @Test
    void aRequestFromAnotherServiceIsAcceptedOnceUnderItsCloudEventsId() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");
        String ceId = UUID.randomUUID().toString();
        String key = "caller-" + UUID.randomUUID();
        byte[] request = json.writeValueAsBytes(new RestoreRequest(snapshot.toString(), server.toString(), target, null, "billing-service"));

        sendRaw(Topics.RESTORE_REQUESTS, key, request, requestHeaders(ceId, MessageTypes.RESTORE_REQUESTED.ceType(), null));
        // the same request again (a producer retry): not a second restore
        sendRaw(Topics.RESTORE_REQUESTS, key, request, requestHeaders(ceId, MessageTypes.RESTORE_REQUESTED.ceType(), null));
        // a barrier on the same key (so the same partition, after both): once it is answered, both were seen
        String barrier = UUID.randomUUID().toString();
        sendRaw(Topics.RESTORE_REQUESTS, key, json.writeValueAsBytes(new RestoreRequest(UUID.randomUUID().toString(),
                server.toString(), target, null, "billing-service")), requestHeaders(barrier, MessageTypes.RESTORE_REQUESTED.ceType(), null));
        records(Topics.RESTORE_EVENTS, barrier, 1);

        JsonNode page = json.readTree(mvc.perform(get("/api/v1/restores").param("targetDatabase", target))
                .andReturn().getResponse().getContentAsString());
        assertThat(page.get("totalItems").asInt()).isEqualTo(1);
        JsonNode restore = page.get("items").get(0);
        UUID id = UUID.fromString(restore.get("id").asString());
        assertThat(restore.get("correlationId").asString()).isEqualTo(ceId);
        assertThat(restore.get("requestedBy").asString()).isEqualTo("billing-service");

        ConsumerRecord<byte[], byte[]> accepted = records(Topics.RESTORE_EVENTS, id.toString(), 1).get(0);
        assertThat(header(accepted, CloudEvents.TYPE)).isEqualTo(MessageTypes.RESTORE_ACCEPTED.ceType());
        assertThat(header(accepted, CloudEvents.CORRELATION_ID)).isEqualTo(ceId);
        assertThat(json.readValue(accepted.value(), RestoreAccepted.class).channel()).isEqualTo("kafka");
        assertThat(recordsFor(Topics.RESTORE_EVENTS, ceId, Duration.ofMillis(500))).as("no rejection").isEmpty();

        UUID attempt = UUID.randomUUID();
        records(Topics.RESTORE_COMMANDS, id.toString(), 1);
        claim(id, attempt, 200);
        send(MessageTypes.RESTORE_JOB_STARTED, id, UUID.randomUUID().toString(),
                new RestoreJobStarted(id, attempt, "dbm_stage_y", "15.20", "psql 15.20", Instant.now()));
        ConsumerRecord<byte[], byte[]> started = records(Topics.RESTORE_EVENTS, id.toString(), 2).get(1);
        assertThat(header(started, CloudEvents.TYPE)).isEqualTo(MessageTypes.RESTORE_STARTED.ceType());
        assertThat(header(started, CloudEvents.CORRELATION_ID)).isEqualTo(ceId);
    }

    @Test
    void anInvalidRequestIsRejectedWithTheStatusRestWouldGiveAndTheReason() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String ceId = UUID.randomUUID().toString();
        String correlation = "order-" + UUID.randomUUID();
        // a rollback without confirmation: the REST call would get 409 with the product page's warning
        sendRaw(Topics.RESTORE_REQUESTS, "k", json.writeValueAsBytes(new RestoreRequest(snapshot.toString(), server.toString(),
                "shop", null, "billing-service")), requestHeaders(ceId, MessageTypes.RESTORE_REQUESTED.ceType(), correlation));

        ConsumerRecord<byte[], byte[]> answer = records(Topics.RESTORE_EVENTS, correlation, 1).get(0);
        assertThat(header(answer, CloudEvents.TYPE)).isEqualTo(MessageTypes.RESTORE_REJECTED.ceType());
        assertThat(header(answer, CloudEvents.CORRELATION_ID)).isEqualTo(correlation);
        RestoreRejected rejected = json.readValue(answer.value(), RestoreRejected.class);
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.reason()).contains("This will overwrite all current data in the target database!");
        assertThat(rejected.snapshotId()).isEqualTo(snapshot.toString());
        assertThat(rejected.requestedBy()).isEqualTo("billing-service");
        assertThat(rejected.channel()).isEqualTo("kafka");

        String malformed = UUID.randomUUID().toString();
        sendRaw(Topics.RESTORE_REQUESTS, "k", json.writeValueAsBytes(new RestoreRequest("not-an-id", server.toString(), "x", null, null)),
                requestHeaders(malformed, MessageTypes.RESTORE_REQUESTED.ceType(), null));
        RestoreRejected bad = json.readValue(records(Topics.RESTORE_EVENTS, malformed, 1).get(0).value(), RestoreRejected.class);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.reason()).contains("snapshotId");
    }

    @Test
    void garbageOnTheRequestTopicIsDeadLetteredAndTheConsumerKeepsGoing() throws Exception {
        String dlt = Topics.deadLetter(Topics.RESTORE_REQUESTS, "catalog-service");
        String key = "garbage-" + UUID.randomUUID();
        sendRaw(Topics.RESTORE_REQUESTS, key, "{not json".getBytes(StandardCharsets.UTF_8),
                requestHeaders(UUID.randomUUID().toString(), MessageTypes.RESTORE_REQUESTED.ceType(), null));
        sendRaw(Topics.RESTORE_REQUESTS, key + "-type", "{}".getBytes(StandardCharsets.UTF_8),
                requestHeaders(UUID.randomUUID().toString(), "io.databasement.restore.accepted.v1", null));
        Map<String, String> noId = requestHeaders("x", MessageTypes.RESTORE_REQUESTED.ceType(), null);
        noId.remove(CloudEvents.ID);
        sendRaw(Topics.RESTORE_REQUESTS, key + "-id", "{}".getBytes(StandardCharsets.UTF_8), noId);

        assertThat(header(records(dlt, key, 1).get(0), DeadLetters.REASON)).contains("not a valid RestoreRequest");
        assertThat(header(records(dlt, key + "-type", 1).get(0), DeadLetters.REASON)).contains("ce_type must be");
        assertThat(header(records(dlt, key + "-id", 1).get(0), DeadLetters.REASON)).contains("no ce_id");

        // and the next request on the same partition is still answered
        String next = UUID.randomUUID().toString();
        sendRaw(Topics.RESTORE_REQUESTS, key, json.writeValueAsBytes(new RestoreRequest(UUID.randomUUID().toString(),
                UUID.randomUUID().toString(), "x", null, null)), requestHeaders(next, MessageTypes.RESTORE_REQUESTED.ceType(), null));
        RestoreRejected rejected = json.readValue(records(Topics.RESTORE_EVENTS, next, 1).get(0).value(), RestoreRejected.class);
        assertThat(rejected.status()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- helpers

    UUID restore(UUID snapshot, UUID server, String database, String correlationId) throws Exception {
        var request = post("/api/v1/restores").contentType(MediaType.APPLICATION_JSON).header("X-Requested-By", "it-suite")
                .content(RestoreFixtures.body(snapshot, server, database, null));
        if (correlationId != null) {
            request.header("X-Correlation-Id", correlationId);
        }
        String response = mvc.perform(request).andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    UUID requestSnapshot(UUID server, String database) throws Exception {
        UUID volume = UUID.randomUUID();
        volumes.upsert(new Volume(volume, "vol-" + volume.toString().substring(0, 8), "s3", "s3://backups/team", Instant.now()));
        String response = mvc.perform(post("/api/v1/snapshots").contentType(MediaType.APPLICATION_JSON).content("""
                        {"serverId": "%s", "database": "%s", "volumeId": "%s"}""".formatted(server, database, volume)))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    String restoreField(UUID id, String field) throws Exception {
        JsonNode node = json.readTree(mvc.perform(get("/api/v1/restores/{id}", id)).andReturn().getResponse().getContentAsString());
        return node.get(field) == null || node.get(field).isNull() ? null : node.get(field).asString();
    }

    JsonNode awaitField(UUID id, String field, String value) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = json.readTree(mvc.perform(get("/api/v1/restores/{id}", id)).andReturn().getResponse().getContentAsString());
            return last[0].get(field) != null && value.equals(last[0].get(field).asString());
        });
        return last[0];
    }

    void claim(UUID job, UUID attempt, int expectedStatus) throws Exception {
        mvc.perform(post("/internal/jobs/{job}/attempts/{attempt}", job, attempt)
                        .header("Authorization", "Bearer " + CatalogTestSupport.TOKEN))
                .andExpect(status().is(expectedStatus));
    }

    static Map<String, String> requestHeaders(String ceId, String ceType, String correlationId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEvents.SPEC_VERSION, "1.0");
        headers.put(CloudEvents.ID, ceId);
        headers.put(CloudEvents.TYPE, ceType);
        headers.put(CloudEvents.SOURCE, "/billing-service");
        headers.put(CloudEvents.TIME, Instant.now().toString());
        if (correlationId != null) {
            headers.put(CloudEvents.CORRELATION_ID, correlationId);
        }
        return headers;
    }

    <T> void send(MessageType<T> type, UUID jobId, String ceId, T report) throws Exception {
        sendRaw(type.topic(), jobId.toString(), json.writeValueAsBytes(report),
                CloudEvents.headers(type.ceType(), ceId, "/restore-worker", jobId.toString(), null, Instant.now()));
    }

    void sendRaw(String topic, String key, byte[] value, Map<String, String> headers) throws Exception {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer().send(record).get(30, TimeUnit.SECONDS);
    }

    KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                    new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** The records keyed {@code key}: waits for {@code expected}, then a little longer for any extra. */
    List<ConsumerRecord<byte[], byte[]>> records(String topic, String key, int expected) {
        List<ConsumerRecord<byte[], byte[]>> found = poll(topic, key, expected, WAIT);
        assertThat(found).as("records keyed " + key + " on " + topic).hasSizeGreaterThanOrEqualTo(expected);
        return found;
    }

    /** Everything keyed {@code key} that arrives within {@code window}. */
    List<ConsumerRecord<byte[], byte[]>> recordsFor(String topic, String key, Duration window) {
        return poll(topic, key, Integer.MAX_VALUE, window);
    }

    private List<ConsumerRecord<byte[], byte[]>> poll(String topic, String key, int expected, Duration max) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(WAIT).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + max.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        found.add(r);
                    }
                }
                if (found.size() >= expected && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + Duration.ofMillis(500).toNanos();
                }
            }
        }
        return found;
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            assertThat(headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8))).as("duplicate " + h.key()).isNull();
        }
        return headers;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name)).map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
