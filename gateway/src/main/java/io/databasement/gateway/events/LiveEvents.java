package io.databasement.gateway.events;

import static io.databasement.contracts.MessageTypes.BACKUP_PROGRESS;
import static io.databasement.contracts.MessageTypes.BACKUP_STARTED;
import static io.databasement.contracts.MessageTypes.RESTORE_ACCEPTED;
import static io.databasement.contracts.MessageTypes.RESTORE_CANCELLED;
import static io.databasement.contracts.MessageTypes.RESTORE_COMPLETED;
import static io.databasement.contracts.MessageTypes.RESTORE_FAILED;
import static io.databasement.contracts.MessageTypes.RESTORE_JOB_PROGRESS;
import static io.databasement.contracts.MessageTypes.RESTORE_JOB_STARTED;
import static io.databasement.contracts.MessageTypes.RESTORE_REJECTED;
import static io.databasement.contracts.MessageTypes.RESTORE_STARTED;
import static io.databasement.contracts.MessageTypes.SNAPSHOT_CANCELLED;
import static io.databasement.contracts.MessageTypes.SNAPSHOT_COMPLETED;
import static io.databasement.contracts.MessageTypes.SNAPSHOT_CREATED;
import static io.databasement.contracts.MessageTypes.SNAPSHOT_DELETED;
import static io.databasement.contracts.MessageTypes.SNAPSHOT_FAILED;
import static io.databasement.contracts.MessageTypes.SNAPSHOT_VERIFIED;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobStarted;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the public topics' records and the workers' progress reports into the live events of
 * {@code GET /api/v1/events} (the shapes are in the gateway README). Status events carry every field of their
 * public payload after {@code <subject>Id}, {@code status}, {@code type} and {@code at}; a payload field never
 * overwrites those (a rejection's HTTP status is {@code httpStatus}). Progress events add the attempt's transfer
 * rate and, for restores, the percentage and the time left. Other reports are not shown: the catalog's public
 * events tell what they decided.
 */
@Component
class LiveEvents {

    private static final String TYPE_PREFIX = "io.databasement.";
    private static final Map<MessageType<?>, String> SNAPSHOT_STATUS = Map.of(
            SNAPSHOT_CREATED, "PENDING",
            SNAPSHOT_COMPLETED, "COMPLETED",
            SNAPSHOT_FAILED, "FAILED",
            SNAPSHOT_CANCELLED, "CANCELLED",
            // only a COMPLETED snapshot is verified, and the verdict does not change its status
            SNAPSHOT_VERIFIED, "COMPLETED",
            SNAPSHOT_DELETED, "DELETED");
    private static final Map<MessageType<?>, String> RESTORE_STATUS = Map.of(
            RESTORE_ACCEPTED, "PENDING",
            RESTORE_STARTED, "IN_PROGRESS",
            RESTORE_COMPLETED, "COMPLETED",
            RESTORE_FAILED, "FAILED",
            RESTORE_CANCELLED, "CANCELLED",
            RESTORE_REJECTED, "REJECTED");

    private final JsonMapper json;
    private final ProgressRates rates = new ProgressRates();

    LiveEvents(JsonMapper json) {
        this.json = json;
    }

    /**
     * @return the live event of a record; empty for a record the stream does not show
     * @throws IllegalArgumentException           for a record that is not a message we know on its topic
     * @throws tools.jackson.core.JacksonException for a value that is not its type's JSON
     */
    Optional<LiveEvent> of(ConsumerRecord<String, byte[]> record) {
        String ceId = KafkaHeaders.read(record, CloudEvents.ID);
        String ceType = KafkaHeaders.read(record, CloudEvents.TYPE);
        MessageType<?> type = ceType == null ? null : MessageTypes.byCeType(ceType)
                .filter(t -> t.topic().equals(record.topic())).orElse(null);
        if (type == null || ceId == null || record.value() == null) {
            throw new IllegalArgumentException("not a known message on " + record.topic() + " (ce_type '" + ceType
                    + "', ce_id '" + ceId + "'" + (record.value() == null ? ", no value" : "") + ")");
        }
        if (SNAPSHOT_STATUS.containsKey(type)) {
            return Optional.of(snapshot(record, ceId, type));
        }
        if (RESTORE_STATUS.containsKey(type)) {
            return Optional.of(restore(record, ceId, type));
        }
        if (type == BACKUP_PROGRESS) {
            return Optional.of(backupProgress(record, ceId));
        }
        if (type == RESTORE_JOB_PROGRESS) {
            return Optional.of(restoreProgress(record, ceId));
        }
        // not shown, but an attempt's start is its zero: its first progress report then already has a rate and ETA
        if (type == BACKUP_STARTED) {
            BackupStarted started = read(record, BACKUP_STARTED);
            rates.record(started.attemptId(), 0, started.startedAt() != null ? started.startedAt() : time(record));
        }
        if (type == RESTORE_JOB_STARTED) {
            RestoreJobStarted started = read(record, RESTORE_JOB_STARTED);
            rates.record(started.attemptId(), 0, started.startedAt() != null ? started.startedAt() : time(record));
        }
        return Optional.empty();
    }

    private LiveEvent snapshot(ConsumerRecord<String, byte[]> record, String ceId, MessageType<?> type) {
        ObjectNode payload = json.valueToTree(read(record, type));
        String snapshotId = id(payload, "snapshotId");
        ObjectNode data = json.createObjectNode();
        data.put("snapshotId", snapshotId);
        data.put("status", SNAPSHOT_STATUS.get(type));
        data.put("type", shortName(type));
        data.put("at", time(record).toString());
        if (type == SNAPSHOT_VERIFIED) {
            data.put("verification", payload.get("passed").asBoolean() ? "PASSED" : "FAILED");
        }
        return new LiveEvent("snapshot", ceId, snapshotId, null, render(data, payload));
    }

    private LiveEvent restore(ConsumerRecord<String, byte[]> record, String ceId, MessageType<?> type) {
        ObjectNode payload = json.valueToTree(read(record, type));
        // a rejected request never became a restore
        String restoreId = type == RESTORE_REJECTED ? null : id(payload, "restoreId");
        ObjectNode data = json.createObjectNode();
        data.put("restoreId", restoreId);
        data.put("status", RESTORE_STATUS.get(type));
        data.put("type", shortName(type));
        data.put("at", time(record).toString());
        data.put("correlationId", KafkaHeaders.read(record, CloudEvents.CORRELATION_ID));
        if (type == RESTORE_REJECTED) {
            data.set("httpStatus", payload.remove("status"));
        }
        return new LiveEvent("restore", ceId, null, restoreId, render(data, payload));
    }

    private LiveEvent backupProgress(ConsumerRecord<String, byte[]> record, String ceId) {
        BackupProgress report = read(record, BACKUP_PROGRESS);
        if (report.jobId() == null || report.attemptId() == null) {
            throw new IllegalArgumentException("a backup progress report without jobId or attemptId");
        }
        Instant at = report.at() != null ? report.at() : Instant.ofEpochMilli(record.timestamp());
        Long rate = rates.record(report.attemptId(), report.compressedBytes(), at);
        ObjectNode data = json.createObjectNode();
        data.put("snapshotId", report.jobId().toString());
        data.put("attemptId", report.attemptId().toString());
        data.put("bytes", report.compressedBytes());
        data.put("rawBytes", report.rawBytes());
        data.put("bytesPerSecond", rate);
        data.put("at", at.toString());
        return new LiveEvent("snapshot-progress", ceId, report.jobId().toString(), null, json.writeValueAsString(data));
    }

    private LiveEvent restoreProgress(ConsumerRecord<String, byte[]> record, String ceId) {
        RestoreJobProgress report = read(record, RESTORE_JOB_PROGRESS);
        if (report.jobId() == null || report.attemptId() == null) {
            throw new IllegalArgumentException("a restore progress report without jobId or attemptId");
        }
        Instant at = report.at() != null ? report.at() : Instant.ofEpochMilli(record.timestamp());
        Long rate = rates.record(report.attemptId(), report.bytesRead(), at);
        ObjectNode data = json.createObjectNode();
        data.put("restoreId", report.jobId().toString());
        data.put("attemptId", report.attemptId().toString());
        data.put("bytes", report.bytesRead());
        data.put("totalBytes", report.totalBytes());
        data.put("percent", percent(report.bytesRead(), report.totalBytes()));
        data.put("bytesPerSecond", rate);
        data.put("etaSeconds", ProgressRates.etaSeconds(report.bytesRead(), report.totalBytes(), rate));
        data.put("phase", report.phase());
        data.put("at", at.toString());
        return new LiveEvent("restore-progress", ceId, null, report.jobId().toString(), json.writeValueAsString(data));
    }

    /** One decimal, at most 100; null when the total is unknown. */
    static Double percent(long bytes, long totalBytes) {
        if (totalBytes <= 0) {
            return null;
        }
        return Math.min(100.0, Math.round(bytes * 1000.0 / totalBytes) / 10.0);
    }

    private <T> T read(ConsumerRecord<String, byte[]> record, MessageType<T> type) {
        T value = json.readValue(record.value(), type.payload());
        if (value == null) {
            throw new IllegalArgumentException("a JSON null, not a " + type.payload().getSimpleName());
        }
        return value;
    }

    /** The envelope first, then every payload field it does not already have. */
    private String render(ObjectNode data, ObjectNode payload) {
        payload.properties().forEach(field -> {
            if (!data.has(field.getKey())) {
                data.set(field.getKey(), field.getValue());
            }
        });
        return json.writeValueAsString(data);
    }

    private static String id(JsonNode payload, String field) {
        JsonNode id = payload.get(field);
        if (id == null || id.isNull()) {
            throw new IllegalArgumentException("no " + field);
        }
        return id.asString();
    }

    /** {@code io.databasement.snapshot.completed.v1} → {@code snapshot.completed}. */
    static String shortName(MessageType<?> type) {
        String ceType = type.ceType();
        return ceType.substring(TYPE_PREFIX.length(), ceType.lastIndexOf('.'));
    }

    /** When it happened: {@code ce_time}, else the record's timestamp. */
    private static Instant time(ConsumerRecord<?, ?> record) {
        String time = KafkaHeaders.read(record, CloudEvents.TIME);
        if (time != null) {
            try {
                return Instant.parse(time);
            } catch (DateTimeParseException e) {
                // fall back to the broker's time
            }
        }
        return Instant.ofEpochMilli(record.timestamp());
    }
}
