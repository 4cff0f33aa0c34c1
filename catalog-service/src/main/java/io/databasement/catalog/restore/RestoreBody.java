package io.databasement.catalog.restore;

/**
 * Body of {@code POST /api/v1/restores}. Fields are read as text and checked by {@link RestoreOrder#of}, the
 * same code that checks a request from {@code dbm.restore.requests}, so both answer alike.
 *
 * @param confirmOverwrite must be true to restore over an existing database (a rollback always overwrites)
 */
record RestoreBody(String snapshotId, String targetServerId, String targetDatabase, Boolean confirmOverwrite) {
}
