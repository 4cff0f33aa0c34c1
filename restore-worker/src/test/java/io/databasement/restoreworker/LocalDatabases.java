package io.databasement.restoreworker;

import com.github.luben.zstd.ZstdOutputStream;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.Endpoint;
import io.databasement.engines.ToolInvocation;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The machine's PostgreSQL (trust auth) and MariaDB (root, no password); each test makes and drops its own databases. */
public final class LocalDatabases {

    public static final String PG_HOST = System.getProperty("dbm.it.pg.host", "127.0.0.1");
    public static final int PG_PORT = Integer.getInteger("dbm.it.pg.port", 5432);
    public static final String MARIADB_HOST = System.getProperty("dbm.it.mariadb.host", "127.0.0.1");
    public static final int MARIADB_PORT = Integer.getInteger("dbm.it.mariadb.port", 3306);

    public static final Endpoint PG = new Endpoint("postgresql", PG_HOST, PG_PORT, "postgres");
    public static final Endpoint MARIADB = new Endpoint("mariadb", MARIADB_HOST, MARIADB_PORT, "root");

    public static String uniqueName(String suffix) {
        return "dbm_it_restoreworker_" + UUID.randomUUID().toString().substring(0, 8) + suffix;
    }

    public static Connection pgConnection(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/"
                + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"), "postgres", "");
    }

    public static void pg(String database, String... sql) throws SQLException {
        try (Connection c = pgConnection(database); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public static Connection mariaConnection(String database) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_HOST + ":" + MARIADB_PORT + "/", "root", "");
        if (database != null) {
            try (Statement st = c.createStatement()) {
                st.execute("USE " + mariaQuote(database));
            }
        }
        return c;
    }

    public static void maria(String database, String... sql) throws SQLException {
        try (Connection c = mariaConnection(database); Statement st = c.createStatement()) {
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

    /** The engine's own dump command's output: what a snapshot holds before compression. */
    public static byte[] dump(DatabaseEngine engine, Endpoint endpoint, String database) throws Exception {
        ToolInvocation tool = engine.dump(endpoint, null, database, engine.probe(endpoint, null));
        return run(tool.command(), tool.environment());
    }

    /**
     * A comparable schema + data dump (not the snapshot format): pg_dump without --clean, mariadb-dump with
     * routines, triggers and events; lines that name the dump's time, the database or a random key are dropped.
     */
    public static String comparableDump(String engine, String database) throws Exception {
        byte[] out = engine.equals("postgresql")
                ? run(List.of("pg_dump", "--no-owner", "--no-privileges", "--format=plain"),
                        java.util.Map.of("PGHOST", PG_HOST, "PGPORT", Integer.toString(PG_PORT), "PGUSER", "postgres", "PGDATABASE", database))
                : run(List.of("mariadb-dump", "--no-defaults", "--protocol=TCP", "--host=" + MARIADB_HOST, "--port=" + MARIADB_PORT,
                        "--user=root", "--routines", "--triggers", "--events", "--hex-blob", "--skip-dump-date", "--", database),
                        java.util.Map.of());
        StringBuilder normal = new StringBuilder();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.startsWith("\\restrict") || line.startsWith("\\unrestrict") || line.startsWith("-- Host:")) {
                continue;
            }
            normal.append(line).append('\n');
        }
        return normal.toString();
    }

    private static byte[] run(List<String> command, java.util.Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed");
        }
        return out;
    }

    public static byte[] zstd(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    public static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private LocalDatabases() {
    }
}
