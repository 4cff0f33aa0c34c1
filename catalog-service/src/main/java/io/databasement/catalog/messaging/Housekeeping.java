package io.databasement.catalog.messaging;

import io.databasement.catalog.CatalogProperties;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Outbox and idempotency upkeep. Safe on every replica at once: deletes are idempotent, and a message sent
 * twice carries the same {@code ce_id} (workers drop the second one when their claim is refused).
 */
@Component
public class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final ProcessedMessages processed;
    private final CompletedEventPublications completed;
    private final IncompleteEventPublications incomplete;
    private final Duration retention;
    private final Clock clock;

    Housekeeping(ProcessedMessages processed, CompletedEventPublications completed, IncompleteEventPublications incomplete,
                 CatalogProperties properties, Clock clock) {
        this.processed = processed;
        this.completed = completed;
        this.incomplete = incomplete;
        this.retention = properties.catalog().retention();
        this.clock = clock;
    }

    /**
     * Sends again what the relay could not send (Kafka was down at commit time); without this, such a
     * command would wait for the next restart ({@code republish-outstanding-events-on-restart}).
     */
    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
    public void resendOutbox() {
        incomplete.resubmitIncompletePublicationsOlderThan(Duration.ofMinutes(1));
    }

    /** Keeps the idempotency and outbox tables from growing forever (progress adds a row every 2 s per job). */
    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    public void purge() {
        int ids = processed.deleteOlderThan(clock.instant().minus(retention));
        completed.deletePublicationsOlderThan(retention);
        log.info("housekeeping: forgot {} processed message id(s) older than {}", ids, retention);
    }
}
