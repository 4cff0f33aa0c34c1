package io.databasement.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobRequested;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.ServerConnection;
import io.databasement.contracts.TableMismatch;
import io.databasement.contracts.TableStats;
import io.databasement.contracts.Topics;
import io.databasement.contracts.Verification;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.stats.TableStatsCollector;
import io.databasement.engines.Endpoint;
import io.databasement.engines.MariaDbEngine;
import io.databasement.engines.PostgresEngine;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker as deployed: a real Kafka broker (embedded KRaft), real PostgreSQL and MariaDB, real pg_dump /
 * mariadb-dump artifacts restored by real psql / mariadb; the catalog and storage-service are collaborators
 * played by a small HTTP server.
 */
@EmbeddedKafka
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "dbm.worker.progress-interval=200ms",
        "dbm.worker.claim-retry-for=2s",
        "logging.level.org.apache.kafka=WARN",
        "logging.level.kafka=WARN",
        "logging.level.state.change.logger=WARN"})
class RestoreWorkerKafkaIT {

    private static final String TOKEN = "test-service-token";
    private static final String SEAL_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String PASSWORD = "s3cret-Passw0rd";
    private static final FakeInternalServices services;

    static {
        try {
            services = new FakeInternalServices(TOKEN);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void internalServices(DynamicPropertyRegistry registry) {
        registry.add("dbm.worker.service-token", () -> TOKEN);
        registry.add("dbm.worker.seal-key", () -> SEAL_KEY);
        registry.add("dbm.worker.storage-url", services::url);
        registry.add("dbm.worker.catalog-url", services::url);
    }

    @AfterAll
    static void stopServices() {
        services.close();
    }

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    JsonMapper json;
    @Autowired
    EmbeddedKafkaBroker broker;

    private final PostgresEngine postgres = new PostgresEngine();
    private final MariaDbEngine mariadb = new MariaDbEngine();
    private final List<String> pgDatabases = new ArrayList<>();
    private final List<String> mariaDatabases = new ArrayList<>();

    @AfterEach
    void dropDatabases() throws Exception {
        for (String db : pgDatabases) {
            LocalDatabases.pg("postgres", "DROP DATABASE IF EXISTS " + LocalDatabases.pgQuote(db) + " WITH (FORCE)");
        }
        for (String db : mariaDatabases) {
            LocalDatabases.maria(null, "DROP DATABASE IF EXISTS " + LocalDatabases.mariaQuote(db));
        }
    }

    // ---- PostgreSQL

    /** A source database with what a plain dump finds hard: every test restores a real dump of it. */
    private String createdPgSource() throws Exception {
        String db = pgDatabase(" Src");
        LocalDatabases.pg("postgres", "CREATE DATABASE " + LocalDatabases.pgQuote(db));
        LocalDatabases.pg(db,
                "CREATE TABLE \"Kunde Ü\" (id bigserial PRIMARY KEY, \"Name\" text NOT NULL, doc jsonb, raw bytea, tags text[],"
                        + " amount numeric(38,12), note text)",
                "INSERT INTO \"Kunde Ü\" (\"Name\", doc, raw, tags, amount, note) VALUES"
                        + " ('Zoë \"quoted\" ; DROP', '{\"a\": [1, 2.50, null], \"ü\": \"\\u00e9\"}', '\\x00ff10', ARRAY['x', NULL, 'z'],"
                        + " 12345678901234567890.123456789012, NULL),"
                        + " ('日本語', 'null', NULL, '{}', -0.000000000001, E'line1\\nline2\\ttab')",
                "CREATE SEQUENCE \"odd Seq\" START 1000 INCREMENT 7 MAXVALUE 99999 CYCLE",
                "SELECT setval('\"odd Seq\"', 5000)",
                "CREATE VIEW \"Big Ones\" AS SELECT id, \"Name\" FROM \"Kunde Ü\" WHERE amount > 0",
                "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := coalesce(NEW.note, 'stamped');"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER \"Stamp It\" BEFORE INSERT ON \"Kunde Ü\" FOR EACH ROW EXECUTE FUNCTION stamp()");
        return db;
    }

    private String pgDatabase(String suffix) {
        String db = LocalDatabases.uniqueName(suffix);
        pgDatabases.add(db);
        return db;
    }

    @Test
    void aPostgresSnapshotWithAwkwardContentRestoresIntoANewDatabaseExactly() throws Exception {
        String source = createdPgSource();
        String target = pgDatabase(" Neu");
        Artifact artifact = store(LocalDatabases.zstd(LocalDatabases.dump(postgres, LocalDatabases.PG, source)));

        List<ConsumerRecord<String, byte[]>> reports = restore(command(artifact, "postgresql", source, target, false), "corr-pg-1");

        assertCompleted(reports, "corr-pg-1");
        assertThat(LocalDatabases.comparableDump("postgresql", target)).isEqualTo(LocalDatabases.comparableDump("postgresql", source));
    }

    @Test
    void aPostgresRestoreOverAnExistingDatabaseWithAnOpenSessionReplacesIt() throws Exception {
        String source = createdPgSource();
        String target = pgDatabase(" Alt");
        LocalDatabases.pg("postgres", "CREATE DATABASE " + LocalDatabases.pgQuote(target));
        LocalDatabases.pg(target, "CREATE TABLE leftover(id int)", "INSERT INTO leftover VALUES (1)");
        Artifact artifact = store(LocalDatabases.zstd(LocalDatabases.dump(postgres, LocalDatabases.PG, source)));

        try (Connection session = LocalDatabases.pgConnection(target)) {
            assertCompleted(restore(command(artifact, "postgresql", source, target, true), "corr-pg-2"), "corr-pg-2");
            assertThat(session.isValid(2)).isFalse();
        }
        assertThat(LocalDatabases.comparableDump("postgresql", target)).isEqualTo(LocalDatabases.comparableDump("postgresql", source));
    }

    @Test
    void oneFlippedByteInTheArtifactFailsWithChecksumMismatchAndLeavesTheTargetAsItWas() throws Exception {
        String source = createdPgSource();
        String target = pgDatabase(" Keep");
        LocalDatabases.pg("postgres", "CREATE DATABASE " + LocalDatabases.pgQuote(target));
        LocalDatabases.pg(target, "CREATE TABLE precious(id int)", "INSERT INTO precious VALUES (42)");
        String before = LocalDatabases.comparableDump("postgresql", target);
        byte[] good = LocalDatabases.zstd(LocalDatabases.dump(postgres, LocalDatabases.PG, source));
        Artifact artifact = store(good);
        byte[] corrupt = good.clone();
        corrupt[corrupt.length / 2] ^= 0x01;
        services.objects.put(artifact.volumeId + "/" + artifact.key, corrupt);

        RestoreJobFailed failed = assertFailed(restore(command(artifact, "postgresql", source, target, true), "corr-pg-3"));

        assertThat(failed.reason()).startsWith("checksum mismatch");
        assertThat(failed.targetTouched()).isFalse();
        assertThat(LocalDatabases.comparableDump("postgresql", target)).isEqualTo(before);
        assertNoStagingLeftFor(target);
    }

    @Test
    void aSqlErrorInTheMiddleFailsWithTheToolsWordsAndLeavesTheTargetAsItWas() throws Exception {
        String source = createdPgSource();
        String target = pgDatabase(" Keep2");
        LocalDatabases.pg("postgres", "CREATE DATABASE " + LocalDatabases.pgQuote(target));
        LocalDatabases.pg(target, "CREATE TABLE precious(id int)", "INSERT INTO precious VALUES (42)");
        String before = LocalDatabases.comparableDump("postgresql", target);
        String sql = new String(LocalDatabases.dump(postgres, LocalDatabases.PG, source), StandardCharsets.UTF_8);
        int middle = sql.indexOf("\n", sql.length() / 2) + 1;
        String broken = sql.substring(0, middle) + "INSERT INTO no_such_table VALUES (1);\n" + sql.substring(middle);
        Artifact artifact = store(LocalDatabases.zstd(broken.getBytes(StandardCharsets.UTF_8)));

        RestoreJobFailed failed = assertFailed(restore(command(artifact, "postgresql", source, target, true), "corr-pg-4"));

        assertThat(failed.reason()).isEqualTo("ERROR:  relation \"no_such_table\" does not exist");
        assertThat(failed.targetTouched()).isFalse();
        assertThat(LocalDatabases.comparableDump("postgresql", target)).isEqualTo(before);
        assertNoStagingLeftFor(target);
    }

    @Test
    void aRedeliveredCommandOfAJobWithAnotherAttemptDoesNothing() throws Exception {
        String source = createdPgSource();
        String target = pgDatabase(" Twice");
        Artifact artifact = store(LocalDatabases.zstd(LocalDatabases.dump(postgres, LocalDatabases.PG, source)));
        RestoreJobRequested command = command(artifact, "postgresql", source, target, false);
        services.currentAttempt.put(command.jobId().toString(), UUID.randomUUID().toString());

        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.RESTORE_REPORTS)) {
            send(command, "corr-dup");
            await().atMost(Duration.ofSeconds(30)).until(() -> services.claims.stream().anyMatch(c -> c.startsWith(command.jobId().toString())));
            Thread.sleep(1500);
            List<ConsumerRecord<String, byte[]>> reports = new ArrayList<>();
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (r.key().equals(command.jobId().toString())) {
                    reports.add(r);
                }
            });
            assertThat(reports).isEmpty();
        }
        assertThat(postgres.databaseExists(LocalDatabases.PG, null, target)).isFalse();
        assertNoStagingLeftFor(target);
    }

    private void assertNoStagingLeftFor(String target) throws Exception {
        String unique = target.substring(0, "dbm_it_restoreworker_".length() + 8);
        try (Connection c = LocalDatabases.pgConnection("postgres"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'dbm\\_rst\\_%' AND strpos(datname, '"
                     + unique + "') > 0 OR datname LIKE 'dbm\\_old\\_%' AND strpos(datname, '" + unique + "') > 0")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    // ---- verification (mode VERIFY)

    /** What the backup worker counted from the snapshot's dump: the same engine code, on the same bytes. */
    private static List<TableStats> statsOf(DatabaseEngine engine, byte[] dump) {
        TableStatsCollector collector = engine.tableStatsCollector();
        collector.feed(dump, 0, dump.length);
        return collector.finish();
    }

    private RestoreJobRequested verifyCommand(Artifact artifact, String engine, String source, String scratch, List<TableStats> expected)
            throws Exception {
        RestoreJobRequested c = command(artifact, engine, source, scratch, false);
        return new RestoreJobRequested(c.jobId(), c.snapshotId(), c.volumeId(), c.objectKey(), c.sha256(), c.sizeBytes(), c.compression(),
                c.sourceDatabaseType(), c.sourceDatabaseVersion(), c.sourceDatabase(), c.targetServerId(), c.targetServerName(), c.target(),
                scratch, "VERIFY", false, c.requestedAt(), expected);
    }

    private static String scratchName() {
        return "dbm_verify_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Neither the scratch database nor any staging database named after it is left on the server. */
    private static void assertNothingLeftNamed(String engine, String scratch) throws Exception {
        String sql = engine.equals("postgresql")
                ? "SELECT count(*) FROM pg_database WHERE strpos(datname, '" + scratch + "') > 0"
                : "SELECT count(*) FROM information_schema.schemata WHERE LOCATE('" + scratch + "', schema_name) > 0";
        try (Connection c = engine.equals("postgresql") ? LocalDatabases.pgConnection("postgres") : LocalDatabases.mariaConnection(null);
             var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    private Verification verificationOf(List<ConsumerRecord<String, byte[]>> reports, String correlationId) {
        assertCompleted(reports, correlationId);
        Verification verification = json.readValue(reports.get(reports.size() - 1).value(), RestoreJobCompleted.class).verification();
        assertThat(verification).isNotNull();
        return verification;
    }

    @Test
    void aVerificationOfAGoodPostgresSnapshotPassesAndLeavesNoScratchDatabase() throws Exception {
        String source = createdPgSource();
        byte[] dump = LocalDatabases.dump(postgres, LocalDatabases.PG, source);
        List<TableStats> expected = statsOf(postgres, dump);
        assertThat(expected).extracting(TableStats::table).containsExactly("public.Kunde Ü");
        String scratch = scratchName();

        Verification v = verificationOf(restore(verifyCommand(store(LocalDatabases.zstd(dump)), "postgresql", source, scratch, expected),
                "corr-v-1"), "corr-v-1");

        assertThat(v.passed()).as(v.mismatches().toString()).isTrue();
        assertThat(v.tablesCompared()).isEqualTo(1);
        assertThat(v.rowsCompared()).isEqualTo(2);
        assertThat(v.mismatches()).isEmpty();
        assertThat(v.durationMs()).isPositive();
        assertNothingLeftNamed("postgresql", scratch);
    }

    @Test
    void aVerificationOfAnEmptiedSnapshotFailsNamingTheTableThatLostItsRows() throws Exception {
        String source = createdPgSource();
        List<TableStats> expected = statsOf(postgres, LocalDatabases.dump(postgres, LocalDatabases.PG, source));
        // the artifact no longer holds what the backup counted (emptied, or replaced by a tampered file with a fresh checksum)
        LocalDatabases.pg(source, "DELETE FROM \"Kunde Ü\"");
        byte[] emptied = LocalDatabases.dump(postgres, LocalDatabases.PG, source);
        String scratch = scratchName();

        Verification v = verificationOf(restore(verifyCommand(store(LocalDatabases.zstd(emptied)), "postgresql", source, scratch, expected),
                "corr-v-2"), "corr-v-2");

        assertThat(v.passed()).isFalse();
        assertThat(v.mismatches()).hasSize(1);
        TableMismatch mismatch = v.mismatches().get(0);
        assertThat(mismatch.table()).isEqualTo("public.Kunde Ü");
        assertThat(mismatch.expectedRows()).isEqualTo(2);
        assertThat(mismatch.actualRows()).isZero();
        assertNothingLeftNamed("postgresql", scratch);
    }

    @Test
    void aVerificationOfACorruptedArtifactFailsWithChecksumMismatchAndLeavesNoScratchDatabase() throws Exception {
        String source = createdPgSource();
        byte[] dump = LocalDatabases.dump(postgres, LocalDatabases.PG, source);
        byte[] good = LocalDatabases.zstd(dump);
        Artifact artifact = store(good);
        byte[] corrupt = good.clone();
        corrupt[corrupt.length / 2] ^= 0x01;
        services.objects.put(artifact.volumeId + "/" + artifact.key, corrupt);
        String scratch = scratchName();

        RestoreJobFailed failed = assertFailed(restore(verifyCommand(artifact, "postgresql", source, scratch, statsOf(postgres, dump)),
                "corr-v-3"));

        assertThat(failed.reason()).startsWith("checksum mismatch");
        assertThat(failed.targetTouched()).isFalse();
        assertNothingLeftNamed("postgresql", scratch);
    }

    @Test
    void aVerificationOfAGoodMariaDbSnapshotPassesAndLeavesNoScratchDatabase() throws Exception {
        String source = LocalDatabases.uniqueName(" Quelle");
        mariaDatabases.add(source);
        LocalDatabases.maria(null, "CREATE DATABASE " + LocalDatabases.mariaQuote(source) + " CHARACTER SET utf8mb4");
        LocalDatabases.maria(source,
                "CREATE TABLE `Kunde Ü` (id bigint AUTO_INCREMENT PRIMARY KEY, `Name` varchar(100) NOT NULL, doc json, raw blob,"
                        + " amount decimal(38,12), note text, at timestamp NULL) DEFAULT CHARSET=utf8mb4",
                "INSERT INTO `Kunde Ü` (`Name`, doc, raw, amount, note, at) VALUES ('Zoë `tick` ; DROP \\'),(\\'', '{\"a\": [1, 2.5, null]}',"
                        + " X'00FF105C27', 12345678901234567890.123456789012, NULL, '2024-02-29 12:00:00'),"
                        + " ('日本語 🎉', NULL, NULL, -0.000000000001, 'a\\nb\\tc', NULL)",
                "CREATE TABLE empty (n int)",
                "CREATE TABLE history (n int) WITH SYSTEM VERSIONING",
                "INSERT INTO history VALUES (1), (2)",
                "UPDATE history SET n = 3 WHERE n = 1",
                "CREATE PROCEDURE bump() INSERT INTO empty VALUES (7)",
                "CREATE TRIGGER `Stamp It` BEFORE INSERT ON `Kunde Ü` FOR EACH ROW SET NEW.note = COALESCE(NEW.note, 'stamped')");
        byte[] dump = LocalDatabases.dump(mariadb, LocalDatabases.MARIADB, source);
        List<TableStats> expected = statsOf(mariadb, dump);
        assertThat(expected).extracting(TableStats::table, TableStats::rows)
                .containsExactly(tuple("Kunde Ü", 2L), tuple("empty", 0L), tuple("history", 2L));
        String scratch = scratchName();

        Verification v = verificationOf(restore(verifyCommand(store(LocalDatabases.zstd(dump)), "mariadb", source, scratch, expected),
                "corr-v-4"), "corr-v-4");

        assertThat(v.passed()).as(v.mismatches().toString()).isTrue();
        assertThat(v.tablesCompared()).isEqualTo(3);
        assertThat(v.rowsCompared()).isEqualTo(4);
        assertNothingLeftNamed("mariadb", scratch);
    }

    // ---- MariaDB

    @Test
    void aMariaDbSnapshotWithAwkwardContentRestoresIntoANewDatabaseAndOverAnExistingOneExactly() throws Exception {
        String source = LocalDatabases.uniqueName(" Quelle");
        mariaDatabases.add(source);
        LocalDatabases.maria(null, "CREATE DATABASE " + LocalDatabases.mariaQuote(source) + " CHARACTER SET utf8mb4");
        LocalDatabases.maria(source,
                "CREATE TABLE `Kunde Ü` (id bigint AUTO_INCREMENT PRIMARY KEY, `Name` varchar(100) NOT NULL, doc json, raw blob,"
                        + " amount decimal(38,12), note text) DEFAULT CHARSET=utf8mb4",
                "INSERT INTO `Kunde Ü` (`Name`, doc, raw, amount, note) VALUES ('Zoë `tick` ; DROP', '{\"a\": [1, 2.5, null]}',"
                        + " X'00FF105C27', 12345678901234567890.123456789012, NULL), ('日本語 🎉', NULL, NULL, -0.000000000001, 'a\\nb')",
                "CREATE SEQUENCE `odd Seq` START WITH 1000 INCREMENT BY 7 MAXVALUE 99999 CYCLE",
                "SELECT NEXTVAL(`odd Seq`)",
                "CREATE TABLE audit (n int)",
                "CREATE FUNCTION shout(s varchar(100)) RETURNS varchar(200) DETERMINISTIC RETURN CONCAT(UPPER(s), '!')",
                "CREATE VIEW `Big Ones` AS SELECT id, shout(`Name`) AS loud FROM `Kunde Ü` WHERE amount > 0",
                "CREATE PROCEDURE bump() INSERT INTO audit VALUES (7)",
                "CREATE TRIGGER `Stamp It` BEFORE INSERT ON `Kunde Ü` FOR EACH ROW SET NEW.note = COALESCE(NEW.note, 'stamped')",
                "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit",
                // a routine from the database's latin1 days: mariadb-dump wraps it in ALTER DATABASE `<source>` lines
                "ALTER DATABASE " + LocalDatabases.mariaQuote(source) + " CHARACTER SET latin1",
                "CREATE PROCEDURE legacy() SELECT 'ä' AS umlaut",
                "ALTER DATABASE " + LocalDatabases.mariaQuote(source) + " CHARACTER SET utf8mb4");
        Artifact artifact = store(LocalDatabases.zstd(LocalDatabases.dump(mariadb, LocalDatabases.MARIADB, source)));
        String expected = LocalDatabases.comparableDump("mariadb", source);
        assertThat(expected).contains("ALTER DATABASE " + LocalDatabases.mariaQuote(source) + " CHARACTER SET latin1");
        // the restore must neither change the source (same server here) nor need it
        LocalDatabases.maria(null, "DROP DATABASE " + LocalDatabases.mariaQuote(source));

        String fresh = LocalDatabases.uniqueName(" Neu");
        mariaDatabases.add(fresh);
        assertCompleted(restore(command(artifact, "mariadb", source, fresh, false), "corr-m-1"), "corr-m-1");
        assertThat(LocalDatabases.comparableDump("mariadb", fresh)).isEqualTo(expected.replace(source, fresh));

        String existing = LocalDatabases.uniqueName(" Alt");
        mariaDatabases.add(existing);
        LocalDatabases.maria(null, "CREATE DATABASE " + LocalDatabases.mariaQuote(existing));
        LocalDatabases.maria(existing, "CREATE TABLE leftover (id int)", "CREATE VIEW old_view AS SELECT id FROM leftover");
        try (Connection session = LocalDatabases.mariaConnection(existing)) {
            assertCompleted(restore(command(artifact, "mariadb", source, existing, true), "corr-m-2"), "corr-m-2");
            assertThat(session.isValid(2)).isFalse();
        }
        assertThat(LocalDatabases.comparableDump("mariadb", existing)).isEqualTo(expected.replace(source, existing));
    }

    @Test
    void aMalformedCommandGoesToTheDeadLetterTopicWithItsReasonAndTheNextCommandStillRuns() throws Exception {
        String deadLetter = Topics.deadLetter(Topics.RESTORE_COMMANDS, "restore-worker");
        String key = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> consumer = consumer(deadLetter)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.RESTORE_COMMANDS, key,
                    "{not json".getBytes(StandardCharsets.UTF_8));
            CloudEvents.headers(MessageTypes.RESTORE_JOB_REQUESTED, "/catalog-service", key, "corr-bad")
                    .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            kafka.send(record).get();

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (key.equals(r.key())) {
                        dead.add(r);
                    }
                });
                return !dead.isEmpty();
            });
            assertThat(header(dead.get(0), "dbm_error_reason")).startsWith("value is not a valid " + MessageTypes.RESTORE_JOB_REQUESTED.ceType());
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        }
        String source = createdPgSource();
        String target = pgDatabase(" After");
        Artifact artifact = store(LocalDatabases.zstd(LocalDatabases.dump(postgres, LocalDatabases.PG, source)));
        assertCompleted(restore(command(artifact, "postgresql", source, target, false), "corr-after"), "corr-after");
    }

    // ---- plumbing

    private record Artifact(UUID volumeId, String key, String sha256, long size) {
    }

    private Artifact store(byte[] bytes) throws Exception {
        UUID volumeId = UUID.randomUUID();
        String key = "srv/db ü/srv-db-" + UUID.randomUUID() + ".sql.zst";
        services.objects.put(volumeId + "/" + key, bytes);
        return new Artifact(volumeId, key, LocalDatabases.sha256(bytes), bytes.length);
    }

    private RestoreJobRequested command(Artifact artifact, String engine, String source, String target, boolean exists) throws Exception {
        Endpoint e = engine.equals("postgresql") ? LocalDatabases.PG : LocalDatabases.MARIADB;
        String version = (engine.equals("postgresql") ? postgres.probe(e, null) : mariadb.probe(e, null)).version();
        return new RestoreJobRequested(UUID.randomUUID(), UUID.randomUUID(), artifact.volumeId(), artifact.key(), artifact.sha256(),
                artifact.size(), "zstd", engine, version, source, UUID.randomUUID(), "local",
                new ServerConnection(engine, e.host(), e.port(), e.username(), 
                        // PostgreSQL here trusts local logins and ignores the password: it still travels sealed and must
                        // never show up in a report. The local MariaDB root has no password.
                        engine.equals("postgresql") ? new SecretSealer(SEAL_KEY).seal(PASSWORD) : null),
                target, exists ? "OTHER_DATABASE" : "CROSS_SERVER", exists, Instant.now());
    }

    private void send(RestoreJobRequested command, String correlationId) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.RESTORE_COMMANDS, command.jobId().toString(),
                json.writeValueAsBytes(command));
        CloudEvents.headers(MessageTypes.RESTORE_JOB_REQUESTED, "/catalog-service", command.jobId().toString(), correlationId)
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        kafka.send(record).get();
    }

    /** Sends the command and collects its reports until completed or failed. */
    private List<ConsumerRecord<String, byte[]>> restore(RestoreJobRequested command, String correlationId) throws Exception {
        List<ConsumerRecord<String, byte[]>> reports = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(Topics.RESTORE_REPORTS)) {
            send(command, correlationId);
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(command.jobId().toString())) {
                        reports.add(r);
                    }
                });
                return reports.stream().map(r -> header(r, CloudEvents.TYPE)).anyMatch(t -> t.equals(MessageTypes.RESTORE_JOB_COMPLETED.ceType())
                        || t.equals(MessageTypes.RESTORE_JOB_FAILED.ceType()));
            });
        }
        for (ConsumerRecord<String, byte[]> r : reports) {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(PASSWORD);
        }
        return reports;
    }

    private void assertCompleted(List<ConsumerRecord<String, byte[]>> reports, String correlationId) {
        List<String> types = reports.stream().map(r -> header(r, CloudEvents.TYPE)).toList();
        assertThat(types.get(types.size() - 1)).as(() -> new String(reports.get(reports.size() - 1).value(), StandardCharsets.UTF_8))
                .isEqualTo(MessageTypes.RESTORE_JOB_COMPLETED.ceType());
        assertThat(types.get(0)).isEqualTo(MessageTypes.RESTORE_JOB_STARTED.ceType());
        for (ConsumerRecord<String, byte[]> r : reports) {
            assertThat(header(r, CloudEvents.SOURCE)).isEqualTo("/restore-worker");
            assertThat(header(r, CloudEvents.CORRELATION_ID)).isEqualTo(correlationId);
            assertThat(header(r, CloudEvents.SUBJECT)).isEqualTo(r.key());
        }
        RestoreJobCompleted completed = json.readValue(reports.get(reports.size() - 1).value(), RestoreJobCompleted.class);
        assertThat(completed.bytesRestored()).isPositive();
        assertThat(completed.rawBytes()).isGreaterThan(completed.bytesRestored());
    }

    private RestoreJobFailed assertFailed(List<ConsumerRecord<String, byte[]>> reports) {
        ConsumerRecord<String, byte[]> last = reports.get(reports.size() - 1);
        assertThat(header(last, CloudEvents.TYPE)).isEqualTo(MessageTypes.RESTORE_JOB_FAILED.ceType());
        return json.readValue(last.value(), RestoreJobFailed.class);
    }

    private KafkaConsumer<String, byte[]> consumer(String topic) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker.getBrokersAsString(), "test-" + UUID.randomUUID(), false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        // join the group and take positions now, so that "latest" means "before the command is sent"
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
