package io.databasement.catalog.restore;

import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.messaging.PoisonMessageException;
import io.databasement.catalog.messaging.ProcessedMessages;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreRejected;
import io.databasement.contracts.RestoreRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Public restore requests from {@code dbm.restore.requests}: checked exactly like {@code POST /api/v1/restores}
 * (same {@link RestoreOrder} and {@link RestoreService#check}), answered on {@code dbm.restore.events} with
 * accepted or rejected under the request's correlation id. Idempotent by the request's {@code ce_id}: the mark
 * and the answer are one transaction, so a re-sent request is neither a second restore nor a second answer.
 */
@Component
class RestoreRequestsConsumer {

    private static final Logger log = LoggerFactory.getLogger(RestoreRequestsConsumer.class);

    private final RestoreService service;
    private final ProcessedMessages processed;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;

    RestoreRequestsConsumer(RestoreService service, ProcessedMessages processed, ApplicationEventPublisher events,
                            TransactionTemplate tx, JsonMapper json, Clock clock) {
        this.service = service;
        this.processed = processed;
        this.events = events;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** @throws PoisonMessageException for a message that is not a restore request at all */
    void apply(InboundMessage message) {
        if (message.isTombstone()) {
            throw new PoisonMessageException("a request without a value");
        }
        if (message.ceId() == null || message.ceId().isBlank()) {
            throw new PoisonMessageException("no ce_id header");
        }
        if (!MessageTypes.RESTORE_REQUESTED.ceType().equals(message.ceType())) {
            throw new PoisonMessageException("ce_type must be " + MessageTypes.RESTORE_REQUESTED.ceType()
                    + ", was '" + message.ceType() + "'");
        }
        RestoreRequest request = message.read(json, MessageTypes.RESTORE_REQUESTED);
        String header = CloudEvents.read(message.headers()::get, CloudEvents.CORRELATION_ID);
        String correlationId = header != null && !header.isBlank() ? header : message.ceId();
        String requestedBy = request.requestedBy() != null && !request.requestedBy().isBlank() ? request.requestedBy()
                : CloudEvents.read(message.headers()::get, CloudEvents.SOURCE);
        RestoreService.Checked checked;
        try {
            RestoreOrder order = RestoreOrder.of(request.snapshotId(), request.targetServerId(), request.targetDatabase(),
                    request.confirmOverwrite(), requestedBy, correlationId, RestoreOrder.KAFKA);
            checked = service.check(order);
        } catch (CatalogException e) {
            reject(message.ceId(), request, requestedBy, correlationId, e);
            return;
        }
        try {
            tx.executeWithoutResult(status -> {
                if (!processed.markProcessed(message.ceId(), MessageTypes.RESTORE_REQUESTED.ceType(), now())) {
                    log.info("restore request {} already answered, skipping", message.ceId());
                    return;
                }
                Restore restore = service.accept(checked);
                log.info("restore request {} (correlation {}) accepted as restore {}", message.ceId(), correlationId, restore.id());
            });
        } catch (CatalogException e) {
            // the snapshot changed since the check (a deletion got there first): rolled back, answered as a refusal
            reject(message.ceId(), request, requestedBy, correlationId, e);
        }
    }

    private void reject(String ceId, RestoreRequest request, String requestedBy, String correlationId, CatalogException e) {
        tx.executeWithoutResult(status -> {
            if (!processed.markProcessed(ceId, MessageTypes.RESTORE_REQUESTED.ceType(), now())) {
                log.info("restore request {} already answered, skipping", ceId);
                return;
            }
            Instant now = now();
            RestoreRejected rejected = new RestoreRejected(request.snapshotId(), request.targetServerId(),
                    request.targetDatabase(), requestedBy, e.status().value(), e.getMessage(), now, RestoreOrder.KAFKA);
            events.publishEvent(RestoreEvents.rejected(rejected, correlationId, now));
            log.info("restore request {} (correlation {}) rejected with {}: {}", ceId, correlationId, e.status().value(),
                    e.getMessage());
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
