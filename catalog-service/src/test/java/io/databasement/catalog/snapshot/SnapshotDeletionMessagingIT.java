package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.TestDatabase;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.StorageDeleteRequested;
import io.databasement.contracts.StorageObjectDeleted;
import io.databasement.contracts.SnapshotDeleted;
import io.databasement.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deletion over a real broker: the outbox puts the storage command on {@code dbm.storage.commands}, the sweep
 * sends it again while storage is silent, and storage's report removes the record with a public
 * {@code snapshot.deleted}.
 */
@SpringBootTest(properties = {
        "dbm.seal-key=" + CatalogTestSupport.SEAL_KEY,
        "dbm.service-token=" + CatalogTestSupport.TOKEN,
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "spring.cloud.stream.kafka.binder.brokers=${spring.embedded.kafka.brokers}",
        "dbm.catalog.deletion.sweep-interval=PT0.5S",
        "dbm.catalog.deletion.first-retry=1s",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.kafka=WARN",
        "logging.level.state.change.logger=WARN",
})
@EmbeddedKafka
@AutoConfigureMockMvc
@DirtiesContext
class SnapshotDeletionMessagingIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Autowired
    MockMvc mvc;
    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EmbeddedKafkaBroker broker;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    @Test
    void aDeletionIsSentToStorageUntilItConfirmsThenTheRecordGoesWithAPublicEvent() throws Exception {
        UUID id = completedSnapshot("srv/shop/srv-shop-2026-11-25-120000-abcd1234.sql.zst");

        mvc.perform(delete("/api/v1/snapshots/" + id)).andReturn();

        List<ConsumerRecord<byte[], byte[]>> commands = records(Topics.STORAGE_COMMANDS, id, 2);
        ConsumerRecord<byte[], byte[]> command = commands.get(0);
        assertThat(header(command, CloudEvents.TYPE)).isEqualTo(MessageTypes.STORAGE_DELETE_REQUESTED.ceType());
        assertThat(header(command, CloudEvents.SOURCE)).isEqualTo("/catalog-service");
        StorageDeleteRequested sent = json.readValue(command.value(), StorageDeleteRequested.class);
        assertThat(sent.requestId()).isEqualTo(id);
        assertThat(sent.objectKey()).isEqualTo("srv/shop/srv-shop-2026-11-25-120000-abcd1234.sql.zst");
        assertThat(sent.reason()).isEqualTo(SnapshotDeletions.BY_HAND);
        // storage said nothing: the sweep sent it again, as a new message
        assertThat(header(commands.get(1), CloudEvents.ID)).isNotEqualTo(header(command, CloudEvents.ID));

        StorageObjectDeleted report = new StorageObjectDeleted(id, sent.volumeId(), sent.objectKey(), true, Instant.now());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.STORAGE_REPORTS, id.toString().getBytes(StandardCharsets.UTF_8),
                json.writeValueAsBytes(report));
        CloudEvents.headers(MessageTypes.STORAGE_OBJECT_DELETED, "/storage-service", id.toString(), null)
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record).get();
        }

        await().atMost(WAIT).until(() -> mvc.perform(get("/api/v1/snapshots/" + id)).andReturn().getResponse().getStatus() == 404);
        ConsumerRecord<byte[], byte[]> event = records(Topics.SNAPSHOT_EVENTS, id, 1).stream()
                .filter(r -> MessageTypes.SNAPSHOT_DELETED.ceType().equals(header(r, CloudEvents.TYPE))).findFirst().orElseThrow();
        SnapshotDeleted deleted = json.readValue(event.value(), SnapshotDeleted.class);
        assertThat(deleted.snapshotId()).isEqualTo(id);
        assertThat(deleted.objectKey()).isEqualTo(sent.objectKey());
        assertThat(deleted.serverName()).isEqualTo("srv-del");
        assertThat(header(event, CloudEvents.SUBJECT)).isEqualTo(id.toString());
    }

    UUID completedSnapshot(String objectKey) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                        insert into snapshots (id, server_name, database_name, volume_id, volume_name, volume_location,
                            compression, compression_level, status, created_at, started_at, completed_at, size_bytes,
                            raw_size_bytes, sha256, object_key, version)
                        values (?, 'srv-del', 'shop', ?, 'vol', '/var/backups', 'zstd', 3, 'COMPLETED', ?, ?, ?, 10, 20, ?, ?, 1)""")
                .params(id, UUID.randomUUID(), now, now, now, "ab".repeat(32), objectKey).update();
        return id;
    }

    /** Records keyed {@code id} on {@code topic}, once at least {@code atLeast} arrived. */
    List<ConsumerRecord<byte[], byte[]>> records(String topic, UUID id, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        Predicate<ConsumerRecord<byte[], byte[]>> ours = r -> r.key() != null && id.toString().equals(new String(r.key(), StandardCharsets.UTF_8));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(WAIT).until(() -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (found.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    if (ours.test(r)) {
                        found.add(r);
                    }
                });
            }
        }
        assertThat(found).as("records keyed %s on %s", id, topic).hasSizeGreaterThanOrEqualTo(atLeast);
        return found;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name)).map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse(null);
    }
}
