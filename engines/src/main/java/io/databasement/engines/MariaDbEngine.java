package io.databasement.engines;

import io.databasement.engines.stats.MariaDbTableStats;
import io.databasement.engines.stats.TableStatsCollector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MariaDB and MySQL (one family): {@code mariadb-dump} (or {@code mysqldump}) of one database. */
public final class MariaDbEngine implements DatabaseEngine {

    /** MariaDB's identifier limit, in characters. */
    static final int MAX_NAME_CHARS = 64;
    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d+)");
    private static final Pattern ANY_NUMBER = Pattern.compile("(\\d+)");

    /**
     * @param clientDirectories where to look for {@code mariadb-dump}/{@code mysqldump} before PATH
     */
    public record Settings(List<String> clientDirectories, Duration connectTimeout, Duration socketTimeout) {

        public Settings {
            clientDirectories = List.copyOf(clientDirectories);
        }

        /** From system property {@code dbm.mysql.client-dirs} or env {@code DBM_MYSQL_CLIENT_DIRS} (default: PATH only). */
        public static Settings fromEnvironment() {
            String dirs = Config.get("dbm.mysql.client-dirs", "DBM_MYSQL_CLIENT_DIRS", "");
            return new Settings(ToolLocator.splitList(dirs), Duration.ofSeconds(5), Duration.ofSeconds(10));
        }
    }

    private final Settings settings;
    private final ToolLocator locator;

    public MariaDbEngine() {
        this(Settings.fromEnvironment());
    }

    public MariaDbEngine(Settings settings) {
        this.settings = settings;
        this.locator = new ToolLocator(settings.clientDirectories(), true);
    }

    @Override
    public String family() {
        return "mysql";
    }

    @Override
    public Set<String> types() {
        return Set.of("mariadb", "mysql");
    }

    /**
     * What MariaDB 10.11 itself refuses (checked against the server): empty names, more than 64 characters,
     * a trailing space, characters outside the BMP (identifiers are utf8mb3). It accepts '/', '\' and '.'
     * (it encodes them in file names), quotes, backticks, semicolons and spaces, so we do too. Control
     * characters and a leading '-' are refused for safety (see {@link Names}).
     */
    @Override
    public void validateDatabaseName(String name) {
        Names.rejectEmpty(name);
        Names.rejectControlCharacters(name);
        int chars = name.codePointCount(0, name.length());
        if (chars > MAX_NAME_CHARS) {
            throw new InvalidDatabaseNameException("database name is " + chars + " characters; MariaDB/MySQL allow at most " + MAX_NAME_CHARS);
        }
        if (name.endsWith(" ")) {
            throw new InvalidDatabaseNameException("database name must not end with a space (MariaDB/MySQL refuse it)");
        }
        if (name.codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
            throw new InvalidDatabaseNameException("database name must not contain characters outside the Basic Multilingual Plane"
                    + " such as emoji (MariaDB/MySQL identifiers are utf8mb3)");
        }
        Names.rejectLeadingDash(name);
    }

    @Override
    public ServerInfo probe(Endpoint endpoint, String password) throws EngineException {
        try (Connection connection = connect(endpoint, password, settings.socketTimeout());
             Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            String version = rs.getString(1);
            String type = version.contains("MariaDB") ? "mariadb" : "mysql";
            return new ServerInfo(type, version, leadingNumber(version));
        } catch (SQLException e) {
            throw failure(e, password);
        }
    }

    @Override
    public boolean databaseExists(Endpoint endpoint, String password, String database) throws EngineException {
        try (Connection connection = connect(endpoint, password, settings.socketTimeout());
             // BINARY: schema names compare case-sensitively on Linux (lower_case_table_names=0), so must we
             PreparedStatement st = connection.prepareStatement(
                     "SELECT 1 FROM information_schema.schemata WHERE BINARY schema_name = BINARY ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure(e, password);
        }
    }

    /** A connection with no default database; {@code socketTimeout} bounds every statement's wait (0 = none). */
    Connection connect(Endpoint endpoint, String password, Duration socketTimeout) throws EngineException, SQLException {
        Hosts.check(endpoint);
        Properties props = new Properties();
        props.setProperty("user", endpoint.username());
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Long.toString(settings.connectTimeout().toMillis()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        String url = "jdbc:mariadb://" + Hosts.forUrl(endpoint.host()) + ":" + endpoint.port() + "/";
        Connection connection = new org.mariadb.jdbc.Driver().connect(url, props);
        if (connection == null) {
            throw new EngineException("the MariaDB driver did not accept " + url);
        }
        return connection;
    }

    static EngineException failure(SQLException e, String password) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // the driver prefixes its connection number, e.g. "(conn=163) Access denied ...": the server's words follow
        return new EngineException(Secrets.scrub(message.replaceFirst("^\\(conn=\\d+\\)\\s*", ""), password));
    }

    @Override
    public ToolInvocation dump(Endpoint endpoint, String password, String database, ServerInfo server) throws EngineException {
        if (database == null || database.isEmpty()) {
            throw new EngineException("no database given to dump");
        }
        Hosts.check(endpoint);
        // without --databases the dump has no CREATE DATABASE / USE, so it restores into any name
        return invocation(dumpTool(), endpoint, password, database,
                List.of("--single-transaction", "--routines", "--triggers", "--events", "--hex-blob"));
    }

    /**
     * A client tool's command line: connection options first ({@code --no-defaults} must lead, so option files
     * such as ~/.my.cnf cannot change what we run), then the tool's own options, then {@code --} and the database
     * ("--" ends the options, so even a name starting with '-' is read as the database). The password goes in
     * {@code MYSQL_PWD}, never on the command line.
     */
    private static ToolInvocation invocation(InstalledTool tool, Endpoint endpoint, String password, String database,
                                             List<String> toolOptions) {
        List<String> command = new ArrayList<>();
        command.add(tool.path().toString());
        command.add("--no-defaults");
        command.add("--protocol=TCP");
        command.add("--host=" + endpoint.host());
        command.add("--port=" + endpoint.port());
        command.add("--user=" + endpoint.username());
        command.addAll(toolOptions);
        command.add("--default-character-set=utf8mb4");
        command.add("--");
        command.add(database);
        Map<String, String> env = password == null ? Map.of() : Map.of("MYSQL_PWD", password);
        return new ToolInvocation(command, env, tool.versionLine());
    }

    InstalledTool dumpTool() throws EngineException {
        return firstInstalled(List.of("mariadb-dump", "mysqldump"),
                "neither mariadb-dump nor mysqldump is installed: install mariadb-client");
    }

    private InstalledTool firstInstalled(List<String> names, String missing) throws EngineException {
        for (String name : names) {
            List<InstalledTool> found = locator.find(name, MariaDbEngine::anyNumber);
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
        throw new EngineException(missing);
    }

    private static int leadingNumber(String version) {
        Matcher m = LEADING_NUMBER.matcher(version.trim());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Order tools found by the "Distrib" version where there is one; any version line counts as found. */
    private static int anyNumber(String versionLine) {
        int distrib = versionLine.indexOf("Distrib ");
        Matcher m = ANY_NUMBER.matcher(distrib >= 0 ? versionLine.substring(distrib) : versionLine);
        return m.find() ? Math.max(1, Integer.parseInt(m.group(1))) : 1;
    }

    @Override
    public TableStatsCollector tableStatsCollector() {
        return new MariaDbTableStats();
    }

    @Override
    public String dumpTrailer() {
        return "-- Dump completed";
    }

    /**
     * The client reading the dump from stdin into {@code database} (the staging database). It stops at the first
     * error (no {@code --force}); {@code --binary-mode} keeps blobs and {@code \0} in strings as they are.
     */
    @Override
    public ToolInvocation restore(Endpoint endpoint, String password, String database, ServerInfo target) throws EngineException {
        if (database == null || database.isEmpty()) {
            throw new EngineException("no database given to restore into");
        }
        Hosts.check(endpoint);
        return invocation(clientTool(), endpoint, password, database, List.of("--batch", "--binary-mode"));
    }

    InstalledTool clientTool() throws EngineException {
        return firstInstalled(List.of("mariadb", "mysql"),
                "neither mariadb nor mysql (the client) is installed: install mariadb-client");
    }

    @Override
    public RestoreTarget restoreTarget(Endpoint endpoint, String password, String targetDatabase, java.util.UUID attemptId)
            throws EngineException {
        try {
            // no read timeout: the connection holds the lock for the whole job and runs the swap's DDL
            return MariaDbRestoreTarget.open(connect(endpoint, password, Duration.ZERO), password, targetDatabase, attemptId);
        } catch (SQLException e) {
            throw failure(e, password);
        }
    }

    /** The client prints {@code ERROR 1064 (42000) at line 12: You have an error ...}. */
    @Override
    public String restoreFailureReason(String stderr) {
        return stderr.lines().map(String::strip).filter(l -> l.startsWith("ERROR")).findFirst()
                .orElseGet(() -> DatabaseEngine.super.restoreFailureReason(stderr));
    }

    /**
     * mariadb-dump switches the database's character set around routines created under another one with
     * {@code ALTER DATABASE `source` CHARACTER SET …} lines: they must change the staging database, never the
     * source (which may be on this very server) or a missing one.
     */
    @Override
    public Map<String, String> restoreLineRewrites(String sourceDatabase, String stagingDatabase) {
        if (sourceDatabase == null || sourceDatabase.isEmpty()) {
            return Map.of();
        }
        return Map.of("ALTER DATABASE " + MariaDbRestoreTarget.quote(sourceDatabase) + " ",
                "ALTER DATABASE " + MariaDbRestoreTarget.quote(stagingDatabase) + " ");
    }
}
