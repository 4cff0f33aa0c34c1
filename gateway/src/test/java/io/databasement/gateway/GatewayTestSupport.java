package io.databasement.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every gateway test application needs: its own throw-away database on the machine's PostgreSQL
 * ({@code dbm_it_gateway_<random>}, left for a later run to drop once nobody uses it), a known admin token,
 * and no Kafka consumers (the events tests turn those on with their own broker).
 * {@code DBM_TEST_PG_URL} / {@code _USER} / {@code _PASSWORD} point it at another server.
 */
public final class GatewayTestSupport {

    public static final String ADMIN_TOKEN = "it-admin-" + UUID.randomUUID();
    private static final String ADMIN_URL = System.getenv().getOrDefault("DBM_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getenv().getOrDefault("DBM_TEST_PG_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("DBM_TEST_PG_PASSWORD", "");
    private static final String PREFIX = "dbm_it_gateway_";
    private static String url;

    public static void register(DynamicPropertyRegistry registry) {
        registerDatabase(registry);
        registry.add("dbm.gateway.admin-token", () -> ADMIN_TOKEN);
        registry.add("dbm.gateway.events.enabled", () -> "false");
    }

    /** Only the database: for tests that configure tokens and Kafka themselves. */
    public static void registerDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", GatewayTestSupport::databaseUrl);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }

    /** A request to the gateway carrying the admin token. */
    public static HttpRequest.Builder asAdmin(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    public static synchronized String databaseUrl() {
        if (url == null) {
            dropLeftovers();
            String name = PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("create database " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("gateway test database: " + e.getMessage(), e);
            }
            url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
        }
        return url;
    }

    /** A connection to the test database, in the gateway's schema. */
    public static Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(databaseUrl(), USER, PASSWORD);
        c.setSchema("gateway");
        return c;
    }

    private static void dropLeftovers() {
        try (Connection c = admin(); Statement s = c.createStatement()) {
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
            throw new IllegalStateException("gateway test database: listing leftovers failed: " + e.getMessage(), e);
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
    }

    private GatewayTestSupport() {
    }
}
