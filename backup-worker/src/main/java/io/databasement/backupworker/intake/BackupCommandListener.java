package io.databasement.backupworker.intake;

import io.databasement.worker.intake.DeadLetters;
import io.databasement.worker.intake.InOrderAcks;
import io.databasement.worker.intake.JobSlots;
import io.databasement.backupworker.job.BackupJobRunner;
import io.databasement.backupworker.job.JobOutcome;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.AbstractConsumerSeekAware;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes backup commands off Kafka on the poll thread and hands each to a job slot; the poll thread never
 * waits for a job. The record is acknowledged when its job ends, or sent back (seek) when the catalog could
 * not be asked.
 */
public class BackupCommandListener extends AbstractConsumerSeekAware {

    public static final String GROUP = "backup-worker";
    public static final String LISTENER_ID = "backup-commands";
    private static final Logger log = LoggerFactory.getLogger(BackupCommandListener.class);

    private final JsonMapper json;
    private final BackupJobRunner runner;
    private final JobSlots slots;
    private final DeadLetters deadLetters;
    private final InOrderAcks acks = new InOrderAcks();

    BackupCommandListener(JsonMapper json, BackupJobRunner runner, JobSlots slots, DeadLetters deadLetters) {
        this.json = json;
        this.runner = runner;
        this.slots = slots;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = LISTENER_ID, topics = Topics.BACKUP_COMMANDS, groupId = GROUP)
    public void onCommand(ConsumerRecord<String, byte[]> record, Acknowledgment ack) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        acks.started(tp, record.offset(), ack);
        BackupRequested command;
        try {
            command = parse(record);
        } catch (PoisonException e) {
            log.warn("command at {}@{} is unusable ({}): dead-lettered", tp, record.offset(), e.getMessage());
            try {
                deadLetters.send(record, e.getMessage());
            } catch (Exception sendFailed) {
                // never lose a command silently: without its dead letter it stays uncommitted
                log.error("dead-lettering {}@{} failed: {}", tp, record.offset(), sendFailed.toString());
                acks.awaitingRedelivery(tp, record.offset());
                seekBack(tp, record.offset());
                return;
            }
            acks.done(tp, record.offset());
            return;
        }
        String correlationId = CloudEvents.read(name -> lastHeader(record, name), CloudEvents.CORRELATION_ID);
        slots.start(() -> {
            JobOutcome outcome = runner.run(command, correlationId);
            if (outcome == JobOutcome.ACK) {
                acks.done(tp, record.offset());
            } else {
                acks.awaitingRedelivery(tp, record.offset());
                seekBack(tp, record.offset());
            }
        });
    }

    private BackupRequested parse(ConsumerRecord<String, byte[]> record) throws PoisonException {
        String ceType = CloudEvents.read(name -> lastHeader(record, name), CloudEvents.TYPE);
        if (ceType == null) {
            throw new PoisonException("no ce_type header");
        }
        if (!MessageTypes.BACKUP_REQUESTED.ceType().equals(ceType)) {
            throw new PoisonException(MessageTypes.byCeType(ceType).isPresent()
                    ? "ce_type " + ceType + " does not belong on " + record.topic() : "unknown ce_type " + ceType);
        }
        if (record.value() == null) {
            throw new PoisonException("empty value");
        }
        BackupRequested command;
        try {
            command = json.readValue(record.value(), BackupRequested.class);
        } catch (JacksonException e) {
            throw new PoisonException("value is not a valid " + ceType + ": " + e.getOriginalMessage());
        }
        if (command == null || command.jobId() == null) {
            throw new PoisonException("the command has no jobId");
        }
        return command;
    }

    private static Object lastHeader(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }

    /** Queued by the container and performed on the consumer thread at its next poll. */
    private void seekBack(TopicPartition tp, long offset) {
        var callbacks = getSeekCallbacksFor(tp);
        if (callbacks == null || callbacks.isEmpty()) {
            log.info("{} is no longer ours; its new owner will receive offset {}", tp, offset);
            return;
        }
        for (ConsumerSeekAware.ConsumerSeekCallback callback : callbacks) {
            callback.seek(tp.topic(), tp.partition(), offset);
        }
        log.info("offset {} of {} handed back to Kafka for redelivery", offset, tp);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(acks::forget);
        super.onPartitionsRevoked(partitions);
    }

    int pendingAcks() {
        return acks.pending();
    }

    private static final class PoisonException extends Exception {
        PoisonException(String reason) {
            super(reason);
        }
    }
}
