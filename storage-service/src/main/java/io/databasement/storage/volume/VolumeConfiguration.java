package io.databasement.storage.volume;

import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.Topics;
import io.databasement.storage.StorageProperties;
import java.time.Clock;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
class VolumeConfiguration {

    @Bean
    SecretSealer secretSealer(StorageProperties properties) {
        return new SecretSealer(properties.sealKey());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Compacted: the latest state per volume id is all a reader needs. Replication: the broker's default. */
    @Bean
    NewTopic volumesTopic() {
        return TopicBuilder.name(Topics.VOLUMES).partitions(1).compact().build();
    }
}
