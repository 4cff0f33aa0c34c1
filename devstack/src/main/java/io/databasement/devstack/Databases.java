package io.databasement.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** CREATE/DROP DATABASE over JDBC with quoted identifiers (names come from tests, still never trusted). */
final class Databases {

    private Databases() {
    }

    static String quotePostgres(String name) {
        requireSane(name);
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String quoteMariaDb(String name) {
        requireSane(name);
        return '`' + name.replace("`", "``") + '`';
    }

    private static void requireSane(String name) {
        if (name == null || name.isEmpty() || name.length() > 63 || name.chars().anyMatch(c -> c == 0)) {
            throw new IllegalArgumentException("database name must be 1..63 characters without NUL: " + name);
        }
    }

    static void execute(String jdbcUrl, String user, String password, String sql) {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl, props);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    static boolean canConnect(String jdbcUrl, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "3");
        try (Connection connection = DriverManager.getConnection(jdbcUrl, props)) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }
}
