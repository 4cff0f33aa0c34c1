package io.databasement.engines;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MariaDB/MySQL: {@code GET_LOCK} on a dedicated connection, a staging database, and a swap that moves every
 * table with one multi-table {@code RENAME TABLE}.
 *
 * <p>Atomicity: the table move is atomic (all tables of the target go to the old database and all of
 * staging's come in, or nothing moves). Views, routines, triggers and events cannot move between databases:
 * they are dropped before the move and created from their captured definitions after it, so for a moment the
 * target has its new tables without them. A failed move re-creates the target's own triggers and views, which
 * leaves it as it was; a failure after the move leaves the old tables in the old database (kept, named in the
 * error).
 */
final class MariaDbRestoreTarget implements RestoreTarget {

    private static final Logger log = LoggerFactory.getLogger(MariaDbRestoreTarget.class);
    /** Lock names are limited to 64 characters; longer database names are hashed. */
    private static final int MAX_LOCK_NAME = 64;

    /** A view, routine, trigger or event: its kind, name and the statements that re-create it. */
    record Definition(String kind, String name, String sqlMode, String create, String databaseCollation) {
    }

    private final Connection connection;
    private final String password;
    private final String target;
    private final String staging;
    private final String old;
    private final String lockName;
    private final boolean targetExisted;
    private boolean keepOld;
    /** How long the table move waits for other sessions' metadata locks before it gives up (and rolls back). */
    int lockWaitTimeoutSeconds = 30;

    private MariaDbRestoreTarget(Connection connection, String password, String target, UUID attemptId, String lockName)
            throws SQLException {
        this.connection = connection;
        this.password = password;
        this.target = target;
        this.staging = StagingNames.staging(target, attemptId, Integer.MAX_VALUE, MariaDbEngine.MAX_NAME_CHARS);
        this.old = StagingNames.old(target, attemptId, Integer.MAX_VALUE, MariaDbEngine.MAX_NAME_CHARS);
        this.lockName = lockName;
        this.targetExisted = exists(target);
    }

    static String lockName(String target) {
        String name = "dbm:restore:" + target;
        return name.length() <= MAX_LOCK_NAME ? name : "dbm:restore:#" + StagingNames.hexHash(target, 40);
    }

    static MariaDbRestoreTarget open(Connection connection, String password, String target, UUID attemptId) throws EngineException {
        String lockName = lockName(target);
        try {
            try (PreparedStatement st = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                st.setString(1, lockName);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) != 1) {
                        close(connection);
                        throw new EngineException("another restore into database `" + target + "` is running (its lock is held)");
                    }
                }
            }
            return new MariaDbRestoreTarget(connection, password, target, attemptId, lockName);
        } catch (SQLException e) {
            close(connection);
            throw MariaDbEngine.failure(e, password);
        }
    }

    @Override
    public String targetDatabase() {
        return target;
    }

    @Override
    public String stagingDatabase() {
        return staging;
    }

    @Override
    public boolean targetExisted() {
        return targetExisted;
    }

    @Override
    public void createStaging() throws EngineException {
        dropLeftoverStaging();
        try {
            execute("CREATE DATABASE " + quote(staging) + characterSetOf(targetExisted ? target : null));
        } catch (SQLException e) {
            throw MariaDbEngine.failure(e, password);
        }
    }

    private String characterSetOf(String database) throws SQLException {
        if (database == null) {
            return " CHARACTER SET utf8mb4";
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT default_character_set_name, default_collation_name"
                + " FROM information_schema.schemata WHERE BINARY schema_name = BINARY ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return " CHARACTER SET " + rs.getString(1) + " COLLATE " + rs.getString(2);
                }
            }
        }
        return "";
    }

    @Override
    public void dropStaging() {
        dropQuietly(staging);
    }

    @Override
    public void swap() throws SwapException {
        List<String> stagingTables;
        List<Definition> stagingObjects;
        List<Definition> targetTriggersAndViews;
        List<Definition> targetOthers;
        try {
            if (!exists(target)) {
                execute("CREATE DATABASE " + quote(target) + characterSetOf(staging));
            }
            execute("CREATE DATABASE " + quote(old) + characterSetOf(target));
            stagingTables = baseTables(staging);
            stagingObjects = definitions(staging);
            List<Definition> targetObjects = definitions(target);
            targetTriggersAndViews = targetObjects.stream().filter(d -> d.kind().equals("TRIGGER") || d.kind().equals("VIEW")).toList();
            targetOthers = targetObjects.stream().filter(d -> !targetTriggersAndViews.contains(d)).toList();
            killSessions(target);
        } catch (SQLException e) {
            throw new SwapException("could not prepare the swap: " + message(e), false);
        }
        List<String> targetTables;
        List<Definition> droppedFromTarget = new ArrayList<>();
        try {
            // bounded waits for other sessions' metadata locks, from the first DDL on the target
            execute("SET SESSION lock_wait_timeout = " + lockWaitTimeoutSeconds);
            // triggers and views cannot cross databases: out of the way of the table move, on both sides
            for (Definition d : stagingObjects) {
                if (d.kind().equals("TRIGGER") || d.kind().equals("VIEW")) {
                    drop(staging, d);
                }
            }
            for (Definition d : targetTriggersAndViews) {
                drop(target, d);
                droppedFromTarget.add(d);
            }
            targetTables = baseTables(target);
            List<String> moves = new ArrayList<>();
            for (String t : targetTables) {
                moves.add(quote(target) + "." + quote(t) + " TO " + quote(old) + "." + quote(t));
            }
            for (String t : stagingTables) {
                moves.add(quote(staging) + "." + quote(t) + " TO " + quote(target) + "." + quote(t));
            }
            if (!moves.isEmpty()) {
                execute("RENAME TABLE " + String.join(", ", moves));
            }
        } catch (SQLException e) {
            String reason = "could not move the restored tables into `" + target + "`: " + message(e);
            // nothing moved (RENAME TABLE is all or nothing): give the target back what was dropped from it
            List<String> notRestored = recreate(target, droppedFromTarget);
            if (!notRestored.isEmpty()) {
                throw new SwapException(reason + "; could not re-create " + notRestored + " in the target", true);
            }
            throw new SwapException(reason + " (rolled back)", false);
        }
        try {
            for (Definition d : targetOthers) {
                drop(target, d);
            }
        } catch (SQLException e) {
            keepOld = true;
            throw new SwapException("the restored tables are in `" + target + "`, but its old routines could not be dropped: "
                    + message(e) + "; the old tables are in `" + old + "`", true);
        }
        List<String> failed = recreate(target, stagingObjects);
        if (!failed.isEmpty()) {
            keepOld = true;
            throw new SwapException("the restored tables are in `" + target + "`, but " + failed + " could not be created there;"
                    + " the old tables are in `" + old + "`", true);
        }
        dropQuietly(old);
        dropQuietly(staging);
    }

    private List<String> baseTables(String database) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT table_name FROM information_schema.tables"
                + " WHERE BINARY table_schema = BINARY ? AND table_type IN ('BASE TABLE', 'SEQUENCE', 'SYSTEM VERSIONED')"
                + " ORDER BY table_name")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    /**
     * Every view, routine, trigger and event of {@code database}, as {@code SHOW CREATE} gives them, with the
     * database's own name (if written out) turned into the target's: they are re-created in the target.
     */
    List<Definition> definitions(String database) throws SQLException {
        List<Definition> out = new ArrayList<>();
        String from = quote(database) + ".";
        String to = quote(target) + ".";
        for (String view : names("SELECT table_name FROM information_schema.views WHERE BINARY table_schema = BINARY ?"
                + " ORDER BY table_name", database)) {
            String create = showCreate("SHOW CREATE VIEW " + quote(database) + "." + quote(view), 2, 0)[0];
            out.add(new Definition("VIEW", view, null, create.replace(from, to), null));
        }
        for (String[] routine : rows("SELECT routine_type, routine_name, sql_mode FROM information_schema.routines"
                + " WHERE BINARY routine_schema = BINARY ? ORDER BY routine_name", database, 3)) {
            String[] shown = showCreate("SHOW CREATE " + routine[0] + " " + quote(database) + "." + quote(routine[1]), 3, 6);
            out.add(new Definition(routine[0], routine[1], routine[2], shown[0].replace(from, to), shown[1]));
        }
        for (String[] trigger : rows("SELECT trigger_name, sql_mode FROM information_schema.triggers"
                + " WHERE BINARY trigger_schema = BINARY ? ORDER BY event_object_table, action_timing, event_manipulation,"
                + " action_order", database, 2)) {
            String[] shown = showCreate("SHOW CREATE TRIGGER " + quote(database) + "." + quote(trigger[0]), 3, 6);
            out.add(new Definition("TRIGGER", trigger[0], trigger[1], shown[0].replace(from, to), shown[1]));
        }
        for (String[] event : rows("SELECT event_name, sql_mode FROM information_schema.events"
                + " WHERE BINARY event_schema = BINARY ? ORDER BY event_name", database, 2)) {
            String[] shown = showCreate("SHOW CREATE EVENT " + quote(database) + "." + quote(event[0]), 4, 7);
            out.add(new Definition("EVENT", event[0], event[1], shown[0].replace(from, to), shown[1]));
        }
        return out;
    }

    /**
     * Creates each definition in {@code database}; views may depend on views, so failures are retried while
     * any creation succeeds.
     *
     * @return what could not be created, with the server's reason
     */
    private List<String> recreate(String database, List<Definition> definitions) {
        List<Definition> pending = new ArrayList<>(definitions);
        List<String> errors = new ArrayList<>();
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            errors.clear();
            for (Definition d : List.copyOf(pending)) {
                try {
                    execute("USE " + quote(database));
                    if (d.sqlMode() != null) {
                        try (PreparedStatement st = connection.prepareStatement("SET SESSION sql_mode = ?")) {
                            st.setString(1, d.sqlMode());
                            st.execute();
                        }
                    }
                    createWithDatabaseCollation(database, d);
                    pending.remove(d);
                    progress = true;
                } catch (SQLException e) {
                    errors.add(d.kind().toLowerCase() + " " + d.name() + " (" + message(e) + ")");
                }
            }
        }
        return pending.isEmpty() ? List.of() : errors;
    }

    /**
     * Routines, triggers and events remember the database collation they were created under (mariadb-dump
     * switches the database's character set around them): create them under the same one, then switch back.
     */
    private void createWithDatabaseCollation(String database, Definition d) throws SQLException {
        String current = names("SELECT default_collation_name FROM information_schema.schemata WHERE BINARY schema_name = BINARY ?",
                database).stream().findFirst().orElse(null);
        if (d.databaseCollation() == null || d.databaseCollation().equals(current) || current == null) {
            execute(d.create());
            return;
        }
        execute("ALTER DATABASE " + quote(database) + " COLLATE " + collation(d.databaseCollation()));
        try {
            execute(d.create());
        } finally {
            execute("ALTER DATABASE " + quote(database) + " COLLATE " + collation(current));
        }
    }

    /** Collation names come from the server, but are still checked before they go into DDL. */
    private static String collation(String name) throws SQLException {
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw new SQLException("unexpected collation name " + name);
        }
        return name;
    }

    private void drop(String database, Definition d) throws SQLException {
        String kind = d.kind().equals("VIEW") ? "VIEW" : d.kind();
        execute("DROP " + kind + " IF EXISTS " + quote(database) + "." + quote(d.name()));
    }

    /** Ends every other session whose current database is the target: they would hold metadata locks. */
    private void killSessions(String database) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT id FROM information_schema.processlist"
                + " WHERE BINARY db = BINARY ? AND id <> CONNECTION_ID()")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        for (long id : ids) {
            try {
                execute("KILL CONNECTION " + id);
            } catch (SQLException e) {
                log.debug("session {} ended before it could be killed: {}", id, message(e));
            }
        }
    }

    @Override
    public void close() {
        try {
            dropQuietly(staging);
            if (!keepOld) {
                dropQuietly(old);
            }
            try (PreparedStatement st = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                st.setString(1, lockName);
                st.execute();
            } catch (SQLException e) {
                log.warn("could not release the restore lock of {} (closing the connection releases it): {}", target, message(e));
            }
        } finally {
            // whatever happened above, the session ends and the server drops the lock with it
            close(connection);
        }
    }

    /** Staging databases of earlier attempts that died (kill -9, a lost host) before they could drop them. */
    private void dropLeftoverStaging() {
        try {
            for (String name : names("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE ?",
                    StagingNames.STAGING_PREFIX.replace("_", "\\_") + "%")) {
                if (StagingNames.isLeftoverStaging(name, target, staging)) {
                    log.info("dropping {}, the staging database an earlier attempt at {} left behind", name, target);
                    dropQuietly(name);
                }
            }
        } catch (SQLException e) {
            log.warn("could not look for leftover staging databases of {}: {}", target, message(e));
        }
    }

    private void dropQuietly(String database) {
        try {
            execute("DROP DATABASE IF EXISTS " + quote(database));
        } catch (SQLException e) {
            log.warn("could not drop database {}: {}", database, message(e));
        }
    }

    private boolean exists(String database) throws SQLException {
        return !names("SELECT schema_name FROM information_schema.schemata WHERE BINARY schema_name = BINARY ?", database).isEmpty();
    }

    private List<String> names(String sql, String parameter) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String[] row : rows(sql, parameter, 1)) {
            out.add(row[0]);
        }
        return out;
    }

    private List<String[]> rows(String sql, String parameter, int columns) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, parameter);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** The definition (column {@code column}) and, if {@code collationColumn} > 0, the object's database collation. */
    private String[] showCreate(String sql, int column, int collationColumn) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next() || rs.getString(column) == null) {
                throw new SQLException(sql + " returned no definition (missing privilege?)");
            }
            return new String[] {rs.getString(column), collationColumn > 0 ? rs.getString(collationColumn) : null};
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private String message(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Secrets.scrub(text.replaceFirst("^\\(conn=\\d+\\)\\s*", ""), password);
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server ends the session, and with it the lock
        }
    }
}
