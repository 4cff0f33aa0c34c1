package io.databasement.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.cloud.stream.binder.kafka.utils.DlqPartitionFunction;
import org.springframework.mock.env.MockEnvironment;

/** What the binder dead-letters itself is counted by the original topic, and still goes to the original partition. */
class DeadLettersTests {

    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final DeadLetters deadLetters = new DeadLetters(new KafkaProperties(),
            new MockEnvironment().withProperty("spring.application.name", "catalog-service"), meters);

    @Test
    void aRecordTheBinderDeadLettersIsCountedUnderItsTopicAndKeepsItsPartition() {
        DlqPartitionFunction function = new BinderDeadLetters().countingDlqPartitionFunction(deadLetters);

        Integer partition = function.apply("catalog-service",
                new ConsumerRecord<>("dbm.backup.reports", 2, 17L, new byte[0], new byte[0]), new IllegalStateException("db down"));
        function.apply("catalog-service", new ConsumerRecord<>("dbm.backup.reports", 0, 18L, new byte[0], new byte[0]),
                new IllegalStateException("db down"));

        assertThat(partition).isEqualTo(2);
        assertThat(meters.get("dbm.dead.letters").tag("topic", "dbm.backup.reports").counter().count()).isEqualTo(2);
        assertThat(meters.find("dbm.dead.letters").tag("topic", "dbm.volumes").counter()).isNull();
        assertThat(meters.scrape()).contains("dbm_dead_letters_total{topic=\"dbm.backup.reports\"} 2.0");
    }
}
