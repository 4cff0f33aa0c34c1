package io.databasement.catalog.snapshot;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Life of a snapshot. Status moves only forward; COMPLETED and FAILED are final. */
public enum SnapshotStatus {
    PENDING, RUNNING, COMPLETED, FAILED;

    public static final Set<SnapshotStatus> TERMINAL = EnumSet.of(COMPLETED, FAILED);
    public static final Set<SnapshotStatus> OPEN = EnumSet.of(PENDING, RUNNING);

    public Set<SnapshotStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(COMPLETED, FAILED);
            case COMPLETED, FAILED -> EnumSet.noneOf(SnapshotStatus.class);
        };
    }

    public boolean canMoveTo(SnapshotStatus target) {
        return next().contains(target);
    }

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** Lenient on case, since it comes from a query string. */
    public static Optional<SnapshotStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(value)).findFirst();
    }
}
