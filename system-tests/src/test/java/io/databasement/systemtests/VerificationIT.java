package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5, verification end to end: a snapshot restored into a scratch database by the real restore worker,
 * dumped again, compared table by table with what the backup counted, the scratch database dropped; and the
 * two ways a snapshot can lie (a damaged file, an emptied file whose checksum was forged to match) are caught.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerificationIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String PG_SOURCE = "dbm_it_vf_src_" + SUFFIX;
    private static final String PG_EMPTY = "dbm_it_vf_empty_" + SUFFIX;
    private static final String MARIA_SOURCE = "dbm_it_vf_src_" + SUFFIX;
    /** Rows the PostgreSQL source holds: 5000 orders, 3 odd rows, 0 in the empty table, 2 binary rows. */
    private static final long PG_ROWS = 5000 + 3 + 2;
    private static final long MARIA_ROWS = 2000 + 4;

    private Api api;
    private Flows flows;
    private Path volumeDir;
    private String volume;
    private String pgServer;
    private String mariaServer;
    private final List<String> postgresToDrop = new ArrayList<>();

    @BeforeAll
    void sources() throws Exception {
        api = Stack.get().api();
        flows = new Flows(api);
        volumeDir = Files.createTempDirectory("dbm-sys-verify-");
        volume = flows.localVolume("verify-vol-" + SUFFIX, volumeDir);
        pgServer = flows.postgresServer("pg-vf-" + SUFFIX);
        mariaServer = flows.mariadbServer("maria-vf-" + SUFFIX);

        for (String db : List.of(PG_SOURCE, PG_EMPTY)) {
            Stack.createPostgresDatabase(db);
            postgresToDrop.add(db);
            try (Connection c = Stack.postgres(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY, note text, amount numeric(12,2), at timestamptz)");
                s.execute("CREATE SCHEMA \"Odd Schema\"");
                s.execute("CREATE TABLE \"Odd Schema\".\"Ta\"\"ble\" (k text, v text)");
                s.execute("CREATE TABLE empty_one (id int)");
                s.execute("CREATE TABLE blobs (id int, b bytea)");
                if (db.equals(PG_SOURCE)) {
                    s.execute("INSERT INTO orders SELECT g, 'order ' || g || E'\\twith tab', g * 1.25, "
                            + "'2026-11-25 16:00:00+00'::timestamptz + g * interval '1 minute' FROM generate_series(1, 5000) g");
                    s.execute("INSERT INTO \"Odd Schema\".\"Ta\"\"ble\" VALUES (E'line\\nbreak', E'back\\\\slash'), "
                            + "('\\.', 'a copy terminator as data'), (NULL, '日本語 ✓')");
                    s.execute("INSERT INTO blobs VALUES (1, '\\x00ff0a0d5c'), (2, NULL)");
                }
            }
        }
        Stack.createMariaDbDatabase(MARIA_SOURCE);
        try (Connection c = Stack.mariadb(MARIA_SOURCE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100), data BLOB)");
            s.execute("INSERT INTO items SELECT seq, CONCAT('item ', seq), UNHEX(MD5(seq)) FROM seq_1_to_2000");
            s.execute("CREATE TABLE `odd``name` (v TEXT)");
            s.execute("INSERT INTO `odd``name` VALUES ('it''s'), ('),('), ('back\\\\slash'), (NULL)");
            s.execute("CREATE TABLE nothing_here (id INT)");
        }
    }

    @AfterAll
    void drop() {
        postgresToDrop.forEach(Stack::dropPostgresDatabase);
        Stack.dropMariaDbDatabase(MARIA_SOURCE);
    }

    @Test
    void aPostgresSnapshotIsVerifiedTableByTableAndTheScratchDatabaseIsDropped() throws Exception {
        JsonNode snapshot = flows.snapshotAndWait(pgServer, PG_SOURCE, volume, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        assertThat(snapshot.path("tableCount").asInt()).isEqualTo(4);
        assertThat(snapshot.path("rowCount").asLong()).isEqualTo(PG_ROWS);

        Verified v = verifyAndWait(snapshot.path("id").asText());

        assertThat(v.snapshot().path("verified").asBoolean()).as(v.snapshot().toString()).isTrue();
        JsonNode verification = v.snapshot().path("verification");
        assertThat(verification.path("status").asText()).isEqualTo("PASSED");
        assertThat(verification.path("tablesCompared").asInt()).isEqualTo(4);
        assertThat(verification.path("rowsCompared").asLong()).isEqualTo(PG_ROWS);
        assertThat(verification.path("durationMs").asLong()).isPositive();
        assertThat(postgresDatabaseExists(v.scratch())).as("scratch database %s dropped", v.scratch()).isFalse();
    }

    @Test
    void aMariadbSnapshotIsVerifiedTableByTableAndTheScratchDatabaseIsDropped() throws Exception {
        JsonNode snapshot = flows.snapshotAndWait(mariaServer, MARIA_SOURCE, volume, "gzip");
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        assertThat(snapshot.path("tableCount").asInt()).isEqualTo(3);
        assertThat(snapshot.path("rowCount").asLong()).isEqualTo(MARIA_ROWS);

        Verified v = verifyAndWait(snapshot.path("id").asText());

        JsonNode verification = v.snapshot().path("verification");
        assertThat(verification.path("status").asText()).as(v.snapshot().toString()).isEqualTo("PASSED");
        assertThat(verification.path("tablesCompared").asInt()).isEqualTo(3);
        assertThat(verification.path("rowsCompared").asLong()).isEqualTo(MARIA_ROWS);
        assertThat(mariadbDatabaseExists(v.scratch())).as("scratch database %s dropped", v.scratch()).isFalse();
    }

    @Test
    void aDamagedArtifactFailsVerificationWithTheChecksumMismatch() throws Exception {
        JsonNode snapshot = flows.snapshotAndWait(pgServer, PG_SOURCE, volume, null);
        Path file = volumeDir.resolve(snapshot.path("objectKey").asText());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);

        Verified v = verifyAndWait(snapshot.path("id").asText());

        JsonNode verification = v.snapshot().path("verification");
        assertThat(verification.path("status").asText()).as(v.snapshot().toString()).isEqualTo("FAILED");
        assertThat(v.snapshot().path("verified").asBoolean()).isFalse();
        assertThat(verification.path("error").asText()).containsIgnoringCase("checksum mismatch");
        assertThat(postgresDatabaseExists(v.scratch())).as("scratch database %s dropped", v.scratch()).isFalse();
    }

    @Test
    void anEmptiedArtifactWithAForgedChecksumFailsVerificationNamingTheTablesThatLostRows() throws Exception {
        JsonNode full = flows.snapshotAndWait(pgServer, PG_SOURCE, volume, null);
        JsonNode empty = flows.snapshotAndWait(pgServer, PG_EMPTY, volume, null);
        assertThat(empty.path("rowCount").asLong()).isZero();
        // the full snapshot's file now holds the empty database's dump, and its record the empty file's checksum:
        // a checksum cannot catch this; only comparing the tables with what the backup counted can
        Files.copy(volumeDir.resolve(empty.path("objectKey").asText()), volumeDir.resolve(full.path("objectKey").asText()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = Stack.postgres(Stack.get().catalogDatabase());
             PreparedStatement s = c.prepareStatement("update catalog.snapshots set sha256 = ?, size_bytes = ? where id = ?::uuid")) {
            s.setString(1, empty.path("sha256").asText());
            s.setLong(2, empty.path("sizeBytes").asLong());
            s.setString(3, full.path("id").asText());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        Verified v = verifyAndWait(full.path("id").asText());

        JsonNode verification = v.snapshot().path("verification");
        assertThat(verification.path("status").asText()).as(v.snapshot().toString()).isEqualTo("FAILED");
        List<String> tables = new ArrayList<>();
        verification.path("mismatches").forEach(m -> {
            tables.add(m.path("table").asText());
            assertThat(m.path("actualRows").asLong()).isZero();
            assertThat(m.path("expectedRows").asLong()).isPositive();
        });
        assertThat(tables).containsExactlyInAnyOrder("public.orders", "Odd Schema.Ta\"ble", "public.blobs");
        assertThat(postgresDatabaseExists(v.scratch())).as("scratch database %s dropped", v.scratch()).isFalse();
    }

    private record Verified(JsonNode snapshot, String scratch) {
    }

    private Verified verifyAndWait(String snapshotId) {
        Api.Response accepted = api.post("/api/v1/snapshots/" + snapshotId + "/verify", java.util.Map.of());
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(accepted.json().path("mode").asText()).isEqualTo("VERIFY");
        String scratch = accepted.json().path("targetDatabase").asText();
        assertThat(scratch).startsWith("dbm_verify_");
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = api.get("/api/v1/snapshots/" + snapshotId).json();
            String status = last[0].path("verification").path("status").asText();
            return status.equals("PASSED") || status.equals("FAILED");
        });
        return new Verified(last[0], scratch);
    }

    /** Whether a database whose name contains {@code name} exists (the worker's staging copy is named after it). */
    private static boolean postgresDatabaseExists(String name) throws Exception {
        try (Connection c = Stack.postgres("postgres");
             PreparedStatement s = c.prepareStatement("select count(*) from pg_database where strpos(datname, ?) > 0")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }

    /** Whether a database whose name contains {@code name} exists. */
    private static boolean mariadbDatabaseExists(String name) throws Exception {
        try (Connection c = Stack.mariadb("information_schema");
             PreparedStatement s = c.prepareStatement("select count(*) from schemata where instr(schema_name, ?) > 0")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1) > 0;
            }
        }
    }
}
