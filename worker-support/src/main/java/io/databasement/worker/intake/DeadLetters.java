package io.databasement.worker.intake;

import io.databasement.contracts.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Poison commands go to {@code error.<topic>.<group>}, untouched, with the reason in {@code dbm_error_reason}; each
 * one counts in {@code dbm_dead_letters_total{topic}}.
 */
public final class DeadLetters {

    public static final String REASON_HEADER = "dbm_error_reason";

    private final KafkaTemplate<String, byte[]> kafka;
    private final String group;
    private final Duration timeout;

    /** @param group the consumer group whose poison this is (part of the dead-letter topic's name) */
    public DeadLetters(KafkaTemplate<String, byte[]> kafka, String group, Duration timeout) {
        this.kafka = kafka;
        this.group = group;
        this.timeout = timeout;
    }

    public void send(ConsumerRecord<String, byte[]> poison, String reason) throws Exception {
        ProducerRecord<String, byte[]> out = new ProducerRecord<>(Topics.deadLetter(poison.topic(), group),
                poison.key(), poison.value());
        for (Header h : poison.headers()) {
            out.headers().add(h.key(), h.value());
        }
        out.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        kafka.send(out).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        // on the global registry, which Spring Boot binds its own to: the cancel listeners build theirs outside the context
        Counter.builder("dbm.dead.letters")
                .description("Records sent to a dead-letter topic, by the topic they came from")
                .tag("topic", poison.topic())
                .register(Metrics.globalRegistry)
                .increment();
    }
}
