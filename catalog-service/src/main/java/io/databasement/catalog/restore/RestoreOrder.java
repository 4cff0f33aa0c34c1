package io.databasement.catalog.restore;

import io.databasement.catalog.web.CatalogException;
import java.util.UUID;

/**
 * A restore request whatever way it came (REST or {@code dbm.restore.requests}), with its fields checked for
 * presence and form; {@link RestoreService#check} applies the rules.
 *
 * @param requestedBy   who asked, for the audit trail
 * @param correlationId carried on every public event about this restore
 * @param channel       how the request came ({@link #REST} or {@link #KAFKA}), told in the public accepted/rejected
 *                      events so the gateway audits Kafka requests (it audits REST calls itself); null for the
 *                      catalog's own restores (verifications)
 */
public record RestoreOrder(UUID snapshotId, UUID targetServerId, String targetDatabase, boolean confirmOverwrite,
                           String requestedBy, String correlationId, String channel) {

    public static final String REST = "rest";
    public static final String KAFKA = "kafka";

    /**
     * @param correlationId null to use the restore's id
     * @throws CatalogException 400 naming the first missing or malformed field
     */
    public static RestoreOrder of(String snapshotId, String targetServerId, String targetDatabase, Boolean confirmOverwrite,
                                  String requestedBy, String correlationId, String channel) {
        UUID snapshot = id("snapshotId", snapshotId);
        UUID server = id("targetServerId", targetServerId);
        if (targetDatabase == null) {
            throw CatalogException.invalidField("invalid-request", "targetDatabase", "must not be null");
        }
        String by = requestedBy == null || requestedBy.isBlank() ? "api" : requestedBy;
        return new RestoreOrder(snapshot, server, targetDatabase, Boolean.TRUE.equals(confirmOverwrite), by,
                correlationId == null || correlationId.isBlank() ? null : correlationId, channel);
    }

    private static UUID id(String field, String value) {
        if (value == null) {
            throw CatalogException.invalidField("invalid-request", field, "must not be null");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw CatalogException.invalidField("invalid-request", field, "must be an id (UUID)");
        }
    }
}
