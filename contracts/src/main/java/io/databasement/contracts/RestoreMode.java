package io.databasement.contracts;

import java.util.Arrays;
import java.util.Optional;

/** How a restore relates to the snapshot's source (derived by the catalog, shown in responses and events). */
public enum RestoreMode {
    /** Rollback: the snapshot's own server and database. Overwrites current data. */
    SAME_DATABASE,
    /** Another database on the snapshot's server. */
    OTHER_DATABASE,
    /** Another server (of the same engine family). */
    CROSS_SERVER,
    /**
     * A snapshot's verification: restore into a new scratch database, dump it again, compare every table with the
     * snapshot's {@link TableStats}, drop the scratch database. Never asked for by a user's restore request.
     */
    VERIFY;

    public static Optional<RestoreMode> fromWire(String name) {
        return Arrays.stream(values()).filter(m -> m.name().equals(name)).findFirst();
    }
}
