package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic the way another team's plain Kafka client would. */
final class TopicRecords {

    /** Every record on a topic, keys, headers and values as text; there must be some. */
    static List<String> all(String topic) {
        List<String> records = read(topic);
        assertThat(records).as("records on %s", topic).isNotEmpty();
        return records;
    }

    /** Every record on a topic, keys, headers and values as text; none is fine. */
    static List<String> read(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.get().kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long idleSince = System.nanoTime();
            while (System.nanoTime() - idleSince < Duration.ofSeconds(3).toNanos()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    idleSince = System.nanoTime();
                    StringBuilder text = new StringBuilder(String.valueOf(record.key())).append(' ');
                    for (Header header : record.headers()) {
                        text.append(header.key()).append('=').append(new String(header.value(), StandardCharsets.UTF_8)).append(' ');
                    }
                    records.add(text.append(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8)).toString());
                }
            }
        }
        return records;
    }

    private TopicRecords() {
    }
}
