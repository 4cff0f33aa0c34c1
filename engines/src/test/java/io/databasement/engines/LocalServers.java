package io.databasement.engines;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/** The machine's real PostgreSQL (trust auth) and MariaDB (root, no password); overridable by system properties. */
final class LocalServers {

    static final String PG_HOST = System.getProperty("dbm.it.pg.host", "127.0.0.1");
    static final int PG_PORT = Integer.getInteger("dbm.it.pg.port", 5432);
    static final String MARIADB_HOST = System.getProperty("dbm.it.mariadb.host", "127.0.0.1");
    static final int MARIADB_PORT = Integer.getInteger("dbm.it.mariadb.port", 3306);

    static Endpoint postgres() {
        return new Endpoint("postgresql", PG_HOST, PG_PORT, "postgres");
    }

    static Endpoint mariadb() {
        return new Endpoint("mariadb", MARIADB_HOST, MARIADB_PORT, "root");
    }

    static void pg(String database, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database, "postgres", "");
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    static void maria(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + MARIADB_HOST + ":" + MARIADB_PORT + "/", "root", "");
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    static String pgQuote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String mariaQuote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** Runs a tool the way a worker does (argv list, extra environment, stdin closed) and returns stdout. */
    static Result run(ToolInvocation invocation) throws Exception {
        return run(invocation, "");
    }

    /** Runs a tool with {@code input} on its stdin. */
    static Result run(ToolInvocation invocation, String input) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(invocation.command());
        pb.environment().putAll(invocation.environment());
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        drain.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("tool did not finish");
        }
        drain.join();
        return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String stdout, String stderr) {
        /** The last non-empty line that is not noise the engine allows after its trailer. */
        String lastSignificantLine(DatabaseEngine engine) {
            return stdout.lines().filter(l -> !l.isBlank() && !engine.followsTrailer(l)).reduce((a, b) -> b).orElse("");
        }
    }

    private LocalServers() {
    }
}
