package io.databasement.catalog.messaging;

import org.springframework.cloud.stream.binder.kafka.utils.DlqPartitionFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Counts the records the Kafka binder dead-letters itself ({@code enable-dlq}: what still fails after
 * {@code max-attempts}, e.g. while the database is down) in {@code dbm.dead.letters{topic}}. The binder has no
 * listener for that; it asks this function, once per record it dead-letters and just before sending it, which
 * partition of the dead-letter topic to use. The answer is the binder's own default without
 * {@code dlq-partitions}: the record's original partition. A send that then fails has been counted too.
 */
@Configuration(proxyBeanMethods = false)
class BinderDeadLetters {

    @Bean
    DlqPartitionFunction countingDlqPartitionFunction(DeadLetters deadLetters) {
        return (group, record, exception) -> {
            deadLetters.count(record.topic());
            return record.partition();
        };
    }
}
