package io.databasement.catalog.messaging;

import io.databasement.contracts.Topics;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.MDC;
import org.springframework.messaging.Message;

/**
 * Builds the Spring Cloud Stream consumers of the features: a poison message is dead-lettered with its
 * reason and the consumer moves on; any other failure propagates, so the binder retries it (and
 * dead-letters it when the retries are spent).
 */
public final class Inbound {

    /** Topics whose records are keyed by the job they are about. */
    private static final Set<String> JOB_KEYED = Set.of(Topics.BACKUP_REPORTS, Topics.RESTORE_REPORTS);

    public static Consumer<Message<byte[]>> consumer(String topic, Consumer<InboundMessage> apply, DeadLetters deadLetters) {
        boolean keyedByJob = JOB_KEYED.contains(topic);
        return message -> {
            InboundMessage inbound = InboundMessage.of(topic, message);
            // a worker report's lines name its job beside the trace id, as the worker's own lines do
            try (MDC.MDCCloseable job = keyedByJob && inbound.key() != null ? MDC.putCloseable("jobId", inbound.keyString()) : null) {
                apply.accept(inbound);
            } catch (PoisonMessageException e) {
                deadLetters.send(inbound, e.getMessage());
            }
        };
    }

    private Inbound() {
    }
}
