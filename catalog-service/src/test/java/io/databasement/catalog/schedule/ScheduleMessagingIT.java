package io.databasement.catalog.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.TestDatabase;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.volume.Volume;
import io.databasement.catalog.volume.VolumeRepository;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.ScheduleMissed;
import io.databasement.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** {@code schedule.missed} on the wire: the outbox puts it on the public topic, keyed by schedule id. */
@SpringBootTest(properties = {
        "dbm.seal-key=" + CatalogTestSupport.SEAL_KEY,
        "dbm.service-token=" + CatalogTestSupport.TOKEN,
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}",
        "dbm.schedules.timers-enabled=false",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.kafka=WARN",
        "logging.level.state.change.logger=WARN",
})
@EmbeddedKafka
@DirtiesContext
class ScheduleMessagingIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    JsonMapper json;
    @Autowired
    ServerService servers;
    @Autowired
    VolumeRepository volumes;
    @Autowired
    ScheduleStore store;
    @Autowired
    MissedBackupWatch watch;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    @Test
    void aMissedScheduleIsPublishedOnTheScheduleEventsTopicWithCloudEventsHeaders() {
        UUID volumeId = UUID.randomUUID();
        volumes.upsert(new Volume(volumeId, "vol-" + volumeId.toString().substring(0, 8), "local", "/var/backups", Instant.now()));
        Instant armed = Instant.now().truncatedTo(ChronoUnit.MICROS).minus(Duration.ofMinutes(10));
        // every minute, 30 min grace, armed 40 min ago and never completed: missed since its first tick + 30 min
        Schedule schedule = ScheduleFixtures.schedule(ScheduleFixtures.server(servers), volumeId, List.of("shop", "crm"),
                "0 * * * * *", armed.minus(Duration.ofMinutes(30)), null, null, false, null);
        store.insert(schedule);

        assertThat(watch.check()).contains(schedule.id());

        ConsumerRecord<byte[], byte[]> record = consumeOne(Topics.SCHEDULE_EVENTS, schedule.id().toString());
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers).containsEntry(CloudEvents.TYPE, MessageTypes.SCHEDULE_MISSED.ceType())
                .containsEntry(CloudEvents.SOURCE, "/catalog-service")
                .containsEntry(CloudEvents.SUBJECT, schedule.id().toString())
                .containsKey(CloudEvents.ID);
        ScheduleMissed missed = json.readValue(record.value(), ScheduleMissed.class);
        assertThat(missed.scheduleId()).isEqualTo(schedule.id());
        assertThat(missed.scheduleName()).isEqualTo(schedule.name());
        assertThat(missed.databases()).containsExactly("shop", "crm");
        assertThat(missed.lastCompletedAt()).isNull();
        assertThat(missed.expectedBy()).isBefore(missed.detectedAt());
    }

    ConsumerRecord<byte[], byte[]> consumeOne(String topic, String key) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(WAIT).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record with key " + key + " on " + topic);
    }
}
