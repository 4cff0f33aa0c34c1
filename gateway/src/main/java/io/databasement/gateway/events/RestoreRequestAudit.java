package io.databasement.gateway.events;

import java.util.Objects;
import java.util.Optional;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreAccepted;
import io.databasement.contracts.RestoreRejected;
import io.databasement.gateway.audit.AuditEntry;
import io.databasement.gateway.audit.AuditLog;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Audits restore requests that came over Kafka ({@code dbm.restore.requests}): the catalog's answer on
 * {@code dbm.restore.events} (accepted or rejected, with {@code channel: kafka}) becomes one audit entry, recorded
 * once however often it is delivered ({@code ce_id} is its source id). Answers to REST calls are skipped, since
 * the gateway audits those calls itself. A record it cannot read is skipped; a failure to write the entry is
 * thrown, so the container retries it rather than lose it.
 */
final class RestoreRequestAudit implements MessageListener<String, byte[]> {

    static final String CHANNEL = "kafka";
    static final String ACTION = "restore.requested";
    private static final Logger log = LoggerFactory.getLogger(RestoreRequestAudit.class);

    private final JsonMapper json;
    private final AuditLog audit;

    RestoreRequestAudit(JsonMapper json, AuditLog audit) {
        this.json = json;
        this.audit = audit;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        Optional<AuditEntry> entry;
        try {
            entry = entry(record);
        } catch (RuntimeException e) {
            log.debug("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        entry.ifPresent(audit::appendNow);
    }

    /**
     * @return the entry for an answer to a Kafka request; empty for every other record
     * @throws RuntimeException for an answer that cannot be read
     */
    Optional<AuditEntry> entry(ConsumerRecord<String, byte[]> record) {
        String ceType = KafkaHeaders.read(record, CloudEvents.TYPE);
        boolean accepted = MessageTypes.RESTORE_ACCEPTED.ceType().equals(ceType);
        if (!accepted && !MessageTypes.RESTORE_REJECTED.ceType().equals(ceType)) {
            return Optional.empty();
        }
        String ceId = KafkaHeaders.read(record, CloudEvents.ID);
        if (ceId == null || ceId.isBlank() || record.value() == null) {
            throw new IllegalArgumentException("a restore answer without ce_id or value");
        }
        String correlationId = KafkaHeaders.read(record, CloudEvents.CORRELATION_ID);
        if (accepted) {
            RestoreAccepted a = Objects.requireNonNull(json.readValue(record.value(), RestoreAccepted.class), "value");
            if (!CHANNEL.equals(a.channel())) {
                return Optional.empty();
            }
            return Optional.of(new AuditEntry(null, a.acceptedAt(), actor(a.requestedBy()), null, CHANNEL, ACTION,
                    target(a.snapshotId(), a.targetServerId(), a.targetDatabase()), "succeeded", 202, null,
                    correlationId, ceId));
        }
        RestoreRejected r = Objects.requireNonNull(json.readValue(record.value(), RestoreRejected.class), "value");
        if (!CHANNEL.equals(r.channel())) {
            return Optional.empty();
        }
        return Optional.of(new AuditEntry(null, r.rejectedAt(), actor(r.requestedBy()), null, CHANNEL, ACTION,
                target(r.snapshotId(), r.targetServerId(), r.targetDatabase()), "refused", r.status(), r.reason(),
                correlationId, ceId));
    }

    private static String actor(String requestedBy) {
        return requestedBy == null || requestedBy.isBlank() ? "unknown" : requestedBy;
    }

    static String target(Object snapshotId, Object serverId, String database) {
        return "snapshot " + Objects.toString(snapshotId, "?") + " → server " + Objects.toString(serverId, "?")
                + " / database " + Objects.toString(database, "?");
    }
}
