package io.databasement.restoreworker.intake;

import io.databasement.worker.intake.DeadLetters;
import io.databasement.worker.intake.JobSlots;
import io.databasement.restoreworker.WorkerProperties;
import io.databasement.restoreworker.load.ArtifactLoader;
import io.databasement.restoreworker.verify.ScratchVerifier;
import io.databasement.restoreworker.job.RestoreJobRunner;
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
        return JobSlots.pausingListener(properties.slots(), "restore-job-", registry, RestoreCommandListener.LISTENER_ID);
    }

    @Bean
    RestoreCommandListener restoreCommandListener(JsonMapper json, RestoreJobRunner runner, JobSlots slots,
                                                KafkaTemplate<String, byte[]> kafka, WorkerProperties properties) {
        return new RestoreCommandListener(json, runner, slots, new DeadLetters(kafka, RestoreCommandListener.GROUP, properties.reportTimeout()));
    }

    /** Stops running restore tools when the worker stops; their commands stay uncommitted and are delivered again. */
    @Bean
    DisposableBean jobShutdown(JobSlots slots, ArtifactLoader loader, ScratchVerifier verifier) {
        return () -> {
            loader.killAll();
            verifier.killAll();
            slots.shutdown(10_000);
        };
    }
}
