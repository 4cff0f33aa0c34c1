package io.databasement.backupworker.intake;

import io.databasement.worker.intake.DeadLetters;
import io.databasement.worker.intake.JobSlots;
import io.databasement.backupworker.WorkerProperties;
import io.databasement.backupworker.dump.DumpStreamer;
import io.databasement.backupworker.job.BackupJobRunner;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

    @Bean
    JobSlots jobSlots(WorkerProperties properties, KafkaListenerEndpointRegistry registry) {
        return JobSlots.pausingListener(properties.slots(), "backup-job-", registry, BackupCommandListener.LISTENER_ID);
    }

    @Bean
    BackupCommandListener backupCommandListener(JsonMapper json, BackupJobRunner runner, JobSlots slots,
                                                KafkaTemplate<String, byte[]> kafka, WorkerProperties properties) {
        return new BackupCommandListener(json, runner, slots, new DeadLetters(kafka, BackupCommandListener.GROUP, properties.reportTimeout()));
    }

    /** Stops running dumps when the worker stops; their commands stay uncommitted and are delivered again. */
    @Bean
    DisposableBean jobShutdown(JobSlots slots, DumpStreamer streamer) {
        return () -> {
            streamer.killAll();
            slots.shutdown(10_000);
        };
    }
}
