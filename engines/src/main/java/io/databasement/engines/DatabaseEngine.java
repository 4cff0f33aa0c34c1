package io.databasement.engines;

import java.util.Set;

/**
 * Everything Databasement needs to know about one family of database servers. A new database type is
 * one new implementation registered in {@link Engines}.
 */
public interface DatabaseEngine {

    /** Family name: {@code postgresql} or {@code mysql} (MySQL and MariaDB are one family). */
    String family();

    /** The engine types (as stored on a server) this engine serves, e.g. {@code mariadb} and {@code mysql}. */
    Set<String> types();

    /** @throws InvalidDatabaseNameException with the reason, if the server could not hold such a database */
    void validateDatabaseName(String name);

    /** Connects (bounded by a timeout) and asks the server what it is. */
    ServerInfo probe(Endpoint endpoint, String password) throws EngineException;

    /**
     * Whether a database of exactly this name exists on the server (compared byte for byte, as the server
     * stores it: no case folding, no quoting rules applied).
     */
    boolean databaseExists(Endpoint endpoint, String password, String database) throws EngineException;

    /**
     * The dump command for {@code database}, using the newest installed client that can dump this server.
     *
     * @throws EngineException if no installed client is recent enough for the server (with what to install)
     */
    ToolInvocation dump(Endpoint endpoint, String password, String database, ServerInfo server) throws EngineException;

    /** The line a complete dump ends with; a dump without it is truncated. */
    String dumpTrailer();

    /**
     * Whether the tool may legitimately print {@code line} after its trailer; such lines are skipped when
     * looking for the trailer (pg_dump since 15.14/16.10/17.6 ends with {@code &#92;unrestrict <key>}).
     */
    default boolean followsTrailer(String line) {
        return false;
    }

    /**
     * Whether a dump whose last non-empty lines are as given is complete: the last line that does not
     * {@link #followsTrailer follow the trailer} starts with {@link #dumpTrailer()}.
     */
    default boolean isCompleteDumpEnding(String lastSignificantLine) {
        return lastSignificantLine != null && lastSignificantLine.startsWith(dumpTrailer());
    }
}
