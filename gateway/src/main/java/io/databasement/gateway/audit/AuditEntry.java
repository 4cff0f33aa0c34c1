package io.databasement.gateway.audit;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the audit trail.
 *
 * @param channel       {@code rest} (a call through the gateway) or {@code kafka} (a request on a topic)
 * @param action        what was asked, e.g. {@code POST /api/v1/restores} or {@code restore.requested}
 * @param target        what it was about: the path, or the snapshot and target of a restore request
 * @param outcome       {@code succeeded}, {@code refused} or {@code failed}
 * @param status        the HTTP status given (or that the same request over REST would get)
 * @param detail        a short reason for a refusal or failure (never a secret)
 * @param correlationId the request's correlation id ({@code X-Correlation-Id} / Kafka header)
 * @param sourceId      for channel kafka: the event's {@code ce_id}, so a redelivery is recorded once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(UUID id, Instant at, String actor, String actorRole, String channel, String action,
                         String target, String outcome, Integer status, String detail, String correlationId,
                         String sourceId) {
}
