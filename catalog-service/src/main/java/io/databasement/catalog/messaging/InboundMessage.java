package io.databasement.catalog.messaging;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A message as it came off a topic, read defensively: headers may be byte[] or String and renamed
 * {@code ce_x → ce-x} by Spring Cloud Stream; the value may be anything, or nothing (a tombstone).
 */
public record InboundMessage(String topic, byte[] key, byte[] value, String ceId, String ceType, MessageHeaders headers) {

    public static InboundMessage of(String topic, Message<?> message) {
        MessageHeaders headers = message.getHeaders();
        Object payload = message.getPayload();
        byte[] value = payload instanceof byte[] bytes ? bytes
                : payload instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                : null; // KafkaNull or an empty Optional: a tombstone
        Object key = headers.get(KafkaHeaders.RECEIVED_KEY);
        byte[] keyBytes = key instanceof byte[] bytes ? bytes : key == null ? null : key.toString().getBytes(StandardCharsets.UTF_8);
        return new InboundMessage(topic, keyBytes, value, CloudEvents.read(headers::get, CloudEvents.ID),
                CloudEvents.read(headers::get, CloudEvents.TYPE), headers);
    }

    public boolean isTombstone() {
        return value == null;
    }

    public String keyString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public Optional<MessageType<?>> type() {
        return ceType == null ? Optional.empty() : MessageTypes.byCeType(ceType);
    }

    /**
     * @throws PoisonMessageException if the value is not the JSON of {@code type}'s record
     */
    public <T> T read(JsonMapper json, MessageType<T> type) {
        try {
            T parsed = json.readValue(value, type.payload());
            if (parsed == null) {
                throw new PoisonMessageException("the value is JSON null, not a " + type.payload().getSimpleName());
            }
            return parsed;
        } catch (JacksonException e) {
            throw new PoisonMessageException("the value is not a valid " + type.payload().getSimpleName()
                    + ": " + e.getOriginalMessage());
        }
    }
}
