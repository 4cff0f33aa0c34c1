package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.Topics;
import io.databasement.devstack.TestInfrastructure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 4 end to end: snapshots of awkward databases restored in each mode through the gateway (and once
 * through Kafka), compared dump for dump with the source; a corrupted artifact never touches the target.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String PG_SOURCE = "dbm_it_rs_src_" + SUFFIX;
    private static final String MARIA_SOURCE = "dbm_it_rs_src_" + SUFFIX;

    private Api api;
    private Flows flows;
    private Path volumeDir;
    private String pgServer;
    private String pgOtherServer;
    private String mariaServer;
    private String volume;
    private final List<String> postgresToDrop = new ArrayList<>();
    private final List<String> mariaToDrop = new ArrayList<>();

    @BeforeAll
    void sources() throws Exception {
        api = Stack.get().api();
        flows = new Flows(api);
        volumeDir = Files.createTempDirectory("dbm-sys-restore-");
        volume = flows.localVolume("restore-vol-" + SUFFIX, volumeDir);
        pgServer = flows.postgresServer("pg-rs-" + SUFFIX);
        // the same PostgreSQL registered twice is two servers to the catalog: a cross-server restore
        var pg = TestInfrastructure.postgres();
        pgOtherServer = flows.server("pg-rs-other-" + SUFFIX, "postgresql", "localhost", pg.port(), pg.user(),
                pg.password() == null ? "" : pg.password());
        mariaServer = flows.mariadbServer("maria-rs-" + SUFFIX);

        Stack.createPostgresDatabase(PG_SOURCE);
        postgresToDrop.add(PG_SOURCE);
        try (Connection c = Stack.postgres(PG_SOURCE); Statement s = c.createStatement()) {
            s.execute("CREATE SEQUENCE \"Odd_Seq\" START 1000000000000 INCREMENT 7");
            s.execute("SELECT setval('\"Odd_Seq\"', 9000000000000000000)");
            s.execute("CREATE TABLE \"MixedCase\" (id bigint PRIMARY KEY, \"Ünïcode\" text, j jsonb, js json, b bytea, arr int[], "
                    + "tarr text[], n numeric(38,18), ts timestamptz, nul text)");
            s.execute("INSERT INTO \"MixedCase\" VALUES (1, '日本語 ✓ 😀 \"quoted\" ''single''', '{\"a\": [1, 2.5, null], \"b\": {\"c\": \"ü\"}}', "
                    + "'{\"keep\":  \"spacing\"}', '\\x00ff10', '{1,2,NULL}', '{\"a,b\",\"c\\\"d\",NULL}', "
                    + "12345678901234567890.123456789012345678, '2026-11-25 16:00:00.123456+00', NULL)");
            s.execute("INSERT INTO \"MixedCase\" SELECT g, 'row ' || g, jsonb_build_object('g', g), NULL, decode(md5(g::text), 'hex'), "
                    + "ARRAY[g, g + 1], NULL, g / 7.0, NULL, CASE WHEN g % 3 = 0 THEN NULL ELSE 'x' END FROM generate_series(2, 20000) g");
            s.execute("CREATE VIEW \"V_Mixed\" AS SELECT id, \"Ünïcode\" FROM \"MixedCase\" WHERE nul IS NULL");
            s.execute("CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.ts := now(); RETURN NEW; END $$");
            s.execute("CREATE TRIGGER trg_touch BEFORE UPDATE ON \"MixedCase\" FOR EACH ROW EXECUTE FUNCTION touch()");
        }
        Stack.createMariaDbDatabase(MARIA_SOURCE);
        mariaToDrop.add(MARIA_SOURCE);
        try (Connection c = Stack.mariadb(MARIA_SOURCE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE `MixedCase` (id BIGINT PRIMARY KEY AUTO_INCREMENT, `Ünïcode` VARCHAR(100), j JSON, b BLOB, "
                    + "d DECIMAL(38,18), nul TEXT, e ENUM('a','b'), ts TIMESTAMP(6) NULL) AUTO_INCREMENT=1000000 CHARACTER SET utf8mb4");
            s.execute("INSERT INTO `MixedCase` (`Ünïcode`, j, b, d, nul, e, ts) VALUES ('日本語 ✓ \"q\" ''s''', '{\"a\": [1, 2.5]}', "
                    + "X'00FF10', 12345678901234567890.123456789012345678, NULL, 'b', '2026-11-25 16:00:00.123456')");
            s.execute("INSERT INTO `MixedCase` (`Ünïcode`, d, nul) SELECT CONCAT('row ', seq), seq / 7, IF(seq % 3 = 0, NULL, 'x') "
                    + "FROM seq_1_to_5000");
            s.execute("CREATE VIEW v_mixed AS SELECT id, `Ünïcode` FROM `MixedCase` WHERE nul IS NULL");
            s.execute("CREATE PROCEDURE p_count() SELECT COUNT(*) FROM `MixedCase`");
            s.execute("CREATE TRIGGER trg_upd BEFORE UPDATE ON `MixedCase` FOR EACH ROW SET NEW.nul = 'updated'");
        }
    }

    @AfterAll
    void drop() {
        postgresToDrop.forEach(Stack::dropPostgresDatabase);
        mariaToDrop.forEach(Stack::dropMariaDbDatabase);
    }

    @Test
    void postgresRestoresInEveryModeEqualTheSource() throws Exception {
        String before = Dumps.postgres(PG_SOURCE);
        JsonNode snapshot = completedSnapshot(pgServer, PG_SOURCE);

        String other = "dbm_it_rs_other_" + SUFFIX;
        postgresToDrop.add(other);
        JsonNode otherDb = flows.restoreAndWait(snapshot.path("id").asText(), pgServer, other, null);
        assertCompleted(otherDb, "OTHER_DATABASE");
        assertThat(Dumps.postgres(other)).isEqualTo(before);

        String cross = "dbm_it_rs_cross_" + SUFFIX;
        postgresToDrop.add(cross);
        JsonNode crossServer = flows.restoreAndWait(snapshot.path("id").asText(), pgOtherServer, cross, null);
        assertCompleted(crossServer, "CROSS_SERVER");
        assertThat(Dumps.postgres(cross)).isEqualTo(before);

        // rollback: the source moved on, the restore brings it back, even with a session open on it
        try (Connection c = Stack.postgres(PG_SOURCE); Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"MixedCase\" (id, \"Ünïcode\") VALUES (999999, 'after the snapshot')");
        }
        Flows.assertProblem(flows.requestRestore(snapshot.path("id").asText(), pgServer, PG_SOURCE, null), 409);
        try (Connection open = Stack.postgres(PG_SOURCE)) {
            JsonNode rollback = flows.restoreAndWait(snapshot.path("id").asText(), pgServer, PG_SOURCE, true);
            assertCompleted(rollback, "SAME_DATABASE");
        }
        assertThat(Dumps.postgres(PG_SOURCE)).isEqualTo(before);
    }

    @Test
    void mariadbRestoresInEveryModeEqualTheSource() throws Exception {
        String before = Dumps.mariadb(MARIA_SOURCE);
        JsonNode snapshot = completedSnapshot(mariaServer, MARIA_SOURCE);

        String other = "dbm_it_rs_other_" + SUFFIX;
        mariaToDrop.add(other);
        assertCompleted(flows.restoreAndWait(snapshot.path("id").asText(), mariaServer, other, null), "OTHER_DATABASE");
        assertThat(Dumps.mariadb(other)).isEqualTo(before);

        String cross = "dbm_it_rs_cross_" + SUFFIX;
        mariaToDrop.add(cross);
        var db = TestInfrastructure.mariadb();
        String otherMaria = flows.server("maria-rs-other-" + SUFFIX, "mariadb", "localhost", db.port(), db.user(),
                db.password() == null ? "" : db.password());
        assertCompleted(flows.restoreAndWait(snapshot.path("id").asText(), otherMaria, cross, null), "CROSS_SERVER");
        assertThat(Dumps.mariadb(cross)).isEqualTo(before);

        try (Connection c = Stack.mariadb(MARIA_SOURCE); Statement s = c.createStatement()) {
            s.execute("INSERT INTO `MixedCase` (`Ünïcode`) VALUES ('after the snapshot')");
        }
        Flows.assertProblem(flows.requestRestore(snapshot.path("id").asText(), mariaServer, MARIA_SOURCE, false), 409);
        assertCompleted(flows.restoreAndWait(snapshot.path("id").asText(), mariaServer, MARIA_SOURCE, true), "SAME_DATABASE");
        assertThat(Dumps.mariadb(MARIA_SOURCE)).isEqualTo(before);
    }

    @Test
    void aCorruptedArtifactFailsWithChecksumMismatchAndLeavesTheTargetAsItWas() throws Exception {
        String target = "dbm_it_rs_corrupt_" + SUFFIX;
        Stack.createPostgresDatabase(target);
        postgresToDrop.add(target);
        try (Connection c = Stack.postgres(target); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE keep_me (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO keep_me VALUES (1, 'must survive')");
        }
        String before = Dumps.postgres(target);
        JsonNode snapshot = completedSnapshot(pgServer, PG_SOURCE);
        Path artifact = Path.of(snapshot.path("path").asText());
        byte[] bytes = Files.readAllBytes(artifact);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(artifact, bytes);

        JsonNode restore = flows.restoreAndWait(snapshot.path("id").asText(), pgServer, target, true);

        assertThat(restore.path("status").asText()).as(restore.toString()).isEqualTo("FAILED");
        assertThat(restore.path("error").asText()).containsIgnoringCase("checksum mismatch");
        assertThat(Dumps.postgres(target)).isEqualTo(before);
    }

    @Test
    void aReplicaKilledMidRestoreLosesNothingAnotherFinishesTheJobAndTheTargetStaysIntactMeanwhile() throws Exception {
        // a restore slow enough to kill in the middle
        String source = "dbm_it_rs_slow_" + SUFFIX;
        Stack.createSlowToRestore(source, 600);
        postgresToDrop.add(source);
        String target = "dbm_it_rs_kill_" + SUFFIX;
        Stack.createPostgresDatabase(target);
        postgresToDrop.add(target);
        try (Connection c = Stack.postgres(target); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE keep_me (id int PRIMARY KEY)");
            s.execute("INSERT INTO keep_me VALUES (1)");
        }
        String targetBefore = Dumps.postgres(target);
        JsonNode snapshot = completedSnapshot(pgServer, source);

        Api.Response accepted = flows.requestRestore(snapshot.path("id").asText(), pgServer, target, true);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String restoreId = accepted.json().path("id").asText();
        ServiceProcess[] claimant = new ServiceProcess[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            claimant[0] = Stack.get().services().stream()
                    .filter(p -> p.name().startsWith("restore-worker") && p.isAlive()
                            && p.logText().contains("job " + restoreId + ": attempt"))
                    .findFirst().orElse(null);
            return claimant[0] != null;
        });
        Thread.sleep(2000);
        claimant[0].kill();

        assertThat(Dumps.postgres(target)).as("the target right after the kill").isEqualTo(targetBefore);
        JsonNode restore = flows.awaitEnd("/api/v1/restores/" + restoreId);
        assertThat(restore.path("status").asText()).as(restore.toString()).isEqualTo("COMPLETED");
        assertThat(restore.path("attempt").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(Dumps.postgres(target)).isEqualTo(Dumps.postgres(source));
        assertThat(stagingDatabasesOf(target)).as("the dead attempt's staging database was cleaned up").isEmpty();
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

    @Test
    void crossFamilyRestoresAreRefused() {
        JsonNode snapshot = completedSnapshot(mariaServer, MARIA_SOURCE);
        Flows.assertProblem(flows.requestRestore(snapshot.path("id").asText(), pgServer, "dbm_it_never_" + SUFFIX, null), 422);
        Flows.assertProblem(flows.requestRestore(UUID.randomUUID().toString(), pgServer, "x", null), 404);
        Flows.assertProblem(flows.requestRestore(snapshot.path("id").asText(), pgServer, "bad\u0000name", null), 400);
    }

    @Test
    void aRestoreRequestedOnKafkaByAPlainProducerCompletesWithItsCorrelationIdOnEveryAnswer() throws Exception {
        JsonNode snapshot = completedSnapshot(pgServer, PG_SOURCE);
        String target = "dbm_it_rs_kafka_" + SUFFIX;
        postgresToDrop.add(target);
        String ceId = "req-" + UUID.randomUUID();
        String body = "{\"snapshotId\":\"" + snapshot.path("id").asText() + "\",\"targetServerId\":\"" + pgServer
                + "\",\"targetDatabase\":\"" + target + "\",\"confirmOverwrite\":false,\"requestedBy\":\"other-team\"}";
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Stack.get().kafkaBootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.RESTORE_REQUESTS, ceId, body.getBytes(StandardCharsets.UTF_8));
            CloudEvents.headers(MessageTypes.RESTORE_REQUESTED.ceType(), ceId, "/other-team", null, null, Instant.now())
                    .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                answers(ceId).stream().anyMatch(a -> a.contains("ce_type=" + MessageTypes.RESTORE_COMPLETED.ceType())));
        List<String> answers = answers(ceId);
        assertThat(answers).anyMatch(a -> a.contains("ce_type=" + MessageTypes.RESTORE_ACCEPTED.ceType()))
                .anyMatch(a -> a.contains("ce_type=" + MessageTypes.RESTORE_STARTED.ceType()))
                .noneMatch(a -> a.contains("ce_type=" + MessageTypes.RESTORE_REJECTED.ceType()));
        assertThat(Dumps.postgres(target)).isEqualTo(Dumps.postgres(PG_SOURCE));

        // the gateway's audit trail records the event-driven request once, with who asked and the outcome
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/audit?channel=kafka&correlationId=" + ceId)
                .json().size() == 1);
        JsonNode audited = api.get("/api/v1/audit?channel=kafka&correlationId=" + ceId).json().get(0);
        assertThat(audited.path("actor").asText()).isEqualTo("other-team");
        assertThat(audited.path("action").asText()).isEqualTo("restore.requested");
        assertThat(audited.path("outcome").asText()).isEqualTo("succeeded");
        assertThat(audited.path("target").asText()).contains(snapshot.path("id").asText()).contains(target);
    }

    private static List<String> answers(String correlationId) {
        return TopicRecords.all(Topics.RESTORE_EVENTS).stream().filter(r -> r.contains("correlation_id=" + correlationId + " ")).toList();
    }

    private JsonNode completedSnapshot(String serverId, String database) {
        JsonNode snapshot = flows.snapshotAndWait(serverId, database, volume, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        return snapshot;
    }

    private static void assertCompleted(JsonNode restore, String mode) {
        assertThat(restore.path("status").asText()).as(restore.toString()).isEqualTo("COMPLETED");
        assertThat(restore.path("mode").asText()).isEqualTo(mode);
        assertThat(restore.path("error").isNull() || restore.path("error").isMissingNode()).isTrue();
        for (String field : List.of("id", "snapshotId", "targetServerId", "targetServerName", "targetDatabase", "createdAt",
                "startedAt", "completedAt", "durationMs", "bytesRestored", "correlationId", "requestedBy")) {
            assertThat(restore.path(field).isMissingNode() || restore.path(field).isNull()).as("%s in %s", field, restore).isFalse();
        }
    }
}
