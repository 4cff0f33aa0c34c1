package io.databasement.gateway.events;

import io.databasement.contracts.CloudEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reads the CloudEvents headers of a plain Kafka record (byte[] values). */
final class KafkaHeaders {

    /** The last value of a header, or null if absent. */
    static String read(ConsumerRecord<?, ?> record, String name) {
        return CloudEvents.read(n -> {
            Header header = record.headers().lastHeader(n);
            return header == null ? null : header.value();
        }, name);
    }

    private KafkaHeaders() {
    }
}
