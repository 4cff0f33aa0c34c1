package io.databasement.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreAccepted;
import io.databasement.contracts.RestoreCompleted;
import io.databasement.contracts.RestoreFailed;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreRejected;
import io.databasement.contracts.RestoreStarted;
import io.databasement.contracts.SnapshotCompleted;
import io.databasement.contracts.SnapshotCreated;
import io.databasement.contracts.SnapshotDeleted;
import io.databasement.contracts.SnapshotFailed;
import io.databasement.contracts.SnapshotVerified;
import io.databasement.contracts.Topics;
import io.databasement.gateway.audit.AuditEntry;
import io.databasement.gateway.GatewayTestSupport;
import io.databasement.gateway.audit.AuditLog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live status stream and the audit of Kafka restore requests, against a real broker (embedded KRaft) and the
 * machine's PostgreSQL: records written as the catalog and the workers write them (plain producer, CloudEvents
 * headers as bytes), read back from {@code GET /api/v1/events} over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "dbm.gateway.admin-token=" + EventsIT.ADMIN_TOKEN,
        // whatever the other gateway tests default to
        "dbm.gateway.events.enabled=true",
        "dbm.gateway.events.keep-alive=1s",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.kafka=WARN",
        "logging.level.state.change.logger=WARN",
})
@EmbeddedKafka(partitions = 1, topics = {Topics.SNAPSHOT_EVENTS, Topics.RESTORE_EVENTS, Topics.BACKUP_REPORTS,
        Topics.RESTORE_REPORTS})
// close the context while the embedded broker still runs
@DirtiesContext
class EventsIT {

    static final String ADMIN_TOKEN = "dbm_EventsIT-admin-token-0123456789abcdefghijkl";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-25T16:00:00Z");
    private static KafkaProducer<String, byte[]> producer;
    /** The broadcast consumer starts at the latest offset: nothing is sent before it is known to read. */
    private static boolean consumerReads;

    @Value("${local.server.port}")
    int port;
    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    JsonMapper json;
    @Autowired
    AuditLog audit;

    private final List<Stream> streams = new ArrayList<>();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        GatewayTestSupport.registerDatabase(registry);
    }

    @BeforeEach
    void consumerReads() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        if (consumerReads) {
            return;
        }
        Stream stream = open("");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String probe = "probe-" + UUID.randomUUID();
            send(Topics.SNAPSHOT_EVENTS, "probe", MessageTypes.SNAPSHOT_DELETED, probe, null,
                    new SnapshotDeleted(UUID.randomUUID(), "srv", "db", UUID.randomUUID(), "k", "probe", T0));
            if (stream.poll(Duration.ofMillis(500), e -> probe.equals(e.id())) != null) {
                consumerReads = true;
                return;
            }
        }
        fail("the gateway's broadcast consumer never read a record");
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(Stream::close);
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    @Test
    void everyStatusChangeOfSnapshotsAndRestoresIsStreamedWithItsPublicPayload() {
        Stream stream = open("");
        UUID snapshot = UUID.randomUUID();
        UUID server = UUID.randomUUID();
        UUID restore = UUID.randomUUID();
        UUID failedRestore = UUID.randomUUID();
        Map<String, String> expected = new HashMap<>();

        expected.put(send(Topics.SNAPSHOT_EVENTS, snapshot.toString(), MessageTypes.SNAPSHOT_CREATED, null, null,
                new SnapshotCreated(snapshot, server, "prod", "shop", UUID.randomUUID(), "zstd", T0)), "PENDING");
        expected.put(send(Topics.SNAPSHOT_EVENTS, snapshot.toString(), MessageTypes.SNAPSHOT_COMPLETED, null, null,
                new SnapshotCompleted(snapshot, server, "prod", "shop", UUID.randomUUID(), "s3://b/k", 1234, 5678,
                        "ab".repeat(32), "zstd", "postgresql", "15.20", T0, T0.plusSeconds(9))), "COMPLETED");
        // garbage in between: skipped, and the stream goes on
        String garbage = sendRaw(Topics.SNAPSHOT_EVENTS, snapshot.toString(), MessageTypes.SNAPSHOT_COMPLETED.ceType(),
                "{not json".getBytes(StandardCharsets.UTF_8));
        String unknown = sendRaw(Topics.SNAPSHOT_EVENTS, snapshot.toString(), "io.databasement.snapshot.renamed.v1",
                "{}".getBytes(StandardCharsets.UTF_8));
        String verified = send(Topics.SNAPSHOT_EVENTS, snapshot.toString(), MessageTypes.SNAPSHOT_VERIFIED, null, null,
                new SnapshotVerified(snapshot, server, "prod", "shop", "scratch", true, 3, 300, List.of(), null,
                        T0.plusSeconds(60), 4000));
        expected.put(verified, "COMPLETED");
        expected.put(send(Topics.SNAPSHOT_EVENTS, snapshot.toString(), MessageTypes.SNAPSHOT_FAILED, null, null,
                new SnapshotFailed(snapshot, server, "prod", "shop", "pg_dump: error", T0)), "FAILED");
        expected.put(send(Topics.SNAPSHOT_EVENTS, snapshot.toString(), MessageTypes.SNAPSHOT_DELETED, null, null,
                new SnapshotDeleted(snapshot, "prod", "shop", UUID.randomUUID(), "k", "retention", T0)), "DELETED");
        expected.put(send(Topics.RESTORE_EVENTS, restore.toString(), MessageTypes.RESTORE_ACCEPTED, null, "ticket-1",
                new RestoreAccepted(restore, snapshot, server, "shop_copy", "OTHER_DATABASE", "alice", T0, "rest")), "PENDING");
        expected.put(send(Topics.RESTORE_EVENTS, restore.toString(), MessageTypes.RESTORE_STARTED, null, "ticket-1",
                new RestoreStarted(restore, snapshot, server, "shop_copy", "OTHER_DATABASE", T0)), "IN_PROGRESS");
        expected.put(send(Topics.RESTORE_EVENTS, restore.toString(), MessageTypes.RESTORE_COMPLETED, null, "ticket-1",
                new RestoreCompleted(restore, snapshot, server, "shop_copy", "OTHER_DATABASE", 1234, T0, T0)), "COMPLETED");
        expected.put(send(Topics.RESTORE_EVENTS, failedRestore.toString(), MessageTypes.RESTORE_FAILED, null, null,
                new RestoreFailed(failedRestore, snapshot, server, "shop", "SAME_DATABASE", "psql: ERROR", T0)), "FAILED");
        String rejected = send(Topics.RESTORE_EVENTS, "order-9", MessageTypes.RESTORE_REJECTED, null, "order-9",
                new RestoreRejected(snapshot.toString(), server.toString(), "shop", "billing", 422,
                        "snapshot is FAILED", T0, "kafka"));
        expected.put(rejected, "REJECTED");

        Map<String, ServerSentEvent<String>> received = new HashMap<>();
        while (!received.keySet().containsAll(expected.keySet())) {
            ServerSentEvent<String> event = stream.poll(WAIT, e -> e.event() != null);
            assertThat(event).as("events still missing: %s", expected.keySet().stream()
                    .filter(id -> !received.containsKey(id)).toList()).isNotNull();
            received.put(event.id(), event);
        }
        assertThat(received).doesNotContainKeys(garbage, unknown);
        expected.forEach((id, status) -> {
            ServerSentEvent<String> event = received.get(id);
            JsonNode data = json.readTree(event.data());
            assertThat(event.event()).isIn("snapshot", "restore");
            String subject = event.event() + "Id";
            assertThat(fieldNames(data).subList(0, 4)).as("%s", data).containsExactly(subject, "status", "type", "at");
            assertThat(data.get("status").asString()).as("status of %s", data).isEqualTo(status);
            if (event.event().equals("snapshot")) {
                assertThat(data.get("snapshotId").asString()).isEqualTo(snapshot.toString());
            }
        });

        JsonNode completed = json.readTree(received.values().stream()
                .filter(e -> e.data().contains("\"snapshot.completed\"")).findFirst().orElseThrow().data());
        assertThat(completed.get("snapshotId").asString()).isEqualTo(snapshot.toString());
        assertThat(completed.get("sizeBytes").asLong()).isEqualTo(1234);
        assertThat(completed.get("sha256").asString()).isEqualTo("ab".repeat(32));
        JsonNode verification = json.readTree(received.get(verified).data());
        assertThat(verification.get("type").asString()).isEqualTo("snapshot.verified");
        assertThat(verification.get("verification").asString()).isEqualTo("PASSED");
        JsonNode refusal = json.readTree(received.get(rejected).data());
        assertThat(received.get(rejected).event()).isEqualTo("restore");
        assertThat(refusal.get("restoreId").isNull()).isTrue();
        assertThat(refusal.get("correlationId").asString()).isEqualTo("order-9");
        assertThat(refusal.get("httpStatus").asInt()).isEqualTo(422);
        assertThat(refusal.get("reason").asString()).isEqualTo("snapshot is FAILED");
        JsonNode accepted = json.readTree(received.values().stream()
                .filter(e -> e.data().contains("\"restore.accepted\"")).findFirst().orElseThrow().data());
        assertThat(accepted.get("restoreId").asString()).isEqualTo(restore.toString());
        assertThat(accepted.get("correlationId").asString()).isEqualTo("ticket-1");
        assertThat(accepted.get("requestedBy").asString()).isEqualTo("alice");
        assertThat(accepted.get("at").asString()).isEqualTo(T0.toString());
    }

    @Test
    void progressReportsAreStreamedWithTheRateAndTimeLeftOfTheirAttempt() {
        Stream stream = open("");
        UUID snapshot = UUID.randomUUID();
        UUID restore = UUID.randomUUID();
        UUID backupAttempt = UUID.randomUUID();
        UUID restoreAttempt = UUID.randomUUID();

        send(Topics.BACKUP_REPORTS, snapshot.toString(), MessageTypes.BACKUP_PROGRESS, null, null,
                new BackupProgress(snapshot, backupAttempt, 0, 0, T0));
        String backup = send(Topics.BACKUP_REPORTS, snapshot.toString(), MessageTypes.BACKUP_PROGRESS, null, null,
                new BackupProgress(snapshot, backupAttempt, 40_000_000, 8_000_000, T0.plusSeconds(2)));
        send(Topics.RESTORE_REPORTS, restore.toString(), MessageTypes.RESTORE_JOB_PROGRESS, null, null,
                new RestoreJobProgress(restore, restoreAttempt, 0, 10_000_000, 0, "loading", T0));
        String restoring = send(Topics.RESTORE_REPORTS, restore.toString(), MessageTypes.RESTORE_JOB_PROGRESS, null,
                null, new RestoreJobProgress(restore, restoreAttempt, 4_000_000, 10_000_000, 20_000_000, "loading",
                        T0.plusSeconds(4)));

        ServerSentEvent<String> backupEvent = stream.poll(WAIT, e -> backup.equals(e.id()));
        ServerSentEvent<String> restoreEvent = stream.poll(WAIT, e -> restoring.equals(e.id()));

        assertThat(backupEvent).isNotNull();
        assertThat(backupEvent.event()).isEqualTo("snapshot-progress");
        JsonNode b = json.readTree(backupEvent.data());
        assertThat(fieldNames(b)).containsExactly("snapshotId", "attemptId", "bytes", "rawBytes", "bytesPerSecond", "at");
        assertThat(b.get("snapshotId").asString()).isEqualTo(snapshot.toString());
        assertThat(b.get("attemptId").asString()).isEqualTo(backupAttempt.toString());
        assertThat(b.get("bytes").asLong()).isEqualTo(8_000_000);
        assertThat(b.get("rawBytes").asLong()).isEqualTo(40_000_000);
        assertThat(b.get("bytesPerSecond").asLong()).isEqualTo(4_000_000);
        assertThat(b.get("at").asString()).isEqualTo("2026-11-25T16:00:02Z");

        assertThat(restoreEvent).isNotNull();
        assertThat(restoreEvent.event()).isEqualTo("restore-progress");
        JsonNode r = json.readTree(restoreEvent.data());
        assertThat(fieldNames(r)).containsExactly("restoreId", "attemptId", "bytes", "totalBytes", "percent",
                "bytesPerSecond", "etaSeconds", "phase", "at");
        assertThat(r.get("restoreId").asString()).isEqualTo(restore.toString());
        assertThat(r.get("bytes").asLong()).isEqualTo(4_000_000);
        assertThat(r.get("totalBytes").asLong()).isEqualTo(10_000_000);
        assertThat(r.get("percent").asDouble()).isEqualTo(40.0);
        assertThat(r.get("bytesPerSecond").asLong()).isEqualTo(1_000_000);
        assertThat(r.get("etaSeconds").asLong()).isEqualTo(6);
        assertThat(r.get("phase").asString()).isEqualTo("loading");
    }

    @Test
    void aFilteredStreamCarriesOnlyTheEventsOfItsSnapshotOrRestore() {
        UUID restore = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID snapshot = UUID.randomUUID();
        Stream byRestore = open("?restoreId=" + restore);
        Stream bySnapshot = open("?snapshotId=" + snapshot);

        // one key, so one partition and this order: the other restore's report comes first
        send(Topics.RESTORE_REPORTS, "k", MessageTypes.RESTORE_JOB_PROGRESS, null, null,
                new RestoreJobProgress(other, UUID.randomUUID(), 1, 10, 1, "loading", T0));
        String mine = send(Topics.RESTORE_REPORTS, "k", MessageTypes.RESTORE_JOB_PROGRESS, null, null,
                new RestoreJobProgress(restore, UUID.randomUUID(), 2, 10, 2, "loading", T0));
        send(Topics.SNAPSHOT_EVENTS, "k", MessageTypes.SNAPSHOT_CREATED, null, null,
                new SnapshotCreated(UUID.randomUUID(), UUID.randomUUID(), "prod", "other", UUID.randomUUID(), "zstd", T0));
        String snapshotEvent = send(Topics.SNAPSHOT_EVENTS, "k", MessageTypes.SNAPSHOT_CREATED, null, null,
                new SnapshotCreated(snapshot, UUID.randomUUID(), "prod", "shop", UUID.randomUUID(), "zstd", T0));

        assertThat(byRestore.poll(WAIT, e -> e.event() != null)).extracting(ServerSentEvent::id).isEqualTo(mine);
        assertThat(bySnapshot.poll(WAIT, e -> e.event() != null)).extracting(ServerSentEvent::id).isEqualTo(snapshotEvent);
    }

    @Test
    void anIdleStreamGetsKeepAliveCommentsAndABadFilterIsAProblem() {
        List<String> contentType = new ArrayList<>();
        Stream stream = new Stream(web().get().uri("/api/v1/events?snapshotId=" + UUID.randomUUID())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToFlux(response -> {
                    contentType.add(response.headers().contentType().map(MediaType::toString).orElse(""));
                    return response.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
                }));
        streams.add(stream);

        assertThat(stream.poll(WAIT, e -> "keepalive".equals(e.comment()))).isNotNull();
        assertThat(stream.poll(Duration.ofSeconds(5), e -> "keepalive".equals(e.comment()))).as("the next one").isNotNull();
        assertThat(contentType).singleElement().asString().startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);

        String problem = web().get().uri("/api/v1/events?restoreId=nope").accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToMono(response -> {
                    assertThat(response.statusCode().value()).isEqualTo(400);
                    assertThat(response.headers().contentType()).contains(MediaType.APPLICATION_PROBLEM_JSON);
                    return response.bodyToMono(String.class);
                }).block(WAIT);
        JsonNode body = json.readTree(problem);
        assertThat(body.get("type").asString()).isEqualTo("https://databasement.io/problems/invalid-request");
        assertThat(body.get("detail").asString()).contains("restoreId");
    }

    @Test
    void aKafkaRestoreRequestIsAuditedOnceEvenWhenItsAnswerIsDeliveredTwice() {
        UUID restore = UUID.randomUUID();
        UUID snapshot = UUID.randomUUID();
        UUID server = UUID.randomUUID();
        String accepted = UUID.randomUUID().toString();
        String correlation = "audit-" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RestoreAccepted answer = new RestoreAccepted(restore, snapshot, server, "shop_copy", "OTHER_DATABASE",
                "billing-service", at, "kafka");

        send(Topics.RESTORE_EVENTS, restore.toString(), MessageTypes.RESTORE_ACCEPTED, accepted, correlation, answer);
        // redelivered (the catalog's relay sent it again): same ce_id
        send(Topics.RESTORE_EVENTS, restore.toString(), MessageTypes.RESTORE_ACCEPTED, accepted, correlation, answer);
        // the answer to a REST call: the gateway audits the call itself, not its event
        String rest = correlation + "-rest";
        send(Topics.RESTORE_EVENTS, restore.toString(), MessageTypes.RESTORE_ACCEPTED, null, rest,
                new RestoreAccepted(UUID.randomUUID(), snapshot, server, "x", "OTHER_DATABASE", "alice", at, "rest"));
        // and a refusal, last on the same partition: once it is recorded, everything before it was read
        String refused = correlation + "-refused";
        send(Topics.RESTORE_EVENTS, restore.toString(), MessageTypes.RESTORE_REJECTED, null, refused,
                new RestoreRejected(snapshot.toString(), server.toString(), "shop", null, 409,
                        "database 'shop' exists", at, "kafka"));

        AuditEntry refusal = await().atMost(WAIT).until(() -> entries(refused), list -> !list.isEmpty()).get(0);
        assertThat(refusal.actor()).isEqualTo("unknown");
        assertThat(refusal.channel()).isEqualTo("kafka");
        assertThat(refusal.action()).isEqualTo("restore.requested");
        assertThat(refusal.outcome()).isEqualTo("refused");
        assertThat(refusal.status()).isEqualTo(409);
        assertThat(refusal.detail()).isEqualTo("database 'shop' exists");

        List<AuditEntry> entries = entries(correlation);
        assertThat(entries).hasSize(1);
        AuditEntry entry = entries.get(0);
        assertThat(entry.actor()).isEqualTo("billing-service");
        assertThat(entry.channel()).isEqualTo("kafka");
        assertThat(entry.action()).isEqualTo("restore.requested");
        assertThat(entry.target()).isEqualTo("snapshot " + snapshot + " → server " + server + " / database shop_copy");
        assertThat(entry.outcome()).isEqualTo("succeeded");
        assertThat(entry.status()).isEqualTo(202);
        assertThat(entry.detail()).isNull();
        assertThat(entry.correlationId()).isEqualTo(correlation);
        assertThat(entry.sourceId()).isEqualTo(accepted);
        assertThat(entry.at()).isEqualTo(at);
        assertThat(entries(rest)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private List<AuditEntry> entries(String correlationId) {
        return audit.find(new AuditLog.AuditQuery(null, null, null, correlationId, null, null, null, null, 10))
                .block(WAIT);
    }

    private WebClient web() {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN).build();
    }

    /** Opens a stream and waits for its first keep-alive: from then on it receives every event. */
    private Stream open(String query) {
        Stream stream = new Stream(web().get().uri("/api/v1/events" + query).accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { }));
        streams.add(stream);
        assertThat(stream.poll(WAIT, e -> "keepalive".equals(e.comment()))).as("the first keep-alive").isNotNull();
        return stream;
    }

    /** Sends a message as the catalog or a worker does; returns its ce_id. */
    private String send(String topic, String key, MessageType<?> type, String ceId, String correlationId, Object payload) {
        String id = ceId != null ? ceId : UUID.randomUUID().toString();
        Map<String, String> headers = CloudEvents.headers(type.ceType(), id, "/catalog-service", key, correlationId, T0);
        publish(topic, key, headers, json.writeValueAsBytes(payload));
        return id;
    }

    private String sendRaw(String topic, String key, String ceType, byte[] value) {
        String id = UUID.randomUUID().toString();
        publish(topic, key, CloudEvents.headers(ceType, id, "/test", key, null, T0), value);
        return id;
    }

    private static void publish(String topic, String key, Map<String, String> headers, byte[] value) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send to " + topic + " failed", e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.propertyNames().stream().toList();
    }

    /** An open {@code /api/v1/events} stream, its events queued as they arrive. */
    private static final class Stream {

        private final BlockingQueue<ServerSentEvent<String>> received = new LinkedBlockingQueue<>();
        private final Disposable subscription;

        Stream(Flux<ServerSentEvent<String>> events) {
            subscription = events.subscribe(received::add);
        }

        /** The next item that matches, skipping others; null if none came in time. */
        ServerSentEvent<String> poll(Duration timeout, Predicate<ServerSentEvent<String>> wanted) {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                    ServerSentEvent<String> next = received.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null && wanted.test(next)) {
                        return next;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        void close() {
            subscription.dispose();
        }
    }
}
