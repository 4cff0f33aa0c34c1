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

    /**
     * A fresh counter of rows and checksums per table for one of this engine's dumps (exactly as {@link #dump}
     * produces it), fed the raw bytes while they stream.
     */
    io.databasement.engines.stats.TableStatsCollector tableStatsCollector();

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

    /**
     * The restore tool for {@code database} (the staging database): it reads the dump on stdin and stops at
     * the first error with a non-zero exit.
     */
    ToolInvocation restore(Endpoint endpoint, String password, String database, ServerInfo target) throws EngineException;

    /**
     * Takes the restore lock of {@code targetDatabase} on the server (held until the returned target is
     * closed) and names the attempt's staging database.
     *
     * @throws EngineException if another restore holds the lock, or the server cannot be reached
     */
    RestoreTarget restoreTarget(Endpoint endpoint, String password, String targetDatabase, java.util.UUID attemptId)
            throws EngineException;

    /**
     * Refuses a restore into an older major version than the snapshot's source (a dump uses what its server
     * has). Servers of different types (MySQL and MariaDB) number their versions differently and are not compared.
     */
    default void checkRestorable(String sourceType, String sourceVersion, ServerInfo target) throws EngineException {
        if (sourceType == null || sourceVersion == null || !sourceType.equals(target.databaseType())) {
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(\\d+)").matcher(sourceVersion);
        if (m.find() && Integer.parseInt(m.group(1)) > target.majorVersion()) {
            throw new EngineException("the snapshot comes from " + sourceType + " " + sourceVersion + " and cannot be restored into "
                    + target.databaseType() + " " + target.version() + ", an older major version");
        }
    }

    /** The tool's own words for a failed restore: by default its last few stderr lines. */
    default String restoreFailureReason(String stderr) {
        java.util.List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    /**
     * Line prefixes of a dump that name the source database and must name the staging database instead when
     * restoring (a dump is otherwise free of database names). Applied only at the start of a line.
     */
    default java.util.Map<String, String> restoreLineRewrites(String sourceDatabase, String stagingDatabase) {
        return java.util.Map.of();
    }
}
