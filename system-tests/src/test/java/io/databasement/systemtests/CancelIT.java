package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.databasement.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7 item 2 end to end: a running snapshot and a running restore cancelled through the gateway end CANCELLED
 * within 30 s, leave no object in the volume and no staging database, never touch the restore's target, and the
 * workers take the next job as usual.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final Duration CANCEL_WITHIN = Duration.ofSeconds(30);
    // spelled out: this module's test classpath may hold a contracts jar from before these types existed
    private static final String SNAPSHOT_CANCELLED = "io.databasement.snapshot.cancelled.v1";
    private static final String RESTORE_CANCELLED = "io.databasement.restore.cancelled.v1";

    private Api api;
    private Flows flows;
    private String volume;
    private String pgServer;
    private final List<String> postgresToDrop = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        api = Stack.get().api();
        flows = new Flows(api);
        volume = flows.localVolume("cancel-vol-" + SUFFIX, Files.createTempDirectory("dbm-sys-cancel-"));
        pgServer = flows.postgresServer("pg-cancel-" + SUFFIX);
    }

    @AfterAll
    void drop() {
        postgresToDrop.forEach(Stack::dropPostgresDatabase);
    }

    @Test
    void aRunningSnapshotIsCancelledItsPartialUploadRemovedAndTheWorkerTakesTheNextOne() throws Exception {
        String source = "dbm_it_cx_bk_" + SUFFIX;
        Stack.createPostgresDatabase(source);
        postgresToDrop.add(source);
        try (Connection c = Stack.postgres(source); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE big (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO big SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
        }
        // a volume of its own: nothing else is written into it
        Path volumeDir = Files.createTempDirectory("dbm-sys-cancel-bk-");
        String ownVolume = flows.localVolume("cancel-bk-vol-" + SUFFIX, volumeDir);
        String id;
        // a dump that cannot finish by itself for a while: pg_dump waits for this lock (up to its lock-wait-timeout)
        try (Connection holder = Stack.postgres(source); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE big IN ACCESS EXCLUSIVE MODE");

            Api.Response accepted = api.post("/api/v1/snapshots", Map.of("serverId", pgServer, "database", source,
                    "volumeId", ownVolume));
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            id = accepted.json().path("id").asText();
            // running: its worker reported the start (the object key is known) and pg_dump is waiting
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode s1 = api.get("/api/v1/snapshots/" + id).json();
                return s1.path("status").asText().equals("RUNNING") && s1.path("objectKey").isTextual() && pgDumpWaiting(source);
            });
            assertThat(toolsOfBackupWorker()).as("pg_dump runs").anyMatch(command -> command.endsWith("pg_dump"));

            Api.Response cancel = api.post("/api/v1/snapshots/" + id + "/cancel", Map.of());
            assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);
            assertThat(cancel.json().path("cancelRequestedAt").isNull()).isFalse();

            JsonNode ended = awaitStatus("/api/v1/snapshots/" + id, "CANCELLED");
            assertThat(ended.path("error").asText()).startsWith("cancelled by ").contains("the partial upload was removed");
            // still under the lock, so the dump cannot have finished by itself: it was killed
            assertThat(toolsOfBackupWorker()).as("no pg_dump left running").noneMatch(command -> command.endsWith("pg_dump"));
            holder.rollback();
        }
        // PostgreSQL notices a killed client of a backend that waits for a lock only once it gets the lock
        await("the killed pg_dump's session is gone").atMost(Duration.ofSeconds(10)).until(() -> toolSessions(source) == 0);
        assertThat(filesIn(volumeDir)).as("nothing of the cancelled snapshot is left in the volume").isEmpty();
        assertThat(TopicRecords.all(Topics.SNAPSHOT_EVENTS)).anyMatch(r -> r.contains("ce_type=" + SNAPSHOT_CANCELLED) && r.contains(id));

        Flows.assertProblem(api.post("/api/v1/snapshots/" + id + "/cancel", Map.of()), 409);
        Flows.assertProblem(api.post("/api/v1/snapshots/" + UUID.randomUUID() + "/cancel", Map.of()), 404);

        JsonNode next = flows.snapshotAndWait(pgServer, source, ownVolume, null);
        assertThat(next.path("status").asText()).as("the backup worker takes the next job: %s", next).isEqualTo("COMPLETED");
        assertThat(Path.of(next.path("path").asText())).isRegularFile();
    }

    @Test
    void aRunningRestoreIsCancelledItsStagingDatabaseDroppedAndTheTargetUntouched() throws Exception {
        // a restore slow enough to cancel in the middle
        String source = "dbm_it_cx_slow_" + SUFFIX;
        Stack.createSlowToRestore(source, 3000);
        postgresToDrop.add(source);
        String target = "dbm_it_cx_target_" + SUFFIX;
        Stack.createPostgresDatabase(target);
        postgresToDrop.add(target);
        try (Connection c = Stack.postgres(target); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE keep_me (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO keep_me VALUES (1, 'must survive')");
        }
        String targetBefore = Dumps.postgres(target);
        JsonNode snapshot = flows.snapshotAndWait(pgServer, source, volume, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        Path artifact = Path.of(snapshot.path("path").asText());

        Api.Response accepted = flows.requestRestore(snapshot.path("id").asText(), pgServer, target, true);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String id = accepted.json().path("id").asText();
        // loading: its worker reported the start, and the staging database exists
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                api.get("/api/v1/restores/" + id).json().path("startedAt").isTextual() && !stagingDatabasesOf(target).isEmpty());
        Thread.sleep(1000);

        Api.Response cancel = api.post("/api/v1/restores/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);
        assertThat(cancel.json().path("status").asText()).isEqualTo("IN_PROGRESS");

        JsonNode ended = awaitStatus("/api/v1/restores/" + id, "CANCELLED");
        assertThat(ended.path("error").asText()).startsWith("cancelled by ").contains("the target was not touched");
        assertThat(stagingDatabasesOf(target)).as("the staging database was dropped").isEmpty();
        assertThat(Dumps.postgres(target)).as("the target is exactly as it was").isEqualTo(targetBefore);
        assertThat(artifact).as("the snapshot's own file is not the restore's to remove").isRegularFile();
        assertThat(TopicRecords.all(Topics.RESTORE_EVENTS)).anyMatch(r -> r.contains("ce_type=" + RESTORE_CANCELLED) && r.contains(id));
        Flows.assertProblem(api.post("/api/v1/restores/" + id + "/cancel", Map.of()), 409);

        // the restore workers take the next job as usual (into a new database: no slow CHECK on an empty table)
        String fresh = "dbm_it_cx_next_" + SUFFIX;
        postgresToDrop.add(fresh);
        JsonNode smallSnapshot = flows.snapshotAndWait(pgServer, target, volume, null);
        JsonNode next = flows.restoreAndWait(smallSnapshot.path("id").asText(), pgServer, fresh, null);
        assertThat(next.path("status").asText()).as(next.toString()).isEqualTo("COMPLETED");
        assertThat(Dumps.postgres(fresh)).isEqualTo(targetBefore);
    }

    /** Polls until the job has the status, within {@link #CANCEL_WITHIN}. */
    private JsonNode awaitStatus(String path, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(CANCEL_WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = api.get(path).json();
            String now = last[0].path("status").asText();
            assertThat(now).as("%s", last[0]).isIn("RUNNING", "IN_PROGRESS", status);
            return now.equals(status);
        });
        return last[0];
    }

    /** The commands of the processes the backup worker runs now. */
    private static List<String> toolsOfBackupWorker() {
        return Stack.get().services().stream().filter(p -> p.name().equals("backup-worker"))
                .flatMap(ServiceProcess::descendants).filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("")).toList();
    }

    /** Sessions of Databasement's tools and probes on the database (the engine names them {@code databasement}). */
    private static long toolSessions(String database) throws Exception {
        try (Connection c = Stack.postgres("postgres");
             var st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = 'databasement'")) {
            st.setString(1, database);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A session of the dump tool (the engine names its tools' sessions {@code databasement}) waiting for a lock. */
    private static boolean pgDumpWaiting(String database) throws Exception {
        try (Connection c = Stack.postgres("postgres");
             var st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? "
                     + "AND application_name = 'databasement' AND wait_event_type = 'Lock'")) {
            st.setString(1, database);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static List<String> stagingDatabasesOf(String target) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = Stack.postgres("postgres");
             var st = c.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, 'dbm_rst_') AND datname LIKE ?")) {
            st.setString(1, "%" + target);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
