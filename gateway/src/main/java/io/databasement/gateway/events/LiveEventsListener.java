package io.databasement.gateway.events;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;

/** Feeds the hub from the broadcast consumer. A record it cannot read is skipped: the stream never stops for one. */
final class LiveEventsListener implements MessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(LiveEventsListener.class);

    private final LiveEvents events;
    private final EventHub hub;

    LiveEventsListener(LiveEvents events, EventHub hub) {
        this.events = events;
        this.hub = hub;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        Optional<LiveEvent> event;
        try {
            event = events.of(record);
        } catch (RuntimeException e) {
            log.debug("skipping {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        event.ifPresent(hub::publish);
    }
}
