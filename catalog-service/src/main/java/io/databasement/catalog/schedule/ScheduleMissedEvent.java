package io.databasement.catalog.schedule;

import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.contracts.ScheduleMissed;
import java.time.Instant;

/** The outbox entry of {@code schedule.missed} on {@code dbm.schedule.events}, keyed by schedule id. */
record ScheduleMissedEvent(String ceId, Instant occurredAt, ScheduleMissed payload) implements OutboxMessage {

    @Override
    public String key() {
        return payload.scheduleId().toString();
    }
}
