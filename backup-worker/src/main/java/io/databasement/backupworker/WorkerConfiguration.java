package io.databasement.backupworker;

import io.databasement.worker.catalog.AttemptClaims;
import io.databasement.worker.catalog.CatalogClient;
import io.databasement.backupworker.dump.DumpStreamer;
import io.databasement.backupworker.job.BackupJobRunner;
import io.databasement.worker.report.ReportPublisher;
import io.databasement.backupworker.storage.ArtifactSink;
import io.databasement.worker.http.InternalHttp;
import io.databasement.worker.resilience.ServiceCalls;
import io.databasement.backupworker.storage.StorageServiceClient;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.Topics;
import io.databasement.engines.Engines;
import io.micrometer.core.instrument.MeterRegistry;
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
    KafkaAdmin.NewTopics backupTopics(WorkerProperties properties, @Value("${spring.application.name}") String application) {
        String deadLetter = Topics.deadLetter(Topics.BACKUP_COMMANDS, io.databasement.backupworker.intake.BackupCommandListener.GROUP);
        return new KafkaAdmin.NewTopics(
                topic(Topics.BACKUP_COMMANDS, properties),
                topic(Topics.BACKUP_REPORTS, properties),
                topic(deadLetter, properties),
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
    ArtifactSink artifactSink(WorkerProperties properties, JsonMapper json, MeterRegistry meters) {
        return new StorageServiceClient(new InternalHttp(properties.storageUrl(), properties.serviceToken(), json),
                ServiceCalls.create("storage", properties.storageCalls(), meters), properties.partSize().toBytes());
    }

    @Bean
    AttemptClaims attemptClaims(WorkerProperties properties, JsonMapper json) {
        return new CatalogClient(new InternalHttp(properties.catalogUrl(), properties.serviceToken(), json), properties.claimRetryFor());
    }

    @Bean
    DumpStreamer dumpStreamer(ArtifactSink sink, WorkerProperties properties) {
        return new DumpStreamer(sink, new DumpStreamer.Settings((int) properties.partSize().toBytes(), properties.partsInFlight()));
    }

    @Bean
    ReportPublisher reportPublisher(KafkaTemplate<String, byte[]> kafka, JsonMapper json, WorkerProperties properties) {
        return new ReportPublisher(kafka, json, "/backup-worker", properties.reportTimeout());
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
    BackupJobRunner backupJobRunner(AttemptClaims claims, ArtifactSink sink, DumpStreamer streamer, ReportPublisher reports,
                                    SecretSealer sealer, ScheduledExecutorService heartbeats, WorkerProperties properties,
                                    MeterRegistry meters, RunningJobs running) {
        return new BackupJobRunner(claims, sink, streamer, reports, sealer, Engines::forType, heartbeats,
                properties.progressInterval(), meters, Clock.systemUTC(), running);
    }
}
