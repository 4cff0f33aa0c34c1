package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's door in front of the real services: tokens an admin makes, each role doing what it may and
 * refused what it may not, the caller's name reaching the catalog, and the audit trail of it all.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "dbm_it_acc_src_" + SUFFIX;
    private static final String TARGET = "dbm_it_acc_dst_" + SUFFIX;

    private Api admin;
    private Api operator;
    private Api viewer;
    private String operatorName;
    private String server;
    private String volume;

    @BeforeAll
    void tokensAndASource() throws Exception {
        admin = Stack.get().api();
        operatorName = "ops-" + SUFFIX;
        operator = admin.as(token(operatorName, "operator"));
        viewer = admin.as(token("viewer-" + SUFFIX, "viewer"));
        Flows flows = new Flows(admin);
        server = flows.postgresServer("pg-acc-" + SUFFIX);
        Path folder = Files.createTempDirectory("dbm-sys-access-");
        volume = flows.localVolume("acc-vol-" + SUFFIX, folder);
        Stack.createPostgresDatabase(SOURCE);
        try (Connection c = Stack.postgres(SOURCE); Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key, v text)");
            s.execute("insert into t select g, 'v' || g from generate_series(1, 500) g");
        }
    }

    @AfterAll
    void drop() {
        Stack.dropPostgresDatabase(SOURCE);
        Stack.dropPostgresDatabase(TARGET);
    }

    @Test
    void anonymousAndServiceTokenCallsAre401() {
        Flows.assertProblem(admin.as(null).get("/api/v1/snapshots"), 401);
        Flows.assertProblem(admin.as(Stack.SERVICE_TOKEN).get("/api/v1/snapshots"), 401);
        Flows.assertProblem(admin.as("dbm_" + "x".repeat(43)).post("/api/v1/snapshots", Map.of()), 401);
    }

    @Test
    void anOperatorSnapshotsAndRestoresButManagesNoServersAndTheCatalogKnowsWhoAsked() {
        Flows.assertProblem(operator.post("/api/v1/servers", Map.of("name", "nope")), 403);
        Flows.assertProblem(operator.post("/api/v1/tokens", Map.of("name", "nope", "role", "admin")), 403);

        JsonNode snapshot = new Flows(operator).snapshotAndWait(server, SOURCE, volume, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        String snapshotId = snapshot.path("id").asText();

        Flows.assertProblem(viewer.delete("/api/v1/snapshots/" + snapshotId), 403);
        Flows.assertProblem(new Flows(viewer).requestRestore(snapshotId, server, TARGET, null), 403);
        assertThat(viewer.get("/api/v1/snapshots/" + snapshotId).status()).isEqualTo(200);

        JsonNode restore = new Flows(operator).restoreAndWait(snapshotId, server, TARGET, null);
        assertThat(restore.path("status").asText()).as(restore.toString()).isEqualTo("COMPLETED");
        assertThat(restore.path("requestedBy").asText()).isEqualTo(operatorName);
        // the target exists now: overwriting it needs the confirmation (409), whatever the role
        Flows.assertProblem(new Flows(operator).requestRestore(snapshotId, server, TARGET, null), 409);

        JsonNode trail = admin.get("/api/v1/audit?actor=" + operatorName).json();
        assertThat(trail).extracting(e -> e.path("action").asText() + " " + e.path("status").asInt())
                .contains("POST /api/v1/servers 403", "POST /api/v1/tokens 403", "POST /api/v1/snapshots 202",
                        "POST /api/v1/restores 202", "POST /api/v1/restores 409");
        assertThat(trail).anySatisfy(e -> assertThat(e.path("target").asText())
                .isEqualTo("/api/v1/snapshots/" + snapshotId));
        Flows.assertProblem(operator.get("/api/v1/audit"), 403);
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnce() {
        String secret = token("short-" + SUFFIX, "viewer");
        Api shortLived = admin.as(secret);
        assertThat(shortLived.get("/api/v1/me").json().path("role").asText()).isEqualTo("viewer");
        String id = admin.get("/api/v1/tokens").json().valueStream()
                .filter(t -> t.path("name").asText().equals("short-" + SUFFIX)).findFirst().orElseThrow()
                .path("id").asText();

        assertThat(admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);

        Flows.assertProblem(shortLived.get("/api/v1/snapshots"), 401);
    }

    private String token(String name, String role) {
        Api.Response created = admin.post("/api/v1/tokens", Map.of("name", name, "role", role));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("token").asText();
    }
}
