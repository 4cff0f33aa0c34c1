package io.databasement.gateway.events;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.databasement.contracts.Topics;
import io.databasement.gateway.audit.AuditLog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's two Kafka consumers; off with {@code dbm.gateway.events.enabled=false}.
 * <ul>
 * <li>Live status: a broadcast consumer. Its group is unique to this gateway process, so every replica sees every
 *     record; it starts at the latest offset (a stream shows what happens from now on) and commits nothing.</li>
 * <li>Audit: one group shared by all replicas ({@value #AUDIT_GROUP}), from the earliest offset with committed
 *     offsets, so each answer to a Kafka restore request is audited by one replica, and none is missed while the
 *     gateways are down.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "dbm.gateway.events", name = "enabled", havingValue = "true", matchIfMissing = true)
class EventsKafkaConfiguration {

    static final String AUDIT_GROUP = "dbm-gateway-audit";
    /** The audit database may be away for a while: retry an entry for up to this long before giving it up (logged). */
    static final Duration AUDIT_RETRY_FOR = Duration.ofMinutes(30);

    @Bean
    KafkaMessageListenerContainer<String, byte[]> liveEventsContainer(KafkaProperties kafka, LiveEvents events,
                                                                      EventHub hub,
                                                                      @Value("${spring.application.name}") String app) {
        ContainerProperties container = new ContainerProperties(Topics.SNAPSHOT_EVENTS, Topics.RESTORE_EVENTS,
                Topics.BACKUP_REPORTS, Topics.RESTORE_REPORTS);
        container.setGroupId(app + "-live-" + UUID.randomUUID());
        // nothing ever acknowledges: a group nobody will resume has no use for committed offsets
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
        container.setMessageListener(new LiveEventsListener(events, hub));
        return new KafkaMessageListenerContainer<>(consumers(kafka, "latest"), container);
    }

    @Bean
    KafkaMessageListenerContainer<String, byte[]> restoreRequestAuditContainer(KafkaProperties kafka, JsonMapper json,
                                                                               AuditLog audit) {
        ContainerProperties container = new ContainerProperties(Topics.RESTORE_EVENTS);
        container.setGroupId(AUDIT_GROUP);
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setMessageListener(new RestoreRequestAudit(json, audit));
        KafkaMessageListenerContainer<String, byte[]> listener =
                new KafkaMessageListenerContainer<>(consumers(kafka, "earliest"), container);
        ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2);
        backOff.setMaxInterval(60_000);
        backOff.setMaxElapsedTime(AUDIT_RETRY_FOR.toMillis());
        listener.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return listener;
    }

    private static DefaultKafkaConsumerFactory<String, byte[]> consumers(KafkaProperties kafka, String offsetReset) {
        Map<String, Object> properties = kafka.buildConsumerProperties();
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new DefaultKafkaConsumerFactory<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
