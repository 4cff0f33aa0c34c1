package io.databasement.backupworker.intake;

import io.databasement.backupworker.job.BackupJobRunner;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import io.databasement.worker.trace.JobTracing;
import io.databasement.worker.intake.CommandIntake;
import io.databasement.worker.intake.DeadLetters;
import io.databasement.worker.intake.JobSlots;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.databind.json.JsonMapper;

/** Backup commands off Kafka, each to a job slot (see {@link CommandIntake}). */
public class BackupCommandListener extends CommandIntake<BackupRequested> {

    public static final String GROUP = "backup-worker";
    public static final String LISTENER_ID = "backup-commands";

    BackupCommandListener(JsonMapper json, BackupJobRunner runner, JobSlots slots, DeadLetters deadLetters, JobTracing tracing) {
        super(MessageTypes.BACKUP_REQUESTED, BackupRequested::jobId, json, runner::run, slots, deadLetters, tracing, "backup job");
    }

    @KafkaListener(id = LISTENER_ID, topics = Topics.BACKUP_COMMANDS, groupId = GROUP)
    public void onCommand(ConsumerRecord<String, byte[]> record, Acknowledgment ack) {
        take(record, ack);
    }
}
