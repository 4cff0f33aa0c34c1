package io.databasement.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * One throw-away PostgreSQL database per test JVM on the machine's server ({@code dbm_it_catalog_<random>}),
 * dropped when the JVM exits. Override the server with {@code DBM_TEST_PG_URL} (a JDBC URL to any database).
 */
public final class TestDatabase {

    private static final String ADMIN_URL = System.getenv().getOrDefault("DBM_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("DBM_TEST_PG_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("DBM_TEST_PG_PASSWORD", "");
    private static String url;

    public static synchronized String url() {
        if (url == null) {
            String name = "dbm_it_catalog_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute("create database " + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> execute("drop database if exists " + name + " with (force)")));
            url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
        }
        return url;
    }

    public static String user() {
        return USER;
    }

    public static String password() {
        return PASSWORD;
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private TestDatabase() {
    }
}
