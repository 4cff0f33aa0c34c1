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
 * PostgreSQL: an advisory lock on a dedicated maintenance connection (held, and fencing, for the whole job),
 * a staging database from template0, and a swap by renames.
 *
 * <p>Atomicity: each rename is atomic, the pair is not. Between "target → old" and "staging → target" (a
 * few milliseconds, with connections to the target refused) the target name does not exist. A failed second
 * rename is undone by renaming old back and allowing connections again.
 */
final class PostgresRestoreTarget implements RestoreTarget {

    private static final Logger log = LoggerFactory.getLogger(PostgresRestoreTarget.class);
    private static final long TERMINATE_WAIT_MILLIS = 10_000;

    private final Connection connection;
    private final String password;
    private final String target;
    private final String staging;
    private final String old;
    private final long lockKey;
    private final boolean targetExisted;
    /** Set when the old content is all that is left of the target (a rollback failed): never drop it then. */
    private boolean keepOld;

    private PostgresRestoreTarget(Connection connection, String password, String target, UUID attemptId) throws SQLException {
        this.connection = connection;
        this.password = password;
        this.target = target;
        this.staging = StagingNames.staging(target, attemptId, PostgresEngine.MAX_NAME_BYTES, Integer.MAX_VALUE);
        this.old = StagingNames.old(target, attemptId, PostgresEngine.MAX_NAME_BYTES, Integer.MAX_VALUE);
        this.lockKey = StagingNames.lockKey("dbm:restore:" + target);
        this.targetExisted = exists(target);
    }

    /** Connects and takes the target's lock, or says who holds it. */
    static PostgresRestoreTarget open(Connection connection, String password, String target, UUID attemptId) throws EngineException {
        try {
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                st.setLong(1, StagingNames.lockKey("dbm:restore:" + target));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        close(connection);
                        throw new EngineException("another restore into database \"" + target + "\" is running (its lock is held)");
                    }
                }
            }
            return new PostgresRestoreTarget(connection, password, target, attemptId);
        } catch (SQLException e) {
            close(connection);
            throw failure(e, password);
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
        StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(quote(staging)).append(" TEMPLATE template0");
        try {
            if (targetExisted) {
                try (PreparedStatement st = connection.prepareStatement(
                        "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = ?")) {
                    st.setString(1, target);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            sql.append(" ENCODING ").append(literal(rs.getString(1)))
                                    .append(" LC_COLLATE ").append(literal(rs.getString(2)))
                                    .append(" LC_CTYPE ").append(literal(rs.getString(3)));
                        }
                    }
                }
            }
            execute(sql.toString());
        } catch (SQLException e) {
            throw failure(e, password);
        }
    }

    @Override
    public void dropStaging() {
        dropQuietly(staging);
    }

    @Override
    public void swap() throws SwapException {
        boolean targetExists;
        try {
            targetExists = exists(target);
        } catch (IllegalStateException e) {
            throw new SwapException("could not look up database \"" + target + "\": " + e.getMessage(), false);
        }
        if (!targetExists) {
            try {
                execute("ALTER DATABASE " + quote(staging) + " RENAME TO " + quote(target));
                return;
            } catch (SQLException e) {
                throw new SwapException("could not rename the staging database to \"" + target + "\": " + message(e), false);
            }
        }
        try {
            execute("ALTER DATABASE " + quote(target) + " ALLOW_CONNECTIONS false");
        } catch (SQLException e) {
            throw new SwapException("could not close database \"" + target + "\" to new connections: " + message(e), false);
        }
        try {
            terminateSessions(target);
            execute("ALTER DATABASE " + quote(target) + " RENAME TO " + quote(old));
        } catch (SQLException e) {
            throw new SwapException("could not move database \"" + target + "\" aside: " + message(e), !reopen(target));
        }
        try {
            execute("ALTER DATABASE " + quote(staging) + " RENAME TO " + quote(target));
        } catch (SQLException e) {
            String reason = "could not rename the staging database to \"" + target + "\": " + message(e);
            try {
                execute("ALTER DATABASE " + quote(old) + " RENAME TO " + quote(target));
            } catch (SQLException rollback) {
                keepOld = true;
                throw new SwapException(reason + "; renaming the old database back failed too (" + message(rollback)
                        + "): its content is in database \"" + old + "\"", true);
            }
            throw new SwapException(reason + " (rolled back)", !reopen(target));
        }
        dropQuietly(old);
    }

    private void terminateSessions(String database) throws SQLException {
        long deadline = System.currentTimeMillis() + TERMINATE_WAIT_MILLIS;
        while (true) {
            int left;
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                st.setString(1, database);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    left = rs.getInt(1);
                }
            }
            if (left == 0 || System.currentTimeMillis() > deadline) {
                return; // the rename says it clearly if a session is still there
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return whether connections are allowed again */
    private boolean reopen(String database) {
        try {
            execute("ALTER DATABASE " + quote(database) + " ALLOW_CONNECTIONS true");
            return true;
        } catch (SQLException e) {
            log.error("could not allow connections to database {} again: {}", database, message(e));
            return false;
        }
    }

    @Override
    public void close() {
        try {
            dropQuietly(staging);
            if (!keepOld) {
                dropQuietly(old);
            }
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                st.setLong(1, lockKey);
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
        try (PreparedStatement st = connection.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
            st.setString(1, StagingNames.STAGING_PREFIX);
            List<String> leftovers = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (StagingNames.isLeftoverStaging(rs.getString(1), target, staging)) {
                        leftovers.add(rs.getString(1));
                    }
                }
            }
            for (String leftover : leftovers) {
                log.info("dropping {}, the staging database an earlier attempt at {} left behind", leftover, target);
                dropQuietly(leftover);
            }
        } catch (SQLException e) {
            log.warn("could not look for leftover staging databases of {}: {}", target, e.getMessage());
        }
    }

    private void dropQuietly(String database) {
        try {
            if (exists(database)) {
                execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
            }
        } catch (SQLException | IllegalStateException e) {
            log.warn("could not drop database {}: {}", database, e.getMessage());
        }
    }

    private boolean exists(String database) {
        try (PreparedStatement st = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(message(e), e);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private String message(SQLException e) {
        return Secrets.scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), password);
    }

    private static EngineException failure(SQLException e, String password) {
        return new EngineException(Secrets.scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), password));
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server ends the session, and with it the advisory lock
        }
    }
}
