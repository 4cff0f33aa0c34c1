package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresRestoreIT {

    private final PostgresEngine engine = new PostgresEngine();
    private final String target = "dbm_it_engines_rst_" + UUID.randomUUID().toString().substring(0, 6) + " Ü\"x";
    private final List<Connection> open = new ArrayList<>();

    @AfterEach
    void dropEverything() throws Exception {
        for (Connection c : open) {
            c.close();
        }
        for (String name : databasesLike(target)) {
            LocalServers.pg("postgres", "DROP DATABASE IF EXISTS " + LocalServers.pgQuote(name) + " WITH (FORCE)");
        }
    }

    @Test
    void swapReplacesAnExistingDatabaseEvenWithASessionOpenOnIt() throws Exception {
        LocalServers.pg("postgres", "CREATE DATABASE " + LocalServers.pgQuote(target));
        LocalServers.pg(target, "CREATE TABLE t(v text)", "INSERT INTO t VALUES ('old')");
        Connection user = connect(target);

        try (RestoreTarget restore = engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID())) {
            assertThat(restore.targetExisted()).isTrue();
            restore.createStaging();
            load(restore, "CREATE TABLE t(v text); INSERT INTO t VALUES ('new');");
            restore.swap();
        }

        assertThat(values(target)).containsExactly("new");
        assertThat(user.isValid(2)).as("the old session was terminated").isFalse();
        assertThat(databasesLike(target)).containsExactly(target);
    }

    @Test
    void theStagingDatabaseADeadAttemptLeftBehindIsDroppedByTheNextAttempt() throws Exception {
        String leftover = "dbm_rst_deadbeef_" + target;
        String otherTargets = "dbm_rst_deadbeef_" + target + "2";
        LocalServers.pg("postgres", "CREATE DATABASE " + LocalServers.pgQuote(leftover), "CREATE DATABASE " + LocalServers.pgQuote(otherTargets));
        try {
            try (RestoreTarget restore = engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID())) {
                restore.createStaging();
                load(restore, "CREATE TABLE t(v text); INSERT INTO t VALUES ('new');");
                restore.swap();
            }

            assertThat(databasesLike(target)).containsExactlyInAnyOrder(target, otherTargets);
        } finally {
            LocalServers.pg("postgres", "DROP DATABASE IF EXISTS " + LocalServers.pgQuote(otherTargets));
        }
    }

    @Test
    void swapIntoADatabaseThatDoesNotExistCreatesIt() throws Exception {
        try (RestoreTarget restore = engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID())) {
            assertThat(restore.targetExisted()).isFalse();
            restore.createStaging();
            load(restore, "CREATE TABLE t(v text); INSERT INTO t VALUES ('new');");
            restore.swap();
        }

        assertThat(values(target)).containsExactly("new");
        assertThat(databasesLike(target)).containsExactly(target);
    }

    @Test
    void aSwapThatFailsHalfwayRollsBackAndLeavesTheTargetAsItWas() throws Exception {
        LocalServers.pg("postgres", "CREATE DATABASE " + LocalServers.pgQuote(target));
        LocalServers.pg(target, "CREATE TABLE t(v text)", "INSERT INTO t VALUES ('old')");

        try (RestoreTarget restore = engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID())) {
            restore.createStaging();
            load(restore, "CREATE TABLE t(v text); INSERT INTO t VALUES ('new');");
            // a session on staging makes its rename fail after the target was already moved aside
            connect(restore.stagingDatabase());

            assertThatThrownBy(restore::swap).isInstanceOf(SwapException.class)
                    .hasMessageContaining("rolled back")
                    .satisfies(e -> assertThat(((SwapException) e).targetTouched()).isFalse());
        }

        assertThat(values(target)).containsExactly("old");
        assertThat(databasesLike(target)).containsExactly(target);
    }

    @Test
    void aSecondRestoreIntoTheSameTargetIsRefusedWhileTheFirstHoldsTheLock() throws Exception {
        try (RestoreTarget first = engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID())) {
            assertThatThrownBy(() -> engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID()))
                    .isInstanceOf(EngineException.class).hasMessageContaining("another restore");
        }
        engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID()).close();
    }

    @Test
    void theRestoreToolStopsAtTheFirstErrorAndSaysItInTheServersWords() throws Exception {
        try (RestoreTarget restore = engine.restoreTarget(LocalServers.postgres(), null, target, UUID.randomUUID())) {
            restore.createStaging();
            LocalServers.Result result = load(restore, "CREATE TABLE t(v text);\nINSERT INTO nowhere VALUES (1);\nCREATE TABLE u(v text);\n");

            assertThat(result.exitCode()).isNotZero();
            assertThat(engine.restoreFailureReason(result.stderr())).isEqualTo("ERROR:  relation \"nowhere\" does not exist");
            try (Connection c = connect(restore.stagingDatabase()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'u'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("nothing ran after the error").isZero();
            }
        }
        assertThat(databasesLike(target)).isEmpty();
    }

    @Test
    void aSnapshotOfANewerMajorVersionIsRefused() {
        assertThatThrownBy(() -> engine.checkRestorable("postgresql", "16.4", new ServerInfo("postgresql", "15.20", 15)))
                .isInstanceOf(EngineException.class).hasMessageContaining("older major version");
    }

    private LocalServers.Result load(RestoreTarget restore, String sql) throws Exception {
        ServerInfo server = engine.probe(LocalServers.postgres(), null);
        return LocalServers.run(engine.restore(LocalServers.postgres(), null, restore.stagingDatabase(), server), sql);
    }

    private Connection connect(String database) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:postgresql://" + LocalServers.PG_HOST + ":" + LocalServers.PG_PORT
                + "/" + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), "postgres", "");
        open.add(c);
        return c;
    }

    private List<String> values(String database) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM t")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The target and any staging/old database derived from it. */
    private static List<String> databasesLike(String target) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + LocalServers.PG_HOST + ":" + LocalServers.PG_PORT + "/postgres",
                "postgres", ""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT datname FROM pg_database")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String unique = target.substring(0, 25);
                if (name.equals(target) || (name.startsWith("dbm_rst_") || name.startsWith("dbm_old_")) && name.contains(unique)) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
