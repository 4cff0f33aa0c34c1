package io.databasement.storage.deletion;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.StorageDeleteRequested;
import io.databasement.contracts.Topics;
import io.databasement.worker.intake.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes the catalog's storage commands. A record the listener returns from is committed; one it throws for
 * (the backend is failing) is sought back and retried by {@link DeletionConfiguration#deleteRetries}, so no
 * command is lost while S3 or the disk is away.
 */
@Component
class DeleteCommandListener {

    static final String GROUP = "storage-service";
    static final String LISTENER_ID = "storage-commands";
    private static final Logger log = LoggerFactory.getLogger(DeleteCommandListener.class);

    private final ObjectDeletions deletions;
    private final DeadLetters deadLetters;
    private final JsonMapper json;

    DeleteCommandListener(ObjectDeletions deletions, DeadLetters deadLetters, JsonMapper json) {
        this.deletions = deletions;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @KafkaListener(id = LISTENER_ID, topics = Topics.STORAGE_COMMANDS, groupId = GROUP)
    void onCommand(ConsumerRecord<String, byte[]> record) throws Exception {
        StorageDeleteRequested command;
        try {
            command = parse(record);
        } catch (PoisonCommand e) {
            log.warn("storage command at {}-{}@{} is unusable ({}): dead-lettered", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            // a failed dead-letter send throws: the record stays uncommitted and comes back
            deadLetters.send(record, e.getMessage());
            return;
        }
        deletions.delete(command);
    }

    /** The backend kept failing for the whole retry budget: tell the catalog, which asks again later. */
    void giveUp(ConsumerRecord<?, ?> record, Exception failure) {
        @SuppressWarnings("unchecked")
        StorageDeleteRequested command = parse((ConsumerRecord<String, byte[]>) record);
        deletions.gaveUp(command, rootMessage(failure));
    }

    StorageDeleteRequested parse(ConsumerRecord<String, byte[]> record) {
        String ceType = CloudEvents.read(name -> lastHeader(record, name), CloudEvents.TYPE);
        if (!MessageTypes.STORAGE_DELETE_REQUESTED.ceType().equals(ceType)) {
            throw new PoisonCommand("unknown ce_type '" + ceType + "' on " + record.topic());
        }
        if (record.value() == null) {
            throw new PoisonCommand("a command without a value");
        }
        StorageDeleteRequested command;
        try {
            command = json.readValue(record.value(), StorageDeleteRequested.class);
        } catch (JacksonException e) {
            throw new PoisonCommand("the value is not a valid StorageDeleteRequested: " + e.getOriginalMessage());
        }
        if (command == null || command.requestId() == null || command.volumeId() == null || command.objectKey() == null) {
            throw new PoisonCommand("requestId, volumeId and objectKey are required");
        }
        return command;
    }

    private static Object lastHeader(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : header.value();
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    static final class PoisonCommand extends RuntimeException {
        PoisonCommand(String reason) {
            super(reason);
        }
    }
}
