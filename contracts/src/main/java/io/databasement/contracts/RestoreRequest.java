package io.databasement.contracts;

/**
 * Public request (on {@link Topics#RESTORE_REQUESTS}): another service asks for a restore. Validated exactly
 * like {@code POST /api/v1/restores}; the answer comes on {@link Topics#RESTORE_EVENTS} carrying the
 * request's correlation id (the {@code correlation_id} header if given, else its {@code ce_id}).
 *
 * @param confirmOverwrite must be true to restore over an existing database (a rollback always overwrites)
 * @param requestedBy      who asks, for the audit trail (free text, e.g. a service name)
 */
public record RestoreRequest(String snapshotId, String targetServerId, String targetDatabase, Boolean confirmOverwrite,
                             String requestedBy) {
}
