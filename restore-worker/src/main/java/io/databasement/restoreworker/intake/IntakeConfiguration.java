package io.databasement.restoreworker.intake;

import io.databasement.worker.intake.DeadLetters;
import io.databasement.worker.intake.IntakeSupport;
import io.databasement.worker.intake.JobSlots;
import io.databasement.restoreworker.WorkerProperties;
import io.databasement.restoreworker.load.ArtifactLoader;
import io.databasement.restoreworker.verify.ScratchVerifier;
import io.databasement.restoreworker.job.RestoreJobRunner;
import io.databasement.contracts.JobCancelRequested;
import io.databasement.worker.cancel.CancelListener;
import io.databasement.worker.cancel.RunningJobs;
import io.databasement.worker.trace.JobTracing;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@Import(IntakeSupport.class)
class IntakeConfiguration {

    @Bean
    JobSlots jobSlots(WorkerProperties properties, KafkaListenerEndpointRegistry registry) {
        return JobSlots.pausingListener(properties.slots(), "restore-job-", registry, RestoreCommandListener.LISTENER_ID);
    }

    @Bean
    RestoreCommandListener restoreCommandListener(JsonMapper json, RestoreJobRunner runner, JobSlots slots,
                                                KafkaTemplate<String, byte[]> kafka, WorkerProperties properties,
                                                JobTracing tracing) {
        return new RestoreCommandListener(json, runner, slots, new DeadLetters(kafka, RestoreCommandListener.GROUP, properties.reportTimeout()),
                tracing);
    }

    @Bean
    RunningJobs runningJobs() {
        return new RunningJobs();
    }

    /** Every restore-worker process hears every cancel (a group of its own); the one running the job stops it. */
    @Bean
    KafkaMessageListenerContainer<String, byte[]> cancellations(KafkaProperties kafka, RunningJobs running, JsonMapper json,
                                                               KafkaTemplate<String, byte[]> template, WorkerProperties properties,
                                                               @Value("${spring.application.name}") String application) {
        return CancelListener.container(kafka.buildConsumerProperties(), application, JobCancelRequested.RESTORE, running, json,
                template, properties.reportTimeout());
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
