package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.TableStats;
import io.databasement.engines.stats.TableStatsCollector;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Table statistics from the real tools' dumps of awkward databases: every table's row count equals
 * {@code count(*)}, and a copy restored from the dump and dumped again gives identical statistics.
 */
class TableStatsIT {

    private static final String AWKWARD_TEXT = "it's \"q\" \\ back\\slash\n new\rline\ttab ),( (( \\. \\N é ✓ 😀";

    @Test
    void postgresStatisticsMatchCountsAndSurviveARestore() throws Exception {
        PostgresEngine engine = new PostgresEngine();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String source = "dbm_it_stats_" + suffix + " src";
        String copy = "dbm_it_stats_" + suffix + " copy";
        LocalServers.pg("postgres", "CREATE DATABASE " + LocalServers.pgQuote(source), "CREATE DATABASE " + LocalServers.pgQuote(copy));
        try {
            // a database-level time zone the copy does not have: timestamptz must still print the same (PGTZ=UTC)
            LocalServers.pg("postgres", "ALTER DATABASE " + LocalServers.pgQuote(source) + " SET timezone TO 'Asia/Tokyo'");
            // and a bytea output format the copy does not have: bytea must still print the same (bytea_output=hex)
            LocalServers.pg("postgres", "ALTER DATABASE " + LocalServers.pgQuote(source) + " SET bytea_output TO 'escape'");
            LocalServers.pg(source,
                    "CREATE SCHEMA \"Odd \"\"Schema\"\"\"",
                    "CREATE SCHEMA second",
                    "CREATE TABLE public.awkward(id int, t text, b bytea, ts timestamptz, j jsonb)",
                    "INSERT INTO public.awkward VALUES (1, " + pgString(AWKWARD_TEXT) + ", '\\x00ff0a5c2e'::bytea, '2024-02-29 23:59:59+05', '{\"a\": \"),(\"}'),"
                            + " (2, NULL, NULL, NULL, NULL), (3, '', ''::bytea, 'infinity', 'null'), (4, E'\\\\.', NULL, NULL, NULL)",
                    "INSERT INTO public.awkward SELECT g, md5(g::text), decode(md5(g::text), 'hex'), now(), NULL FROM generate_series(5, 3000) g",
                    "CREATE TABLE \"Odd \"\"Schema\"\"\".\"table with spaces, \"\"quotes\"\" and ünïcødé\"(x int, y text)",
                    "INSERT INTO \"Odd \"\"Schema\"\"\".\"table with spaces, \"\"quotes\"\" and ünïcødé\" VALUES (1, 'a'), (2, 'b')",
                    "CREATE TABLE second.awkward(x numeric, y float8, z interval)",
                    "INSERT INTO second.awkward VALUES (1.5, 0.1, '1 day 2 hours'), (NULL, 'NaN', NULL)",
                    "CREATE TABLE public.empty(a int)",
                    "CREATE TABLE public.no_columns()",
                    "INSERT INTO public.no_columns DEFAULT VALUES",
                    "CREATE TABLE public.parted(id int, k int) PARTITION BY RANGE (k)",
                    "CREATE TABLE public.parted_low PARTITION OF public.parted FOR VALUES FROM (0) TO (10)",
                    "CREATE TABLE public.parted_high PARTITION OF public.parted FOR VALUES FROM (10) TO (100)",
                    "INSERT INTO public.parted SELECT g, g FROM generate_series(0, 50) g",
                    "CREATE TABLE public.generated(a int, b int GENERATED ALWAYS AS (a * 2) STORED)",
                    "INSERT INTO public.generated(a) VALUES (1), (2)",
                    "CREATE SEQUENCE public.seq",
                    "SELECT setval('public.seq', 42)",
                    "CREATE VIEW public.a_view AS SELECT * FROM public.awkward",
                    "CREATE MATERIALIZED VIEW public.a_matview AS SELECT id FROM public.awkward");
            ServerInfo server = engine.probe(LocalServers.postgres(), null);

            byte[] dump = run(engine.dump(LocalServers.postgres(), null, source, server), null);
            List<TableStats> stats = statsOf(engine, dump);

            Map<String, Long> counts = pgCounts(source);
            assertThat(counts).containsEntry("public.no_columns", 1L).containsEntry("public.empty", 0L)
                    .containsEntry("public.parted_low", 10L).doesNotContainKey("public.parted");
            assertThat(asCounts(stats)).isEqualTo(counts);

            run(engine.restore(LocalServers.postgres(), null, copy, server), dump);
            List<TableStats> again = statsOf(engine, run(engine.dump(LocalServers.postgres(), null, copy, server), null));
            assertThat(again).isEqualTo(stats);
        } finally {
            LocalServers.pg("postgres", "DROP DATABASE IF EXISTS " + LocalServers.pgQuote(source) + " WITH (FORCE)",
                    "DROP DATABASE IF EXISTS " + LocalServers.pgQuote(copy) + " WITH (FORCE)");
        }
    }

    @Test
    void mariadbStatisticsMatchCountsAndSurviveARestore() throws Exception {
        MariaDbEngine engine = new MariaDbEngine();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String source = "dbm_it_stats_" + suffix + " src";
        String copy = "dbm_it_stats_" + suffix + " copy";
        String s = LocalServers.mariaQuote(source);
        LocalServers.maria("CREATE DATABASE " + s + " CHARACTER SET utf8mb4", "CREATE DATABASE " + LocalServers.mariaQuote(copy)
                + " CHARACTER SET utf8mb4");
        try {
            LocalServers.maria("USE " + s,
                    "CREATE TABLE " + s + ".awkward(id int, t text, b blob, vb varbinary(16), ts timestamp NULL, d datetime(6), j json,"
                            + " bits bit(8), e enum('a','b'))",
                    "INSERT INTO " + s + ".awkward VALUES (1, " + mariaString(AWKWARD_TEXT) + ", x'00ff0a5c27282c29', x'27', "
                            + "'2024-02-29 23:59:59', '2024-01-01 00:00:00.123456', '{\"a\": \"),(\"}', b'101', 'b'),"
                            + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), (3, '', '', '', NULL, NULL, NULL, b'0', 'a')",
                    "INSERT INTO " + s + ".awkward SELECT seq, md5(seq), unhex(md5(seq)), NULL, NULL, NULL, NULL, NULL, NULL FROM seq_5_to_20000",
                    "CREATE TABLE " + s + ".`table with spaces, ``ticks'' and ünïcødé`(x int, y text)",
                    "INSERT INTO " + s + ".`table with spaces, ``ticks'' and ünïcødé` VALUES (1, 'a'), (2, '),(')",
                    "CREATE TABLE " + s + ".empty(a int)",
                    "CREATE TABLE " + s + ".generated(a int, b int AS (a * 2) STORED, c int AS (a + 1) VIRTUAL)",
                    "INSERT INTO " + s + ".generated(a) VALUES (1), (2)",
                    "CREATE TABLE " + s + ".invisible(a int, b int INVISIBLE)",
                    "INSERT INTO " + s + ".invisible(a, b) VALUES (1, 2)",
                    "CREATE TABLE " + s + ".versioned(a int) WITH SYSTEM VERSIONING",
                    "INSERT INTO " + s + ".versioned VALUES (1), (2)",
                    "UPDATE " + s + ".versioned SET a = 3 WHERE a = 1",
                    "CREATE SEQUENCE " + s + ".seq",
                    "CREATE VIEW " + s + ".a_view AS SELECT id FROM " + s + ".awkward",
                    // a data-like INSERT in a trigger body is not data
                    "CREATE TRIGGER trg AFTER INSERT ON empty FOR EACH ROW INSERT INTO `generated` VALUES (NEW.a, DEFAULT, DEFAULT)");
            ServerInfo server = engine.probe(LocalServers.mariadb(), null);

            byte[] dump = run(engine.dump(LocalServers.mariadb(), null, source, server), null);
            List<TableStats> stats = statsOf(engine, dump);

            Map<String, Long> counts = mariaCounts(source);
            assertThat(counts).containsEntry("empty", 0L).containsEntry("versioned", 2L).containsEntry("awkward", 19999L);
            assertThat(asCounts(stats)).isEqualTo(counts);

            run(engine.restore(LocalServers.mariadb(), null, copy, server), dump);
            List<TableStats> again = statsOf(engine, run(engine.dump(LocalServers.mariadb(), null, copy, server), null));
            assertThat(again).isEqualTo(stats);
        } finally {
            LocalServers.maria("DROP DATABASE IF EXISTS " + s, "DROP DATABASE IF EXISTS " + LocalServers.mariaQuote(copy));
        }
    }

    private static List<TableStats> statsOf(DatabaseEngine engine, byte[] dump) {
        TableStatsCollector collector = engine.tableStatsCollector();
        for (int at = 0; at < dump.length; at += 8192) {
            collector.feed(dump, at, Math.min(8192, dump.length - at));
        }
        return collector.finish();
    }

    private static Map<String, Long> asCounts(List<TableStats> stats) {
        Map<String, Long> counts = new TreeMap<>();
        stats.forEach(t -> counts.put(t.table(), t.rows()));
        return counts;
    }

    /** Every table that holds rows itself (partitions, not their parent), counted by the server. */
    private static Map<String, Long> pgCounts(String database) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + LocalServers.PG_HOST + ":" + LocalServers.PG_PORT + "/"
                + database.replace(" ", "%20"), "postgres", ""); Statement st = c.createStatement()) {
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + LocalServers.pgQuote(t[0]) + "." + LocalServers.pgQuote(t[1]))) {
                    rs.next();
                    counts.put(t[0] + "." + t[1], rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static Map<String, Long> mariaCounts(String database) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + LocalServers.MARIADB_HOST + ":" + LocalServers.MARIADB_PORT + "/",
                "root", ""); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_type IN ('BASE TABLE',"
                    + " 'SYSTEM VERSIONED') AND table_schema = " + mariaString(database))) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + LocalServers.mariaQuote(database) + "." + LocalServers.mariaQuote(t))) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    /** Runs a tool (stdin = {@code input}, or closed) and returns its stdout bytes; fails on a non-zero exit. */
    private static byte[] run(ToolInvocation invocation, byte[] input) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(invocation.command());
        pb.environment().keySet().removeIf(k -> k.startsWith("PG") || k.startsWith("MYSQL"));
        pb.environment().putAll(invocation.environment());
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try (InputStream in = p.getErrorStream()) {
                in.transferTo(err);
            } catch (Exception ignored) {
                // the process ended
            }
        });
        drain.start();
        Thread feeder = new Thread(() -> {
            try (OutputStream stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            } catch (Exception ignored) {
                // the tool stopped reading: its exit code says why
            }
        });
        feeder.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        drain.join();
        feeder.join();
        assertThat(p.exitValue()).as(err.toString()).isZero();
        return out;
    }

    private static String pgString(String text) {
        return "E'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "'";
    }

    private static String mariaString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r") + "'";
    }
}
