package io.databasement.contracts;

import java.time.Instant;

/**
 * Public event: a restore request was refused; nothing was queued. Key: the request's correlation id.
 *
 * @param status the HTTP status the same request would get over REST (400, 404, 409, 422)
 * @param reason  what was wrong, fit to show a person
 * @param channel how the request came: {@code kafka} ({@code dbm.restore.requests}; a REST refusal is an error
 *                response, not an event); null from catalogs that predate it
 */
public record RestoreRejected(String snapshotId, String targetServerId, String targetDatabase, String requestedBy,
                              int status, String reason, Instant rejectedAt, String channel) {
}
