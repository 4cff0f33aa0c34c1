package io.databasement.catalog.restore;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Life of a restore. Status moves only forward; COMPLETED, FAILED and CANCELLED are final. */
public enum RestoreStatus {
    PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED;

    public Set<RestoreStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(IN_PROGRESS, FAILED, CANCELLED);
            case IN_PROGRESS -> EnumSet.of(COMPLETED, FAILED, CANCELLED);
            case COMPLETED, FAILED, CANCELLED -> EnumSet.noneOf(RestoreStatus.class);
        };
    }

    public boolean canMoveTo(RestoreStatus target) {
        return next().contains(target);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Lenient on case, since it comes from a query string. */
    public static Optional<RestoreStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.name().equalsIgnoreCase(value)).findFirst();
    }
}
