package io.databasement.storage.volume;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps {@code dbm.volumes} (compacted, keyed by volume id) equal to the volume table: the public state
 * after each change, a tombstone after a delete, and everything again at startup and periodically, so
 * a lost send is repaired. Sends run on one background thread, in order: a REST call never waits for
 * Kafka and never fails because of it. Nothing is sent before the compacted topic is known to exist:
 * a broker that auto-creates topics would otherwise create it uncompacted on the first send.
 */
@Component
public class VolumePublisher {

    private static final Logger log = LoggerFactory.getLogger(VolumePublisher.class);
    private static final String SOURCE = "/storage-service";

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaAdmin admin;
    private final VolumeRepository volumes;
    private final JsonMapper json;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "volume-publisher");
        thread.setDaemon(true);
        return thread;
    });

    /** Only touched by the sender thread. */
    private boolean topicReady;

    public VolumePublisher(KafkaTemplate<String, byte[]> kafka, KafkaAdmin admin, VolumeRepository volumes,
                           JsonMapper json) {
        this.kafka = kafka;
        this.admin = admin;
        this.volumes = volumes;
        this.json = json;
    }

    public void publish(Volume volume) {
        sender.execute(() -> {
            if (topicReady()) {
                send(volume);
            }
        });
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(fixedDelayString = "${dbm.storage.republish-interval:PT5M}",
            initialDelayString = "${dbm.storage.republish-interval:PT5M}")
    public void republishAll() {
        sender.execute(() -> {
            try {
                if (topicReady()) {
                    volumes.findAll().forEach(this::send);
                }
            } catch (RuntimeException e) {
                log.warn("republishing volumes failed, next try in one interval: {}", e.toString());
            }
        });
    }

    /** Creates the topic (startup does not wait for Kafka: the admin's auto-create is off). */
    private boolean topicReady() {
        if (!topicReady) {
            topicReady = admin.initialize();
            if (!topicReady) {
                log.warn("Kafka is not reachable: volume states wait for the next republish");
            }
        }
        return topicReady;
    }

    private void send(Volume volume) {
        String key = volume.id().toString();
        byte[] value = volume.deleted() ? null : json.writeValueAsBytes(volume.state());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.VOLUMES, key, value);
        CloudEvents.headers(MessageTypes.VOLUME_STATE, SOURCE, key, null)
                .forEach((name, header) -> record.headers().add(name, header.getBytes(StandardCharsets.UTF_8)));
        try {
            kafka.send(record).whenComplete((result, failure) -> {
                if (failure != null) {
                    log.warn("publishing volume {} failed (the periodic republish repairs it): {}", key, failure.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("publishing volume {} failed (the periodic republish repairs it): {}", key, e.toString());
        }
    }

    @PreDestroy
    void stop() {
        sender.shutdown();
    }
}
