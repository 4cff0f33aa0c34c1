package io.databasement.catalog.messaging;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Sends a poison message, byte for byte, to {@code error.<topic>.<group>} with the reason in header
 * {@code dbm_error_reason}, so the consumer can move on. Own byte[] producer: the outbox's template
 * serializes JSON, and a bean here would make Boot's producer factory back off.
 *
 * <p>Counter {@code dbm.dead.letters{topic}}, {@code topic} being the original topic (the dead-letter topic is
 * {@code error.<topic>.<group>}): the records sent here, and those the binder dead-letters itself
 * ({@link BinderDeadLetters}).
 */
@Component
public class DeadLetters implements DisposableBean {

    public static final String REASON = "dbm_error_reason";
    public static final String ORIGINAL_TOPIC = "dbm_original_topic";
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Map<String, Object> config;
    private final String group;
    private final MeterRegistry meters;
    private volatile Producer<byte[], byte[]> producer;

    DeadLetters(KafkaProperties kafka, org.springframework.core.env.Environment env, MeterRegistry meters) {
        this.meters = meters;
        this.config = kafka.buildProducerProperties();
        this.group = env.getRequiredProperty("spring.application.name");
    }

    public String topicFor(String topic) {
        return Topics.deadLetter(topic, group);
    }

    /** Blocks until the broker has it: the caller commits the offset right after. */
    public void send(InboundMessage message, String reason) {
        String target = topicFor(message.topic());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(target, null, message.key(), message.value(),
                List.of(new RecordHeader(REASON, bytes(reason)), new RecordHeader(ORIGINAL_TOPIC, bytes(message.topic()))));
        for (String name : List.of(CloudEvents.ID, CloudEvents.TYPE, CloudEvents.SOURCE, CloudEvents.TIME)) {
            String value = CloudEvents.read(message.headers()::get, name);
            if (value != null) {
                record.headers().add(name, bytes(value));
            }
        }
        try {
            producer().send(record).get(30, TimeUnit.SECONDS);
            count(message.topic());
            log.warn("dead-lettered a message from {} (ce_id {}) to {}: {}", message.topic(), message.ceId(), target, reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            // let the binder retry the original: losing a poison message silently is worse than a retry
            throw new IllegalStateException("could not dead-letter to " + target, e);
        }
    }

    /** One more record of {@code topic} went to its dead-letter topic. */
    void count(String topic) {
        Counter.builder("dbm.dead.letters").description("records sent to a dead-letter topic, by original topic")
                .tag("topic", topic).register(meters).increment();
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
                }
            }
        }
        return producer;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void destroy() {
        if (producer != null) {
            producer.close();
        }
    }
}
