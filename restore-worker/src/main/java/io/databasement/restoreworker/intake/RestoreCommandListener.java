package io.databasement.restoreworker.intake;

import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreJobRequested;
import io.databasement.contracts.Topics;
import io.databasement.restoreworker.job.RestoreJobRunner;
import io.databasement.worker.trace.JobTracing;
import io.databasement.worker.intake.CommandIntake;
import io.databasement.worker.intake.DeadLetters;
import io.databasement.worker.intake.JobSlots;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import tools.jackson.databind.json.JsonMapper;

/** Restore commands off Kafka, each to a job slot (see {@link CommandIntake}). */
public class RestoreCommandListener extends CommandIntake<RestoreJobRequested> {

    public static final String GROUP = "restore-worker";
    public static final String LISTENER_ID = "restore-commands";

    RestoreCommandListener(JsonMapper json, RestoreJobRunner runner, JobSlots slots, DeadLetters deadLetters, JobTracing tracing) {
        super(MessageTypes.RESTORE_JOB_REQUESTED, RestoreJobRequested::jobId, json, runner::run, slots, deadLetters, tracing, "restore job");
    }

    @KafkaListener(id = LISTENER_ID, topics = Topics.RESTORE_COMMANDS, groupId = GROUP)
    public void onCommand(ConsumerRecord<String, byte[]> record, Acknowledgment ack) {
        take(record, ack);
    }
}
