package io.databasement.catalog.messaging;

import java.util.function.Consumer;
import org.springframework.messaging.Message;

/**
 * Builds the Spring Cloud Stream consumers of the features: a poison message is dead-lettered with its
 * reason and the consumer moves on; any other failure propagates, so the binder retries it (and
 * dead-letters it when the retries are spent).
 */
public final class Inbound {

    public static Consumer<Message<byte[]>> consumer(String topic, Consumer<InboundMessage> apply, DeadLetters deadLetters) {
        return message -> {
            InboundMessage inbound = InboundMessage.of(topic, message);
            try {
                apply.accept(inbound);
            } catch (PoisonMessageException e) {
                deadLetters.send(inbound, e.getMessage());
            }
        };
    }

    private Inbound() {
    }
}
