package io.databasement.restoreworker;

import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.Topics;
import io.databasement.engines.Engines;
import io.databasement.worker.catalog.AttemptClaims;
import io.databasement.worker.catalog.CatalogClient;
import io.databasement.restoreworker.intake.RestoreCommandListener;
import io.databasement.restoreworker.job.RestoreJobRunner;
import io.databasement.restoreworker.load.ArtifactLoader;
import io.databasement.worker.report.ReportPublisher;
import io.databasement.restoreworker.storage.ArtifactSource;
import io.databasement.worker.http.InternalHttp;
import io.databasement.worker.resilience.ServiceCalls;
import io.databasement.worker.metrics.JobMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.databasement.restoreworker.storage.StorageServiceClient;
import io.databasement.restoreworker.verify.ScratchVerifier;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.NewTopic;
import io.databasement.worker.cancel.CancelListener;
import io.databasement.worker.cancel.RunningJobs;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    @Bean
    KafkaAdmin.NewTopics restoreTopics(WorkerProperties properties, @Value("${spring.application.name}") String application) {
        return new KafkaAdmin.NewTopics(
                topic(Topics.RESTORE_COMMANDS, properties),
                topic(Topics.RESTORE_REPORTS, properties),
                topic(Topics.deadLetter(Topics.RESTORE_COMMANDS, RestoreCommandListener.GROUP), properties),
                topic(Topics.JOB_CANCELLATIONS, properties),
                topic(Topics.deadLetter(Topics.JOB_CANCELLATIONS, CancelListener.deadLetterGroup(application)), properties));
    }

    private static NewTopic topic(String name, WorkerProperties properties) {
        return TopicBuilder.name(name).partitions(Topics.PARTITIONS).replicas(properties.topicReplication()).build();
    }

    @Bean
    SecretSealer secretSealer(WorkerProperties properties) {
        return new SecretSealer(properties.sealKey());
    }

    /** The {@code storage} retry and circuit breaker, on {@code /actuator/prometheus} as {@code resilience4j_*{name="storage"}}. */
    @Bean
    ArtifactSource artifactSource(WorkerProperties properties, JsonMapper json, MeterRegistry meters) {
        return new StorageServiceClient(new InternalHttp(properties.storageUrl(), properties.serviceToken(), json),
                ServiceCalls.create("storage", properties.storageCalls(), meters));
    }

    @Bean
    AttemptClaims attemptClaims(WorkerProperties properties, JsonMapper json) {
        return new CatalogClient(new InternalHttp(properties.catalogUrl(), properties.serviceToken(), json), properties.claimRetryFor());
    }

    @Bean
    ArtifactLoader artifactLoader() {
        return new ArtifactLoader();
    }

    @Bean
    ScratchVerifier scratchVerifier() {
        return new ScratchVerifier();
    }

    @Bean
    ReportPublisher reportPublisher(KafkaTemplate<String, byte[]> kafka, JsonMapper json, WorkerProperties properties) {
        return new ReportPublisher(kafka, json, "/restore-worker", properties.reportTimeout());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService heartbeats() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    RestoreJobRunner restoreJobRunner(AttemptClaims claims, ArtifactSource source, ArtifactLoader loader, ScratchVerifier verifier,
                                      ReportPublisher reports, SecretSealer sealer, ScheduledExecutorService heartbeats,
                                      WorkerProperties properties, RunningJobs running, MeterRegistry meters) {
        return new RestoreJobRunner(claims, source, loader, verifier, reports, sealer, Engines::forType, heartbeats,
                properties.progressInterval(), Clock.systemUTC(), running, new JobMetrics(meters, "restore"));
    }
}
