package io.databasement.gateway.openapi;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One throw-away PostgreSQL database per test JVM on the machine's server ({@code dbm_it_gateway_<random>}),
 * dropped by a later run once nobody uses it. Override the server with {@code DBM_TEST_PG_URL} (a JDBC URL to any database).
 */
final class OpenApiTestDatabase {

    private static final String ADMIN_URL = System.getenv().getOrDefault("DBM_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("DBM_TEST_PG_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("DBM_TEST_PG_PASSWORD", "");
    private static final String PREFIX = "dbm_it_gateway_";
    private static String url;

    static synchronized String url() {
        if (url == null) {
            dropLeftovers();
            String name = PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute("create database " + name);
            // no drop at exit: a shutdown hook dropping it races the Spring context's own shutdown, whose event
            // registry then waits 30 s for a connection and the fork is killed; the next run drops it instead
            url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
        }
        return url;
    }

    /** Test databases of earlier runs that nobody is connected to (a parallel run's own is in use). */
    private static void dropLeftovers() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
            List<String> leftovers = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select datname from pg_database d where datname like '" + PREFIX + "%' "
                    + "and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)")) {
                while (r.next()) {
                    leftovers.add(r.getString(1));
                }
            }
            for (String name : leftovers) {
                try {
                    s.execute("drop database if exists " + name);
                } catch (SQLException e) {
                    // someone connected in between: it is theirs
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test database: listing leftovers failed: " + e.getMessage(), e);
        }
    }

    static String user() {
        return USER;
    }

    static String password() {
        return PASSWORD;
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private OpenApiTestDatabase() {
    }
}
