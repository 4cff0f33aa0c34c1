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

class MariaDbRestoreIT {

    /** Tables, a view over a function, a procedure, two ordered triggers and an event: what has to move. */
    private static final String NEW_CONTENT = """
            CREATE TABLE t (v varchar(20));
            CREATE TABLE audit (n int);
            INSERT INTO t VALUES ('new');
            CREATE FUNCTION shout(s varchar(20)) RETURNS varchar(40) DETERMINISTIC RETURN CONCAT(UPPER(s), '!');
            CREATE VIEW loud AS SELECT shout(v) AS v FROM t;
            CREATE PROCEDURE add_one() INSERT INTO t VALUES ('one');
            CREATE TRIGGER first_trg AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES (1);
            CREATE TRIGGER second_trg AFTER INSERT ON t FOR EACH ROW FOLLOWS first_trg INSERT INTO audit VALUES (2);
            CREATE EVENT tick ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit;
            """;

    private final MariaDbEngine engine = new MariaDbEngine();
    private final String unique = "dbm_it_engines_rst_" + UUID.randomUUID().toString().substring(0, 6);
    private final String target = unique + " Ü`x";
    private final List<Connection> open = new ArrayList<>();

    @AfterEach
    void dropEverything() throws Exception {
        for (Connection c : open) {
            c.close();
        }
        for (String name : databasesLike()) {
            LocalServers.maria("DROP DATABASE IF EXISTS " + LocalServers.mariaQuote(name));
        }
    }

    @Test
    void swapReplacesTablesViewsRoutinesTriggersAndEventsEvenWithASessionOpenOnTheTarget() throws Exception {
        createOldTarget();
        Connection user = connect(target);

        try (RestoreTarget restore = engine.restoreTarget(LocalServers.mariadb(), null, target, UUID.randomUUID())) {
            assertThat(restore.targetExisted()).isTrue();
            restore.createStaging();
            LocalServers.Result loaded = load(restore, NEW_CONTENT);
            assertThat(loaded.exitCode()).as(loaded.stderr()).isZero();
            restore.swap();
        }

        assertThat(query("SELECT v FROM loud")).containsExactly("NEW!");
        update("CALL add_one()");
        assertThat(query("SELECT n FROM audit ORDER BY n")).containsExactly("1", "2");
        assertThat(query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1"))
                .containsExactly("audit", "loud", "t");
        assertThat(query("SELECT event_name FROM information_schema.events WHERE event_schema = DATABASE()")).containsExactly("tick");
        assertThat(query("SELECT routine_name FROM information_schema.routines WHERE routine_schema = DATABASE() ORDER BY 1"))
                .containsExactly("add_one", "shout");
        assertThat(user.isValid(2)).as("the old session was killed").isFalse();
        assertThat(databasesLike()).containsExactly(target);
    }

    @Test
    void swapIntoADatabaseThatDoesNotExistCreatesIt() throws Exception {
        try (RestoreTarget restore = engine.restoreTarget(LocalServers.mariadb(), null, target, UUID.randomUUID())) {
            assertThat(restore.targetExisted()).isFalse();
            restore.createStaging();
            assertThat(load(restore, NEW_CONTENT).exitCode()).isZero();
            restore.swap();
        }

        assertThat(query("SELECT v FROM loud")).containsExactly("NEW!");
        assertThat(databasesLike()).containsExactly(target);
    }

    @Test
    void aTableMoveThatCannotGetItsLocksRollsBackAndLeavesTheTargetAsItWas() throws Exception {
        createOldTarget();
        // a transaction from a session in another database holds a metadata lock on a table without triggers:
        // the triggers and views are dropped, then the table move times out and they must come back
        Connection holder = connect(null);
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
            st.executeQuery("SELECT * FROM " + LocalServers.mariaQuote(target) + ".old_audit").close();
        }

        try (RestoreTarget restore = engine.restoreTarget(LocalServers.mariadb(), null, target, UUID.randomUUID())) {
            ((MariaDbRestoreTarget) restore).lockWaitTimeoutSeconds = 1;
            restore.createStaging();
            assertThat(load(restore, NEW_CONTENT).exitCode()).isZero();

            assertThatThrownBy(restore::swap).isInstanceOf(SwapException.class)
                    .hasMessageContaining("rolled back")
                    .satisfies(e -> assertThat(((SwapException) e).targetTouched()).isFalse());
        }
        holder.rollback();

        assertThat(query("SELECT v FROM t")).containsExactly("old");
        assertThat(query("SELECT v FROM old_view")).containsExactly("old");
        update("INSERT INTO t VALUES ('x')");
        assertThat(query("SELECT n FROM old_audit")).containsExactly("9");
        assertThat(databasesLike()).containsExactly(target);
    }

    @Test
    void aSecondRestoreIntoTheSameTargetIsRefusedWhileTheFirstHoldsTheLock() throws Exception {
        try (RestoreTarget first = engine.restoreTarget(LocalServers.mariadb(), null, target, UUID.randomUUID())) {
            assertThatThrownBy(() -> engine.restoreTarget(LocalServers.mariadb(), null, target, UUID.randomUUID()))
                    .isInstanceOf(EngineException.class).hasMessageContaining("another restore");
        }
        engine.restoreTarget(LocalServers.mariadb(), null, target, UUID.randomUUID()).close();
    }

    @Test
    void theRestoreToolStopsAtTheFirstErrorAndSaysItInTheServersWords() throws Exception {
        try (RestoreTarget restore = engine.restoreTarget(LocalServers.mariadb(), null, target, UUID.randomUUID())) {
            restore.createStaging();
            LocalServers.Result result = load(restore, "CREATE TABLE t (v int);\nINSERT INTO nowhere VALUES (1);\nCREATE TABLE u (v int);\n");

            assertThat(result.exitCode()).isNotZero();
            assertThat(engine.restoreFailureReason(result.stderr())).startsWith("ERROR 1146 (42S02) at line 2").contains("nowhere");
        }
        assertThat(databasesLike()).isEmpty();
    }

    private void createOldTarget() throws SQLException {
        String db = LocalServers.mariaQuote(target);
        LocalServers.maria("CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (v varchar(20))", "INSERT INTO " + db + ".t VALUES ('old')",
                "CREATE TABLE " + db + ".old_audit (n int)",
                "CREATE VIEW " + db + ".old_view AS SELECT v FROM " + db + ".t",
                "CREATE TRIGGER " + db + ".old_trg AFTER INSERT ON " + db + ".t FOR EACH ROW INSERT INTO old_audit VALUES (9)");
    }

    private LocalServers.Result load(RestoreTarget restore, String sql) throws Exception {
        ServerInfo server = engine.probe(LocalServers.mariadb(), null);
        return LocalServers.run(engine.restore(LocalServers.mariadb(), null, restore.stagingDatabase(), server), sql);
    }

    private Connection connect(String database) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:mariadb://" + LocalServers.MARIADB_HOST + ":" + LocalServers.MARIADB_PORT + "/",
                "root", "");
        if (database != null) {
            try (Statement st = c.createStatement()) {
                st.execute("USE " + LocalServers.mariaQuote(database));
            }
        }
        open.add(c);
        return c;
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(target); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private void update(String sql) throws SQLException {
        try (Connection c = connect(target); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The target and any staging/old database derived from it. */
    private List<String> databasesLike() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(null); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT schema_name FROM information_schema.schemata")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name.equals(target) || (name.startsWith("dbm_rst_") || name.startsWith("dbm_old_")) && name.contains(unique)) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
