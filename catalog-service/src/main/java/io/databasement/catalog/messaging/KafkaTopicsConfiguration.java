package io.databasement.catalog.messaging;

import io.databasement.catalog.CatalogProperties;
import io.databasement.contracts.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** The topics the catalog writes or reads, declared so that whoever starts first creates them right. */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfiguration {

    @Bean
    KafkaAdmin.NewTopics catalogTopics(CatalogProperties properties, Environment env) {
        int replicas = properties.catalog().topicReplication();
        String group = env.getRequiredProperty("spring.application.name");
        return new KafkaAdmin.NewTopics(
                topic(Topics.BACKUP_COMMANDS, replicas),
                topic(Topics.BACKUP_REPORTS, replicas),
                topic(Topics.SNAPSHOT_EVENTS, replicas),
                topic(Topics.RESTORE_COMMANDS, replicas),
                topic(Topics.RESTORE_REPORTS, replicas),
                topic(Topics.RESTORE_REQUESTS, replicas),
                topic(Topics.RESTORE_EVENTS, replicas),
                topic(Topics.STORAGE_COMMANDS, replicas),
                topic(Topics.STORAGE_REPORTS, replicas),
                topic(Topics.SCHEDULE_EVENTS, replicas),
                topic(Topics.JOB_CANCELLATIONS, replicas),
                // storage-service owns dbm.volumes and creates it with 1 partition. KafkaAdmin only ever adds
                // partitions, and adding some to a compacted topic strands old keys: so declare 1 here too (if we
                // start first it must still be compacted, or the binder would create it as a plain topic)
                TopicBuilder.name(Topics.VOLUMES).partitions(1).replicas(replicas)
                        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT).build(),
                topic(Topics.deadLetter(Topics.BACKUP_REPORTS, group), replicas),
                topic(Topics.deadLetter(Topics.VOLUMES, group), replicas),
                topic(Topics.deadLetter(Topics.RESTORE_REPORTS, group), replicas),
                topic(Topics.deadLetter(Topics.RESTORE_REQUESTS, group), replicas),
                topic(Topics.deadLetter(Topics.STORAGE_REPORTS, group), replicas));
    }

    private static NewTopic topic(String name, int replicas) {
        return TopicBuilder.name(name).partitions(Topics.PARTITIONS).replicas(replicas).build();
    }
}
