package io.databasement.catalog.restore;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code POST /api/v1/restores}. Fields are read as text and checked by {@link RestoreOrder#of}, the
 * same code that checks a request from {@code dbm.restore.requests}, so both answer alike.
 *
 * @param confirmOverwrite must be true to restore over an existing database (a rollback always overwrites)
 */
@Schema(example = """
        {"snapshotId": "5b7e2c1a-9d4f-4e8b-a3c6-2f1e0d9c8b7a", "targetServerId": "7d1c9f4e-2b8a-4e31-9c55-0f2a6b1d8e73",
         "targetDatabase": "shop_restored", "confirmOverwrite": false}""")
record RestoreBody(String snapshotId, String targetServerId, String targetDatabase, Boolean confirmOverwrite) {
}
