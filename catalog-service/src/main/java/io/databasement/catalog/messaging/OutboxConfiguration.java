package io.databasement.catalog.messaging;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.SimpleKafkaHeaderMapper;
import org.springframework.kafka.support.converter.ByteArrayJacksonJsonMessageConverter;
import org.springframework.kafka.support.converter.RecordMessageConverter;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox relay: Spring Modulith externalizes every {@link OutboxMessage} to its type's topic, keyed by
 * {@link OutboxMessage#key()}, with the contracts record as JSON value and exactly the CloudEvents headers
 * of {@code CloudEvents.headers(...)} as plain UTF-8 strings, plus the job's {@code traceparent} on commands.
 */
@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

    static final String SOURCE = "/catalog-service";

    @Bean
    EventExternalizationConfiguration eventExternalization() {
        return EventExternalizationConfiguration.externalizing()
                .select(event -> event instanceof OutboxMessage)
                .routeAll(event -> {
                    OutboxMessage message = (OutboxMessage) event;
                    return RoutingTarget.forTarget(message.messageType().topic()).andKey(message.key());
                })
                // Modulith computes headers from the mapped payload, which no longer knows the stored ce_id:
                // so the mapping builds the whole Message (Modulith's Kafka externalizer sends a Message as is)
                .mapping(OutboxMessage.class, message -> MessageBuilder.withPayload(message.payload())
                        .copyHeaders(message.headers())
                        .build())
                .build();
    }

    /**
     * Used by the KafkaTemplate Modulith sends with: JSON value bytes, and a header mapper that writes our
     * String headers as raw UTF-8 and adds nothing of its own (no {@code spring_json_header_types}, no
     * {@code __TypeId__}), so the record carries only the CloudEvents headers.
     */
    @Bean
    RecordMessageConverter outboxMessageConverter(JsonMapper json) {
        SimpleKafkaHeaderMapper headers = new SimpleKafkaHeaderMapper();
        headers.setMapAllStringsOut(true);
        ByteArrayJacksonJsonMessageConverter converter = new ByteArrayJacksonJsonMessageConverter(json) {
            @Override
            protected Headers initialRecordHeaders(Message<?> message) {
                // the JSON converter would start with a __TypeId__ header (a Java class name): consumers go by ce_type
                return new RecordHeaders();
            }
        };
        converter.setHeaderMapper(headers);
        return converter;
    }
}
