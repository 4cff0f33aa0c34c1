package io.databasement.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.TestDatabase;
import io.databasement.catalog.volume.Volume;
import io.databasement.catalog.volume.VolumeRepository;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.SnapshotCompleted;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.Topics;
import io.databasement.contracts.VolumeState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The catalog against a real Kafka broker (embedded KRaft) and a real PostgreSQL: the outbox puts
 * commands on the wire, plain Kafka producers (byte[] headers, like a worker) move snapshots along.
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
// close the context (its consumers and producers) while the embedded broker still runs: left to the JVM's
// shutdown hooks, they outlive the broker and hold the fork's exit for 30 s
@DirtiesContext
class CatalogMessagingIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

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
    @Autowired
    Housekeeping housekeeping;

    static KafkaProducer<byte[], byte[]> producer;

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

    // ---------------------------------------------------------------- the outbox

    @Test
    void requestedSnapshotReachesKafkaAsABackupCommandWithCloudEventsHeaders() throws Exception {
        Volume volume = knownVolume();
        UUID serverId = server("pw-on-the-wire");
        UUID id = requestSnapshot(serverId, "shop", volume.id());

        ConsumerRecord<byte[], byte[]> record = consumeOne(Topics.BACKUP_COMMANDS, id.toString());

        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(id.toString());
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            assertThat(headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8))).as("duplicate " + h.key()).isNull();
        }
        String ceId = headers.get(CloudEvents.ID);
        Instant ceTime = Instant.parse(headers.get(CloudEvents.TIME));
        // the trace context stored with the snapshot when it was asked for (none where the request ran outside a trace)
        String traceparent = headers.remove("traceparent");
        assertThat(traceparent).isEqualTo(jdbc.sql("select trace_parent from snapshots where id = ?").param(id)
                .query(String.class).optional().orElse(null));
        // besides, exactly what CloudEvents.headers(...) gives, as plain strings: nothing added by a framework
        assertThat(headers).isEqualTo(CloudEvents.headers(MessageTypes.BACKUP_REQUESTED.ceType(), ceId,
                "/catalog-service", id.toString(), null, ceTime));
        assertThat(UUID.fromString(ceId)).isNotNull();

        BackupRequested command = json.readValue(record.value(), BackupRequested.class);
        JsonNode raw = json.readTree(record.value());
        assertThat(raw.get("requestedAt").isString()).as("timestamps are ISO-8601 strings").isTrue();
        assertThat(command.jobId()).isEqualTo(id);
        assertThat(command.serverId()).isEqualTo(serverId);
        assertThat(command.serverName()).startsWith("srv-");
        assertThat(command.database()).isEqualTo("shop");
        assertThat(command.volumeId()).isEqualTo(volume.id());
        assertThat(command.compression()).isEqualTo("zstd");
        assertThat(command.compressionLevel()).isEqualTo(3);
        assertThat(command.connection().engine()).isEqualTo("postgresql");
        assertThat(command.connection().host()).isEqualTo("127.0.0.1");
        assertThat(command.connection().port()).isEqualTo(5432);
        assertThat(command.connection().username()).isEqualTo("postgres");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain("pw-on-the-wire");
        assertThat(sealer.unseal(command.connection().sealedPassword())).isEqualTo("pw-on-the-wire");

        // the outbox entry is marked done once the broker acknowledged it, and it holds the ce_id it was sent
        // with, which is what a republish after a crash would send again
        await().atMost(WAIT).until(() -> jdbc.sql(
                        "select count(*) from event_publication where completion_date is not null and event_type like '%BackupRequestedEvent' and serialized_event like ?")
                .param("%" + id + "%").query(Long.class).single() == 1);
        String stored = jdbc.sql("select serialized_event from event_publication where event_type like '%BackupRequestedEvent' and serialized_event like ?")
                .param("%" + id + "%").query(String.class).single();
        assertThat(json.readTree(stored).get("ceId").asString()).isEqualTo(ceId);
    }

    @Test
    void aCommandTheRelayCouldNotSendIsSentAgainWithItsOriginalCloudEventsId() throws Exception {
        // a completed publication tells us how the registry names the Kafka relay
        UUID first = requestSnapshot(server("pw"), "shop", knownVolume().id());
        consumeOne(Topics.BACKUP_COMMANDS, first.toString());
        await().atMost(WAIT).until(() -> jdbc.sql("select count(*) from event_publication where completion_date is not null "
                + "and event_type like '%BackupRequestedEvent' and serialized_event like ?").param("%" + first + "%").query(Long.class).single() == 1);
        String listener = jdbc.sql("select listener_id from event_publication where event_type like '%BackupRequestedEvent' and serialized_event like ?")
                .param("%" + first + "%").query(String.class).single();
        String stored = jdbc.sql("select serialized_event from event_publication where event_type like '%BackupRequestedEvent' and serialized_event like ?")
                .param("%" + first + "%").query(String.class).single();
        String eventType = jdbc.sql("select event_type from event_publication where event_type like '%BackupRequestedEvent' and serialized_event like ?")
                .param("%" + first + "%").query(String.class).single();

        // the same kind of entry, for another job, left unsent two minutes ago (as if Kafka had been down)
        UUID lost = UUID.randomUUID();
        String lostCeId = UUID.randomUUID().toString();
        JsonNode original = json.readTree(stored);
        String orphan = stored.replace(first.toString(), lost.toString()).replace(original.get("ceId").asString(), lostCeId);
        jdbc.sql("insert into event_publication (id, listener_id, event_type, serialized_event, publication_date, status, "
                        + "completion_attempts) values (?, ?, ?, ?, now() - interval '2 minutes', 'FAILED', 1)")
                .params(UUID.randomUUID(), listener, eventType, orphan).update();

        housekeeping.resendOutbox();

        ConsumerRecord<byte[], byte[]> resent = consumeOne(Topics.BACKUP_COMMANDS, lost.toString());
        assertThat(header(resent, CloudEvents.ID)).isEqualTo(lostCeId);
        assertThat(json.readValue(resent.value(), BackupRequested.class).jobId()).isEqualTo(lost);
    }

    // ---------------------------------------------------------------- the projection

    @Test
    void workerReportsMoveTheSnapshotToCompletedWithEveryDetail() throws Exception {
        Volume volume = knownVolume();
        UUID id = requestSnapshot(server("pw"), "shop", volume.id());
        UUID attempt = UUID.randomUUID();
        claim(id, attempt, 200);

        Instant started = Instant.parse("2026-11-25T16:00:00Z");
        String key = "srv/shop/srv-shop-2026-11-25-160000-" + attempt.toString().substring(0, 8) + ".sql.zst";
        send(MessageTypes.BACKUP_STARTED, id, UUID.randomUUID().toString(),
                new BackupStarted(id, attempt, key, "postgresql", "15.20", "pg_dump (PostgreSQL) 15.20", started));
        // the claim already made it RUNNING: wait for what only the started report brings
        awaitField(id, "startedAt", "2026-11-25T16:00:00Z");
        mvc.perform(get("/api/v1/snapshots/" + id))
                .andExpect(jsonPath("$.status").value("RUNNING"))
                .andExpect(jsonPath("$.startedAt").value("2026-11-25T16:00:00Z"))
                .andExpect(jsonPath("$.databaseType").value("postgresql"))
                .andExpect(jsonPath("$.path").value(volume.location() + "/" + key));

        String progress = UUID.randomUUID().toString();
        send(MessageTypes.BACKUP_PROGRESS, id, progress, new BackupProgress(id, attempt, 100, 40, started.plusSeconds(2)));
        send(MessageTypes.BACKUP_PROGRESS, id, UUID.randomUUID().toString(), new BackupProgress(id, attempt, 200, 80, started.plusSeconds(4)));
        // a redelivery of the first progress report must not wind the counter back
        send(MessageTypes.BACKUP_PROGRESS, id, progress, new BackupProgress(id, attempt, 100, 40, started.plusSeconds(2)));
        // a barrier: reports of one job are applied in order, so once this (ignored, stale) one is recorded,
        // the duplicate before it has been seen too
        String barrier = UUID.randomUUID().toString();
        send(MessageTypes.BACKUP_PROGRESS, id, barrier, new BackupProgress(id, UUID.randomUUID(), 999, 999, started.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) from processed_messages where message_id = ?")
                .param(barrier).query(Long.class).single() == 1);
        mvc.perform(get("/api/v1/snapshots/" + id))
                .andExpect(jsonPath("$.bytesSoFar").value(200));
        send(MessageTypes.BACKUP_COMPLETED, id, UUID.randomUUID().toString(), new BackupCompleted(id, attempt, volume.id(),
                key, 1000, 3000, "ab".repeat(32), "zstd", "postgresql", "15.20", started, started.plusMillis(6500)));

        JsonNode done = awaitField(id, "status", "COMPLETED");
        assertThat(done.get("completedAt").asString()).isEqualTo("2026-11-25T16:00:06.500Z");
        assertThat(done.get("durationMs").asLong()).isEqualTo(6500);
        assertThat(done.get("sizeBytes").asLong()).isEqualTo(1000);
        assertThat(done.get("rawSizeBytes").asLong()).isEqualTo(3000);
        assertThat(done.get("compressionRatio").decimalValue()).isEqualByComparingTo("3.00");
        assertThat(done.get("sha256").asString()).isEqualTo("ab".repeat(32));
        assertThat(done.get("databaseType").asString()).isEqualTo("postgresql");
        assertThat(done.get("databaseVersion").asString()).isEqualTo("15.20");
        assertThat(done.get("objectKey").asString()).isEqualTo(key);
        assertThat(done.get("path").asString()).isEqualTo("s3://backups/team/" + key);
        assertThat(done.get("volumeName").asString()).isEqualTo(volume.name());
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(done.get("bytesSoFar").asLong()).as("a finished snapshot has read everything").isEqualTo(3000);
        assertThat(jdbc.sql("select count(*) from processed_messages where message_id = ?").param(progress)
                .query(Long.class).single()).isEqualTo(1);

        List<ConsumerRecord<byte[], byte[]>> published = publicEvents(id, 2);
        assertThat(published).extracting(r -> header(r, CloudEvents.TYPE))
                .containsExactly(MessageTypes.SNAPSHOT_CREATED.ceType(), MessageTypes.SNAPSHOT_COMPLETED.ceType());
        assertThat(header(published.get(1), CloudEvents.SOURCE)).isEqualTo("/catalog-service");
        SnapshotCompleted completed = json.readValue(published.get(1).value(), SnapshotCompleted.class);
        assertThat(completed.snapshotId()).isEqualTo(id);
        assertThat(completed.path()).isEqualTo("s3://backups/team/" + key);
        assertThat(completed.sha256()).isEqualTo("ab".repeat(32));
        assertThat(completed.sizeBytes()).isEqualTo(1000);
    }

    @Test
    void reportsOfAStaleAttemptAreIgnored() throws Exception {
        Volume volume = knownVolume();
        UUID id = requestSnapshot(server("pw"), "shop", volume.id());
        UUID current = UUID.randomUUID();
        claim(id, current, 200);
        UUID stale = UUID.randomUUID();
        send(MessageTypes.BACKUP_FAILED, id, UUID.randomUUID().toString(), new BackupFailed(id, stale, "zombie says no", Instant.now()));
        send(MessageTypes.BACKUP_COMPLETED, id, UUID.randomUUID().toString(), new BackupCompleted(id, current, volume.id(),
                "k/k.sql.zst", 10, 20, "cd".repeat(32), "zstd", "postgresql", "15.20", Instant.now().minusSeconds(1), Instant.now()));

        JsonNode done = awaitField(id, "status", "COMPLETED");
        assertThat(done.get("error").isNull()).isTrue();
        // the zombie's failure never reaches the public topic: only what the catalog decided does
        assertThat(publicEvents(id, 2)).extracting(r -> header(r, CloudEvents.TYPE))
                .containsExactly(MessageTypes.SNAPSHOT_CREATED.ceType(), MessageTypes.SNAPSHOT_COMPLETED.ceType());
    }

    @Test
    void aFailedSnapshotNeverGoesBackToRunning() throws Exception {
        UUID id = requestSnapshot(server("pw"), "shop", knownVolume().id());
        UUID attempt = UUID.randomUUID();
        claim(id, attempt, 200);
        send(MessageTypes.BACKUP_FAILED, id, UUID.randomUUID().toString(),
                new BackupFailed(id, attempt, "pg_dump: error: connection refused", Instant.now()));
        JsonNode failed = awaitField(id, "status", "FAILED");
        assertThat(failed.get("error").asString()).isEqualTo("pg_dump: error: connection refused");

        String late = UUID.randomUUID().toString();
        send(MessageTypes.BACKUP_STARTED, id, late, new BackupStarted(id, attempt, "k", "postgresql", "15", "t", Instant.now()));
        awaitProcessed(late);
        mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(jsonPath("$.status").value("FAILED"));
        claim(id, UUID.randomUUID(), 409);
    }

    @Test
    void garbageGoesToTheDeadLetterTopicAndTheConsumerKeepsGoing() throws Exception {
        String garbageId = UUID.randomUUID().toString();
        sendRaw(Topics.BACKUP_REPORTS, "job-x", "this is { not json".getBytes(StandardCharsets.UTF_8),
                CloudEvents.headers(MessageTypes.BACKUP_STARTED.ceType(), garbageId, "/test", null, null, Instant.now()));
        String unknownId = UUID.randomUUID().toString();
        sendRaw(Topics.BACKUP_REPORTS, "job-y", "{}".getBytes(StandardCharsets.UTF_8),
                CloudEvents.headers("io.databasement.backup.exploded.v9", unknownId, "/test", null, null, Instant.now()));

        String dlt = Topics.deadLetter(Topics.BACKUP_REPORTS, "catalog-service");
        ConsumerRecord<byte[], byte[]> dead = consumeOne(dlt, "job-x");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("this is { not json");
        assertThat(header(dead, DeadLetters.REASON)).contains("not a valid BackupStarted");
        assertThat(header(dead, CloudEvents.ID)).isEqualTo(garbageId);
        assertThat(header(consumeOne(dlt, "job-y"), DeadLetters.REASON)).contains("unknown ce_type");

        // and the consumer is still alive
        UUID id = requestSnapshot(server("pw"), "shop", knownVolume().id());
        UUID attempt = UUID.randomUUID();
        claim(id, attempt, 200);
        send(MessageTypes.BACKUP_FAILED, id, UUID.randomUUID().toString(), new BackupFailed(id, attempt, "after the garbage", Instant.now()));
        awaitField(id, "status", "FAILED");
    }

    @Test
    void volumesPublishedByStorageBecomeKnownAndTombstonesForgetThem() throws Exception {
        UUID volumeId = UUID.randomUUID();
        VolumeState state = new VolumeState(volumeId, "nightly", "local", "/var/backups/nightly", Instant.now());
        sendRaw(Topics.VOLUMES, volumeId.toString(), json.writeValueAsBytes(state),
                CloudEvents.headers(MessageTypes.VOLUME_STATE.ceType(), UUID.randomUUID().toString(), "/storage-service",
                        volumeId.toString(), null, Instant.now()));
        await().atMost(WAIT).until(() -> volumes.find(volumeId).isPresent());
        assertThat(volumes.find(volumeId).orElseThrow().location()).isEqualTo("/var/backups/nightly");

        UUID snapshot = requestSnapshot(server("pw"), "shop", volumeId);
        mvc.perform(get("/api/v1/snapshots/" + snapshot)).andExpect(jsonPath("$.volumeName").value("nightly"));

        sendRaw(Topics.VOLUMES, volumeId.toString(), null, Map.of());
        await().atMost(WAIT).until(() -> volumes.find(volumeId).isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    Volume knownVolume() {
        UUID id = UUID.randomUUID();
        Volume volume = new Volume(id, "vol-" + id.toString().substring(0, 8), "s3", "s3://backups/team", Instant.now());
        volumes.upsert(volume);
        return volume;
    }

    UUID server(String password) throws Exception {
        String response = mvc.perform(post("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "srv-%s", "type": "postgresql", "host": "127.0.0.1", "port": 5432, "username": "postgres", "password": "%s"}"""
                        .formatted(UUID.randomUUID().toString().substring(0, 8), password)))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    UUID requestSnapshot(UUID serverId, String database, UUID volumeId) throws Exception {
        String response = mvc.perform(post("/api/v1/snapshots").contentType(MediaType.APPLICATION_JSON).content("""
                        {"serverId": "%s", "database": "%s", "volumeId": "%s"}""".formatted(serverId, database, volumeId)))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    void claim(UUID job, UUID attempt, int expectedStatus) throws Exception {
        mvc.perform(post("/internal/jobs/{job}/attempts/{attempt}", job, attempt)
                        .header("Authorization", "Bearer " + CatalogTestSupport.TOKEN))
                .andExpect(status().is(expectedStatus));
    }

    JsonNode awaitField(UUID id, String field, String value) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = json.readTree(mvc.perform(get("/api/v1/snapshots/" + id)).andReturn().getResponse().getContentAsString());
            return value.equals(last[0].get(field).asString());
        });
        return last[0];
    }

    void awaitProcessed(String ceId) {
        await().atMost(WAIT).until(() -> jdbc.sql("select count(*) from processed_messages where message_id = ?")
                .param(ceId).query(Long.class).single() == 1);
    }

    <T> void send(MessageType<T> type, UUID jobId, String ceId, T report) throws Exception {
        sendRaw(type.topic(), jobId.toString(), json.writeValueAsBytes(report),
                CloudEvents.headers(type.ceType(), ceId, "/backup-worker", jobId.toString(), null, Instant.now()));
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

    ConsumerRecord<byte[], byte[]> consumeOne(String topic, String key) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            await().atMost(WAIT).until(() -> !consumer.partitionsFor(topic).isEmpty());
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record with key " + key + " on " + topic);
    }

    /** The public snapshot events keyed {@code id}: waits for {@code expected}, then a little longer for any extra. */
    List<ConsumerRecord<byte[], byte[]>> publicEvents(UUID id, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String topic = Topics.SNAPSHOT_EVENTS;
            await().atMost(WAIT).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (r.key() != null && id.toString().equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        found.add(r);
                    }
                }
                if (found.size() >= expected && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return found;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name)).map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
