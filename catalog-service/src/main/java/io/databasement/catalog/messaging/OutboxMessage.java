package io.databasement.catalog.messaging;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import java.time.Instant;
import java.util.Map;

/**
 * A message the catalog decided to send. Publish it as an application event inside the business
 * transaction: Spring Modulith's registry stores it (serialized, with its {@link #ceId()}) in
 * {@code event_publication} in that same transaction and externalizes it to Kafka after commit,
 * and again after a restart if the send did not complete. Because the id and time are part of the
 * stored event, a republish carries the same {@code ce_id}, so consumers drop the duplicate.
 *
 * <p>Implementations are records (the registry serializes them as JSON).
 */
public interface OutboxMessage {

    /** {@code ce_id}: minted once, when the business decision is taken. */
    String ceId();

    /** {@code ce_time}. */
    Instant occurredAt();

    /** The contracts record that travels as the JSON value. */
    Object payload();

    /** The Kafka key (the job id for commands). */
    String key();

    /** What the message is about: its type, hence its topic. Each contracts record belongs to one type. */
    default MessageType<?> messageType() {
        return MessageTypes.of(payload().getClass());
    }

    /** The {@code correlation_id} header (public restore events carry the request's); null for none. */
    default String correlationId() {
        return null;
    }

    /**
     * The {@code traceparent} header: the trace of what asked for the job, stored with the message so a send after a
     * wait or a restart still continues it; null for none (the message then carries no trace context).
     */
    default String traceparent() {
        return null;
    }

    default Map<String, String> headers() {
        Map<String, String> headers = CloudEvents.headers(messageType().ceType(), ceId(), OutboxConfiguration.SOURCE, key(),
                correlationId(), occurredAt());
        if (traceparent() == null) {
            return headers;
        }
        Map<String, String> traced = new java.util.LinkedHashMap<>(headers);
        traced.put(TraceParent.HEADER, traceparent());
        return traced;
    }
}
