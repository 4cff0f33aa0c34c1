package io.databasement.engines;

import java.util.List;
import java.util.Optional;

/** The registry of engines by server type. */
public final class Engines {

    private static final List<DatabaseEngine> ALL = List.of(new PostgresEngine(), new MariaDbEngine());

    /** @return the engine for a server type ({@code postgresql}, {@code mariadb}, {@code mysql}), if any */
    public static Optional<DatabaseEngine> forType(String type) {
        return ALL.stream().filter(e -> e.types().contains(type)).findFirst();
    }

    public static List<DatabaseEngine> all() {
        return ALL;
    }

    private Engines() {
    }
}
