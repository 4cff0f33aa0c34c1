package io.databasement.backupworker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The machine's PostgreSQL (trust auth) and MariaDB (root, no password); each test makes and drops its own database. */
public final class LocalDatabases {

    public static final String PG_HOST = System.getProperty("dbm.it.pg.host", "127.0.0.1");
    public static final int PG_PORT = Integer.getInteger("dbm.it.pg.port", 5432);
    public static final String MARIADB_HOST = System.getProperty("dbm.it.mariadb.host", "127.0.0.1");
    public static final int MARIADB_PORT = Integer.getInteger("dbm.it.mariadb.port", 3306);

    public static String uniqueName(String suffix) {
        return "dbm_it_backupworker_" + UUID.randomUUID().toString().substring(0, 8) + suffix;
    }

    public static void pg(String database, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database, "postgres", "");
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public static void maria(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_HOST + ":" + MARIADB_PORT + "/", "root", "");
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public static String pgQuote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    public static String mariaQuote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private LocalDatabases() {
    }
}
