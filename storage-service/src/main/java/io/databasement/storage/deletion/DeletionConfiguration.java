package io.databasement.storage.deletion;

import io.databasement.contracts.Topics;
import io.databasement.storage.StorageProperties;
import io.databasement.worker.intake.DeadLetters;
import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class DeletionConfiguration {

    /**
     * A delete that fails (S3 or the disk is away) is sought back and tried again after 1 s, 2 s, ... up to
     * {@code delete-retry.max-interval} apart, with the offset uncommitted. The cap bounds how long other
     * partitions of this consumer wait; after {@code delete-retry.give-up-after} the command is reported as
     * failed (retryable) and committed, and the catalog's deletion sweep sends it again later.
     * Boot applies this handler to the listener container factory.
     */
    @Bean
    DefaultErrorHandler deleteRetries(StorageProperties properties, DeleteCommandListener listener) {
        StorageProperties.DeleteRetry retry = properties.deleteRetry();
        ExponentialBackOff backOff = new ExponentialBackOff(retry.firstInterval().toMillis(), 2.0);
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxElapsedTime(retry.giveUpAfter().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(listener::giveUp, backOff);
        handler.setLogLevel(org.springframework.kafka.KafkaException.Level.WARN);
        return handler;
    }

    @Bean
    DeadLetters storageDeadLetters(KafkaTemplate<String, byte[]> kafka) {
        return new DeadLetters(kafka, DeleteCommandListener.GROUP, Duration.ofSeconds(30));
    }

    /** Created in the background with {@code dbm.volumes} (the admin's startup auto-create is off). */
    @Bean
    KafkaAdmin.NewTopics storageTopics() {
        return new KafkaAdmin.NewTopics(
                topic(Topics.STORAGE_COMMANDS),
                topic(Topics.STORAGE_REPORTS),
                topic(Topics.deadLetter(Topics.STORAGE_COMMANDS, DeleteCommandListener.GROUP)));
    }

    private static NewTopic topic(String name) {
        return TopicBuilder.name(name).partitions(Topics.PARTITIONS).build();
    }
}
