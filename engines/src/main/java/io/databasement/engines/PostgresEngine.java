package io.databasement.engines;

import io.databasement.engines.stats.PostgresTableStats;
import io.databasement.engines.stats.TableStatsCollector;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL: {@code pg_dump} plain SQL, connection through libpq's environment variables only. */
public final class PostgresEngine implements DatabaseEngine {

    /** NAMEDATALEN - 1: PostgreSQL silently truncates longer names, so two names could meet as one. */
    static final int MAX_NAME_BYTES = 63;
    private static final Pattern TOOL_VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)");
    private static final String INVALID_CATALOG_NAME = "3D000";

    /**
     * @param clientDirectories where to look for {@code pg_dump} (may contain {@code *}); PATH is searched after them
     * @param lockWaitTimeout   how long pg_dump waits for its table locks before failing instead of queueing forever
     * @param connectTimeout    probe connect timeout
     * @param socketTimeout     probe read timeout
     */
    public record Settings(List<String> clientDirectories, Duration lockWaitTimeout, Duration connectTimeout,
                           Duration socketTimeout) {

        public static final String DEFAULT_CLIENT_DIRS = "/usr/lib/postgresql/*/bin";

        public Settings {
            clientDirectories = List.copyOf(clientDirectories);
            Objects.requireNonNull(lockWaitTimeout, "lockWaitTimeout");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(socketTimeout, "socketTimeout");
        }

        /**
         * From system properties {@code dbm.pg.client-dirs} / {@code dbm.pg.lock-wait-timeout} or the environment
         * ({@code DBM_PG_CLIENT_DIRS}, {@code DBM_PG_LOCK_WAIT_TIMEOUT}, e.g. {@code 60s} or {@code PT1M}).
         */
        public static Settings fromEnvironment() {
            String dirs = Config.get("dbm.pg.client-dirs", "DBM_PG_CLIENT_DIRS", DEFAULT_CLIENT_DIRS);
            Duration lockWait = Config.duration(Config.get("dbm.pg.lock-wait-timeout", "DBM_PG_LOCK_WAIT_TIMEOUT", "60s"));
            return new Settings(ToolLocator.splitList(dirs), lockWait, Duration.ofSeconds(5), Duration.ofSeconds(10));
        }
    }

    private final Settings settings;
    private final ToolLocator locator;

    public PostgresEngine() {
        this(Settings.fromEnvironment());
    }

    public PostgresEngine(Settings settings) {
        this.settings = settings;
        this.locator = new ToolLocator(settings.clientDirectories(), true);
    }

    @Override
    public String family() {
        return "postgresql";
    }

    @Override
    public Set<String> types() {
        return Set.of("postgresql");
    }

    /**
     * PostgreSQL accepts any character but NUL in a quoted identifier; we also refuse control characters
     * and a leading '-' (see {@link Names}). Quotes, semicolons, spaces, '=' and any Unicode are fine: the
     * name never reaches a shell or a conninfo string.
     */
    @Override
    public void validateDatabaseName(String name) {
        Names.rejectEmpty(name);
        Names.rejectControlCharacters(name);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new InvalidDatabaseNameException("database name is " + bytes + " bytes in UTF-8; PostgreSQL allows at most "
                    + MAX_NAME_BYTES + " (longer names are silently truncated)");
        }
        Names.rejectLeadingDash(name);
    }

    @Override
    public ServerInfo probe(Endpoint endpoint, String password) throws EngineException {
        try (Connection connection = maintenanceConnection(endpoint, password)) {
            return describe(connection);
        } catch (SQLException e) {
            throw failure(e, password);
        }
    }

    @Override
    public boolean databaseExists(Endpoint endpoint, String password, String database) throws EngineException {
        try (Connection connection = maintenanceConnection(endpoint, password);
             PreparedStatement st = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure(e, password);
        }
    }

    /** A connection to the "postgres" database, or to template1 on servers that have none. */
    Connection maintenanceConnection(Endpoint endpoint, String password) throws EngineException {
        Hosts.check(endpoint);
        try {
            return connect(endpoint, password, "postgres");
        } catch (SQLException e) {
            if (INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                // some servers have no "postgres" database; template1 always exists
                try {
                    return connect(endpoint, password, "template1");
                } catch (SQLException again) {
                    throw failure(again, password);
                }
            }
            throw failure(e, password);
        }
    }

    Connection connect(Endpoint endpoint, String password, String database) throws SQLException {
        return connect(endpoint, password, database, settings.socketTimeout());
    }

    /** {@code socketTimeout} zero: no read timeout (a connection that holds a lock while a long restore runs). */
    Connection connect(Endpoint endpoint, String password, String database, Duration socketTimeout) throws SQLException {
        // user and password go in Properties, never in the URL, so they cannot add URL parameters either
        Properties props = new Properties();
        props.setProperty("user", endpoint.username());
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Long.toString(settings.connectTimeout().toSeconds()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(settings.socketTimeout().toSeconds()));
        props.setProperty("ApplicationName", "databasement");
        String url = "jdbc:postgresql://" + Hosts.forUrl(endpoint.host()) + ":" + endpoint.port() + "/" + database;
        Connection connection = new org.postgresql.Driver().connect(url, props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept " + url);
        }
        return connection;
    }

    private static ServerInfo describe(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), current_setting('server_version_num')::int")) {
            rs.next();
            // "15.20 (Debian 15.20-0+deb12u1)": the first word is the version people know
            String version = rs.getString(1).trim().split("\\s+")[0];
            int num = rs.getInt(2);
            return new ServerInfo("postgresql", version, num / 10000);
        }
    }

    private static EngineException failure(SQLException e, String password) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new EngineException(Secrets.scrub(message, password));
    }

    @Override
    public ToolInvocation dump(Endpoint endpoint, String password, String database, ServerInfo server) throws EngineException {
        if (database == null || database.isEmpty()) {
            // an empty PGDATABASE would make libpq fall back to the user name: never dump the wrong database
            throw new EngineException("no database given to dump");
        }
        Hosts.check(endpoint);
        InstalledTool pgDump = newestPgDump(server.majorVersion());
        List<String> command = new ArrayList<>();
        command.add(pgDump.path().toString());
        command.add("--no-owner");
        command.add("--no-privileges");
        command.add("--clean");
        command.add("--if-exists");
        command.add("--lock-wait-timeout=" + Config.postgresInterval(settings.lockWaitTimeout()));
        command.add("--format=plain");
        command.add("--encoding=UTF8");
        Map<String, String> env = environment(endpoint, password, database);
        // timestamptz is printed in the session's time zone: UTC makes a dump's text (and so its table checksums)
        // independent of the server's or the database's own setting, which a verification's scratch copy lacks
        env.put("PGTZ", "UTC");
        // bytea is printed as the session's bytea_output says, which a database can set to 'escape': hex always,
        // for the same reason (pg_dump fixes DateStyle, IntervalStyle and extra_float_digits itself, but not this)
        env.put("PGOPTIONS", "-c bytea_output=hex");
        return new ToolInvocation(command, env, pgDump.versionLine());
    }

    /**
     * libpq reads these itself. PGDATABASE is taken literally (unlike a dbname argument, it is never
     * expanded as a conninfo string), so names with '=', spaces or quotes are safe.
     */
    static Map<String, String> environment(Endpoint endpoint, String password, String database) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", endpoint.host());
        env.put("PGPORT", Integer.toString(endpoint.port()));
        env.put("PGUSER", endpoint.username());
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        env.put("PGDATABASE", database);
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "databasement");
        return env;
    }

    /** The newest installed pg_dump; refuses (never silently proceeds) if it is older than the server. */
    InstalledTool newestPgDump(int serverMajor) throws EngineException {
        List<InstalledTool> found = locator.find("pg_dump", PostgresEngine::majorOfToolVersion);
        if (found.isEmpty()) {
            throw new EngineException("pg_dump is not installed (searched " + settings.clientDirectories()
                    + " and PATH): install postgresql-client-" + Math.max(serverMajor, 1) + " or newer");
        }
        InstalledTool newest = found.get(0);
        if (newest.majorVersion() < serverMajor) {
            throw new EngineException("pg_dump " + newest.majorVersion() + " cannot dump a PostgreSQL " + serverMajor
                    + " server: install postgresql-client-" + serverMajor + " or newer");
        }
        return newest;
    }

    static int majorOfToolVersion(String versionLine) {
        Matcher m = TOOL_VERSION.matcher(versionLine);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public TableStatsCollector tableStatsCollector() {
        return new PostgresTableStats();
    }

    @Override
    public String dumpTrailer() {
        return "-- PostgreSQL database dump complete";
    }

    /** pg_dump's psql meta-command closing its {@code \restrict} guard (CVE-2025-8714 fix), printed after the trailer. */
    @Override
    public boolean followsTrailer(String line) {
        return line.startsWith("\\unrestrict ") || line.equals("--");
    }

    /**
     * psql reading the dump from stdin into {@code database} (the staging database): no psqlrc, stop at the
     * first error (exit 3), quiet so that stderr holds only what went wrong.
     */
    @Override
    public ToolInvocation restore(Endpoint endpoint, String password, String database, ServerInfo target) throws EngineException {
        if (database == null || database.isEmpty()) {
            throw new EngineException("no database given to restore into");
        }
        Hosts.check(endpoint);
        InstalledTool psql = newestTool("psql", target.majorVersion());
        List<String> command = List.of(psql.path().toString(), "--no-psqlrc", "--quiet", "--no-password",
                "--set=ON_ERROR_STOP=1");
        return new ToolInvocation(command, environment(endpoint, password, database), psql.versionLine());
    }

    /** The newest installed copy of a client tool; psql of any version restores plain SQL, but the newest is the safest bet. */
    private InstalledTool newestTool(String name, int serverMajor) throws EngineException {
        List<InstalledTool> found = locator.find(name, PostgresEngine::majorOfToolVersion);
        if (found.isEmpty()) {
            throw new EngineException(name + " is not installed (searched " + settings.clientDirectories()
                    + " and PATH): install postgresql-client-" + Math.max(serverMajor, 1) + " or newer");
        }
        return found.get(0);
    }

    @Override
    public RestoreTarget restoreTarget(Endpoint endpoint, String password, String targetDatabase, java.util.UUID attemptId)
            throws EngineException {
        Hosts.check(endpoint);
        Connection connection;
        try {
            connection = connect(endpoint, password, "postgres", Duration.ZERO);
        } catch (SQLException e) {
            if (!INVALID_CATALOG_NAME.equals(e.getSQLState())) {
                throw failure(e, password);
            }
            try {
                connection = connect(endpoint, password, "template1", Duration.ZERO);
            } catch (SQLException again) {
                throw failure(again, password);
            }
        }
        return PostgresRestoreTarget.open(connection, password, targetDatabase, attemptId);
    }

    /** psql prints {@code psql:<stdin>:12: ERROR:  relation "x" does not exist}: the server's words after the location. */
    @Override
    public String restoreFailureReason(String stderr) {
        return stderr.lines().map(String::strip)
                .filter(l -> l.contains("ERROR:") || l.contains("FATAL:"))
                .findFirst()
                .map(l -> l.replaceFirst("^psql:[^:]*:\\d+:\\s*", ""))
                .orElseGet(() -> DatabaseEngine.super.restoreFailureReason(stderr));
    }
}
