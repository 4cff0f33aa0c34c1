package io.databasement.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreCancelled;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.RestoreRejected;
import io.databasement.contracts.SnapshotCancelled;
import io.databasement.contracts.SnapshotCompleted;
import io.databasement.contracts.SnapshotVerified;
import io.databasement.contracts.TableMismatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of each live event, from records as the catalog and the workers write them. */
class LiveEventsJsonTests {

    private static final Instant T0 = Instant.parse("2026-11-25T16:00:00Z");

    private final JsonMapper json = JsonMapper.builder().build();
    private final LiveEvents events = new LiveEvents(json);

    @Test
    void aCompletedSnapshotCarriesItsStatusTypeTimeAndEveryPayloadField() {
        UUID snapshot = UUID.randomUUID();
        SnapshotCompleted payload = new SnapshotCompleted(snapshot, UUID.randomUUID(), "prod", "shop", UUID.randomUUID(),
                "s3://backups/prod/shop/x.sql.zst", 1234, 5678, "ab".repeat(32), "zstd", "postgresql", "15.20",
                T0.minusSeconds(9), T0.minusSeconds(1));

        LiveEvent event = events.of(record(MessageTypes.SNAPSHOT_COMPLETED, "ce-1", null, payload)).orElseThrow();

        assertThat(event.name()).isEqualTo("snapshot");
        assertThat(event.id()).isEqualTo("ce-1");
        assertThat(event.snapshotId()).isEqualTo(snapshot.toString());
        JsonNode data = json.readTree(event.data());
        assertThat(fieldNames(data).subList(0, 4)).containsExactly("snapshotId", "status", "type", "at");
        assertThat(data.get("snapshotId").asString()).isEqualTo(snapshot.toString());
        assertThat(data.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(data.get("type").asString()).isEqualTo("snapshot.completed");
        assertThat(data.get("at").asString()).isEqualTo("2026-11-25T16:00:00Z");
        assertThat(data.get("sizeBytes").asLong()).isEqualTo(1234);
        assertThat(data.get("completedAt").asString()).isEqualTo("2026-11-25T15:59:59Z");
        assertThat(data.get("path").asString()).isEqualTo("s3://backups/prod/shop/x.sql.zst");
    }

    @Test
    void aVerifiedSnapshotStaysCompletedAndTellsTheVerdict() {
        SnapshotVerified failed = new SnapshotVerified(UUID.randomUUID(), UUID.randomUUID(), "prod", "shop", "scratch",
                false, 3, 100, List.of(new TableMismatch("public.orders", 10L, 9L, "0123456789abcdef", "fedcba9876543210")),
                null, T0, 4000);

        JsonNode data = json.readTree(events.of(record(MessageTypes.SNAPSHOT_VERIFIED, "ce-2", null, failed))
                .orElseThrow().data());

        assertThat(data.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(data.get("type").asString()).isEqualTo("snapshot.verified");
        assertThat(data.get("verification").asString()).isEqualTo("FAILED");
        assertThat(data.get("mismatches").get(0).get("table").asString()).isEqualTo("public.orders");
    }

    @Test
    void cancelledSnapshotsAndRestoresAreShownAsCancelledWithTheReason() {
        SnapshotCancelled snapshot = new SnapshotCancelled(UUID.randomUUID(), UUID.randomUUID(), "prod", "shop",
                "cancelled by alice; the partial upload was removed", T0);
        RestoreCancelled restore = new RestoreCancelled(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "shop",
                "SAME_DATABASE", "cancelled by alice; the target was not touched", T0);

        JsonNode s = json.readTree(events.of(record(MessageTypes.SNAPSHOT_CANCELLED, "ce-c1", null, snapshot)).orElseThrow().data());
        JsonNode r = json.readTree(events.of(record(MessageTypes.RESTORE_CANCELLED, "ce-c2", "order-8", restore)).orElseThrow().data());

        assertThat(s.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(s.get("type").asString()).isEqualTo("snapshot.cancelled");
        assertThat(s.get("reason").asString()).startsWith("cancelled by alice");
        assertThat(r.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(r.get("restoreId").asString()).isEqualTo(restore.restoreId().toString());
    }

    @Test
    void aRejectedRequestHasNoRestoreButItsCorrelationIdAndHttpStatus() {
        RestoreRejected rejected = new RestoreRejected(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "shop",
                "billing", 409, "This will overwrite all current data in the target database!", T0, "kafka");

        LiveEvent event = events.of(record(MessageTypes.RESTORE_REJECTED, "ce-3", "order-7", rejected)).orElseThrow();

        assertThat(event.name()).isEqualTo("restore");
        assertThat(event.restoreId()).isNull();
        JsonNode data = json.readTree(event.data());
        assertThat(data.get("restoreId").isNull()).isTrue();
        assertThat(data.get("status").asString()).isEqualTo("REJECTED");
        assertThat(data.get("type").asString()).isEqualTo("restore.rejected");
        assertThat(data.get("correlationId").asString()).isEqualTo("order-7");
        assertThat(data.get("httpStatus").asInt()).isEqualTo(409);
        assertThat(data.get("reason").asString()).contains("overwrite");
    }

    @Test
    void restoreProgressGetsPercentRateAndTimeLeft() {
        UUID restore = UUID.randomUUID();
        UUID attempt = UUID.randomUUID();
        events.of(record(MessageTypes.RESTORE_JOB_PROGRESS, "p-1", null,
                new RestoreJobProgress(restore, attempt, 0, 1000, 0, "loading", T0)));

        LiveEvent event = events.of(record(MessageTypes.RESTORE_JOB_PROGRESS, "p-2", null,
                new RestoreJobProgress(restore, attempt, 250, 1000, 900, "loading", T0.plusSeconds(5)))).orElseThrow();

        assertThat(event.name()).isEqualTo("restore-progress");
        assertThat(event.restoreId()).isEqualTo(restore.toString());
        JsonNode data = json.readTree(event.data());
        assertThat(fieldNames(data)).containsExactly("restoreId", "attemptId", "bytes", "totalBytes", "percent",
                "bytesPerSecond", "etaSeconds", "phase", "at");
        assertThat(data.get("bytes").asLong()).isEqualTo(250);
        assertThat(data.get("percent").asDouble()).isEqualTo(25.0);
        assertThat(data.get("bytesPerSecond").asLong()).isEqualTo(50);
        assertThat(data.get("etaSeconds").asLong()).isEqualTo(15);
        assertThat(data.get("phase").asString()).isEqualTo("loading");
        assertThat(data.get("at").asString()).isEqualTo("2026-11-25T16:00:05Z");
    }

    @Test
    void theFirstProgressReportOfAnAttemptSeenStartingAlreadyHasARateAndTimeLeft() {
        UUID restore = UUID.randomUUID();
        UUID attempt = UUID.randomUUID();
        assertThat(events.of(record(MessageTypes.RESTORE_JOB_STARTED, "s-1", null,
                new RestoreJobStarted(restore, attempt, "dbm_rst_x", "15.20", "psql 15", T0)))).isEmpty();

        JsonNode data = json.readTree(events.of(record(MessageTypes.RESTORE_JOB_PROGRESS, "p-1", null,
                new RestoreJobProgress(restore, attempt, 400, 1000, 900, "loading", T0.plusSeconds(2)))).orElseThrow().data());

        assertThat(data.get("bytesPerSecond").asLong()).isEqualTo(200);
        assertThat(data.get("etaSeconds").asLong()).isEqualTo(3);
    }

    @Test
    void reportsThePublicEventsAlreadyTellAreNotShown() {
        BackupStarted started = new BackupStarted(UUID.randomUUID(), UUID.randomUUID(), "srv/shop/x.sql.zst", "postgresql", "15.20",
                "pg_dump 15.20", T0);

        assertThat(events.of(record(MessageTypes.BACKUP_STARTED, "s-1", null, started))).isEmpty();
    }

    @Test
    void aRecordThatIsNotAKnownMessageIsRefused() {
        ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(MessageTypes.SNAPSHOT_COMPLETED.topic(), 0, 0, "k",
                "{not json".getBytes(StandardCharsets.UTF_8));
        garbage.headers().add(CloudEvents.TYPE, MessageTypes.SNAPSHOT_COMPLETED.ceType().getBytes(StandardCharsets.UTF_8));
        garbage.headers().add(CloudEvents.ID, "g-1".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> wrongTopic = record(MessageTypes.SNAPSHOT_COMPLETED, "g-2", null, Map.of());
        ConsumerRecord<String, byte[]> elsewhere = new ConsumerRecord<>(MessageTypes.RESTORE_ACCEPTED.topic(), 0, 0,
                wrongTopic.key(), wrongTopic.value());
        wrongTopic.headers().forEach(h -> elsewhere.headers().add(h));

        assertThatThrownBy(() -> events.of(garbage)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> events.of(elsewhere)).isInstanceOf(IllegalArgumentException.class);
    }

    private ConsumerRecord<String, byte[]> record(MessageType<?> type, String ceId, String correlationId, Object payload) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(type.ceType(), ceId, "/catalog-service", null, correlationId, T0)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(type.topic(), 0, 0, T0.toEpochMilli(), TimestampType.CREATE_TIME, -1, -1, "key",
                json.writeValueAsBytes(payload), headers, java.util.Optional.empty());
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.propertyNames().stream().toList();
    }
}
