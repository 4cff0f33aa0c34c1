package io.databasement.storage.deletion;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Publishes storage reports on {@code dbm.storage.reports}, waiting for the broker: the command is committed after. */
@Component
class StorageReports {

    static final String SOURCE = "/storage-service";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    StorageReports(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    void send(UUID requestId, Object report) {
        var type = MessageTypes.of(report.getClass());
        String key = requestId.toString();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(type.topic(), key, json.writeValueAsBytes(report));
        CloudEvents.headers(type, SOURCE, key, null)
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try {
            kafka.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reporting " + type.ceType(), e);
        } catch (Exception e) {
            // the command is retried: deleting again is harmless, and the catalog then hears about it
            throw new IllegalStateException("could not report " + type.ceType() + " for " + key, e);
        }
    }
}
