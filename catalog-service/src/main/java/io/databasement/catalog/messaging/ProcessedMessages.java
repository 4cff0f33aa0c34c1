package io.databasement.catalog.messaging;

import java.sql.Timestamp;
import io.databasement.contracts.MessageType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Consumer-side idempotency: a message id is applied once, in the transaction that applies it. */
@Repository
public class ProcessedMessages {

    private final JdbcClient jdbc;

    ProcessedMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true the first time this id is seen; false for a redelivery (then apply nothing) */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean markProcessed(String messageId, String type, Instant now) {
        return jdbc.sql("insert into processed_messages (message_id, message_type, processed_at) values (?, ?, ?) "
                        + "on conflict (message_id) do nothing")
                .params(messageId, type, Timestamp.from(now))
                .update() == 1;
    }

    /** A report read off its topic for the first time, and the time it is applied at. */
    public record FirstDelivery(MessageType<?> type, Object report, Instant now) {
    }

    /**
     * Reads a report defensively and records its {@code ce_id} in the caller's transaction, which applies it.
     *
     * @return empty for a redelivery (apply nothing)
     * @throws PoisonMessageException for a message no retry makes valid: no value, no {@code ce_id}, a type that
     *                                does not belong on its topic, a value that is not that type's JSON
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<FirstDelivery> firstDelivery(InboundMessage message, JsonMapper json, Clock clock) {
        if (message.isTombstone()) {
            throw new PoisonMessageException("a report without a value");
        }
        if (message.ceId() == null || message.ceId().isBlank()) {
            throw new PoisonMessageException("no ce_id header");
        }
        MessageType<?> type = message.type()
                .filter(t -> t.topic().equals(message.topic()))
                .orElseThrow(() -> new PoisonMessageException("unknown ce_type '" + message.ceType() + "' on " + message.topic()));
        Object report = message.read(json, type);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!markProcessed(message.ceId(), type.ceType(), now)) {
            return Optional.empty();
        }
        return Optional.of(new FirstDelivery(type, report, now));
    }

    /** @return how many ids were forgotten */
    public int deleteOlderThan(Instant cutoff) {
        return jdbc.sql("delete from processed_messages where processed_at < ?").param(Timestamp.from(cutoff)).update();
    }
}
