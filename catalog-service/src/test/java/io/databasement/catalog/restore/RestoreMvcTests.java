package io.databasement.catalog.restore;

import static io.databasement.catalog.restore.RestoreFixtures.body;
import static io.databasement.catalog.restore.RestoreFixtures.existingPostgresDatabase;
import static io.databasement.catalog.restore.RestoreFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

/** Every rule of {@code POST /api/v1/restores}, checked against the machine's real PostgreSQL and MariaDB. */
class RestoreMvcTests extends CatalogTestSupport {

    static final String PROBLEMS = "https://databasement.io/problems/";

    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;

    RestoreFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new RestoreFixtures(mvc, jdbc, json);
    }

    ResultActions restore(String body) throws Exception {
        return mvc.perform(post("/api/v1/restores").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    UUID id(ResultActions result) throws Exception {
        return UUID.fromString(json.readTree(result.andReturn().getResponse().getContentAsString()).get("id").asString());
    }

    ResultActions claim(UUID job, UUID attempt) throws Exception {
        return mvc.perform(post("/internal/jobs/{job}/attempts/{attempt}", job, attempt).header("Authorization", "Bearer " + TOKEN));
    }

    @Test
    void aRestoreIntoANewDatabaseOnTheSameServerIsAcceptedAsPendingOtherDatabase() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");

        ResultActions accepted = mvc.perform(post("/api/v1/restores").contentType(MediaType.APPLICATION_JSON)
                        .header("X-Requested-By", "alice").header("X-Correlation-Id", "ticket-42")
                        .content(body(snapshot, server, target, null)))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", startsWith("/api/v1/restores/")))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.mode").value("OTHER_DATABASE"))
                .andExpect(jsonPath("$.snapshotId").value(snapshot.toString()))
                .andExpect(jsonPath("$.targetServerId").value(server.toString()))
                .andExpect(jsonPath("$.targetDatabase").value(target))
                .andExpect(jsonPath("$.requestedBy").value("alice"))
                .andExpect(jsonPath("$.correlationId").value("ticket-42"))
                .andExpect(jsonPath("$.targetExists").value(false));
        UUID id = id(accepted);
        assertThat(accepted.andReturn().getResponse().getHeader("Location")).isEqualTo("/api/v1/restores/" + id);

        mvc.perform(get("/api/v1/restores/{id}", id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.targetServerName").value(startsWith("srv_")))
                .andExpect(jsonPath("$.createdAt").isNotEmpty())
                .andExpect(jsonPath("$.queuedBehind").doesNotExist());
        mvc.perform(get("/api/v1/restores").param("snapshotId", snapshot.toString()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(1))
                .andExpect(jsonPath("$.items[0].id").value(id.toString()));
    }

    @Test
    void withoutHeadersTheRequesterIsApiAndTheCorrelationIdIsTheRestoreId() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        ResultActions accepted = restore(body(snapshot, server, unique("restored"), false)).andExpect(status().isAccepted());
        UUID id = id(accepted);
        accepted.andExpect(jsonPath("$.requestedBy").value("api"))
                .andExpect(jsonPath("$.correlationId").value(id.toString()));
    }

    @Test
    void aRollbackOfTheSnapshotsOwnDatabaseNeedsConfirmation() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        restore(body(snapshot, server, "shop", null))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "overwrite-not-confirmed"))
                .andExpect(jsonPath("$.detail").value(containsString("This will overwrite all current data in the target database!")));
        restore(body(snapshot, server, "shop", true))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.mode").value("SAME_DATABASE"));
    }

    @Test
    void anExistingTargetDatabaseNeedsConfirmation() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String existing = existingPostgresDatabase();
        restore(body(snapshot, server, existing, false))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "overwrite-not-confirmed"))
                .andExpect(jsonPath("$.detail").value(containsString(existing)))
                .andExpect(jsonPath("$.detail").value(containsString("This will overwrite all current data in the target database!")));
        restore(body(snapshot, server, existing, true))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.mode").value("OTHER_DATABASE"))
                .andExpect(jsonPath("$.targetExists").value(true));
    }

    @Test
    void anotherRegisteredServerIsACrossServerRestore() throws Exception {
        UUID source = fx.postgresServer();
        UUID other = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(source, "shop", "postgresql", "15.20");
        restore(body(snapshot, other, unique("copy"), null))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.mode").value("CROSS_SERVER"));
    }

    @Test
    void aMysqlSnapshotRestoresIntoMariadb() throws Exception {
        UUID mariadb = fx.mariadbServer();
        UUID mysqlSource = fx.server("mysql", 3306, "root", null);
        UUID snapshot = fx.completedSnapshot(mysqlSource, "shop", "mysql", "8.0.36");
        restore(body(snapshot, mariadb, unique("restored"), null))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.mode").value("CROSS_SERVER"));
    }

    @Test
    void aMariadbSnapshotCannotBeRestoredIntoPostgresql() throws Exception {
        UUID mariadb = fx.mariadbServer();
        UUID postgres = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(mariadb, "shop", "mariadb", "10.11.6-MariaDB");
        restore(body(snapshot, postgres, "shop", null))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "engine-mismatch"))
                .andExpect(jsonPath("$.detail").value("cannot restore a MySQL/MariaDB snapshot into PostgreSQL"));
    }

    @Test
    void aSnapshotFromANewerMajorVersionCannotBeRestoredIntoAnOlderServer() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "99.1");
        restore(body(snapshot, server, unique("restored"), null))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "target-version-older"))
                .andExpect(jsonPath("$.detail").value(containsString("99.1")));
    }

    @Test
    void onlyACompletedSnapshotCanBeRestored() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.snapshot(server, "shop", "postgresql", "15.20", "RUNNING");
        restore(body(snapshot, server, unique("restored"), null))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "snapshot-not-completed"))
                .andExpect(jsonPath("$.detail").value(containsString("RUNNING")));
    }

    @Test
    void anUnreachableTargetIsServiceUnavailableInTheDriversWordsWithoutThePassword() throws Exception {
        UUID source = fx.postgresServer();
        UUID unreachable = fx.unreachableServer();
        UUID snapshot = fx.completedSnapshot(source, "shop", "postgresql", "15.20");
        restore(body(snapshot, unreachable, "shop", null))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "target-unavailable"))
                .andExpect(jsonPath("$.detail").value(containsString("refused")))
                .andExpect(jsonPath("$.detail").value(not(containsString("unreachable-secret-pw"))));
    }

    @Test
    void aTargetPasswordSealedUnderAnotherKeyIsRefusedWithAWayOut() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        UUID target = fx.postgresServer();
        jdbc.sql("update servers set sealed_password = ? where id = ?")
                .params("v1:" + java.util.Base64.getEncoder().encodeToString(new byte[40]), target).update();
        restore(body(snapshot, target, "shop", null))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "server-password-unreadable"))
                .andExpect(jsonPath("$.detail").value(containsString("/api/v1/servers/" + target)));
    }

    @Test
    void unknownSnapshotOrServerIsNotFound() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        restore(body(UUID.randomUUID(), server, "shop", true))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "snapshot-not-found"));
        restore(body(snapshot, UUID.randomUUID(), "shop", true))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "server-not-found"));
        mvc.perform(get("/api/v1/restores/{id}", UUID.randomUUID()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "restore-not-found"));
    }

    @Test
    void missingOrMalformedFieldsAreBadRequests() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        restore("""
                {"targetServerId": "%s", "targetDatabase": "x"}""".formatted(server))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"))
                .andExpect(jsonPath("$.errors[0].field").value("snapshotId"));
        restore(body(snapshot, server, "x", null).replace(server.toString(), "not-an-id"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("targetServerId"));
        restore("""
                {"snapshotId": "%s", "targetServerId": "%s"}""".formatted(snapshot, server))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("targetDatabase"));
        restore("{not json")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "malformed-request"));
        restore(body(snapshot, server, "x", null).replace("\"x\"}", "\"x\", \"confirmOverwrite\": \"perhaps\"}"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void aTargetDatabaseNameTheServerCannotHoldIsABadRequest() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        restore(body(snapshot, server, "x".repeat(64), null))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-database-name"))
                .andExpect(jsonPath("$.errors[0].field").value("targetDatabase"));
    }

    @Test
    void aSecondRestoreIntoTheSameTargetWaitsAndCannotBeClaimedYet() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");
        UUID first = id(restore(body(snapshot, server, target, null)).andExpect(status().isAccepted()));
        UUID second = id(restore(body(snapshot, server, target, null)).andExpect(status().isAccepted()));

        mvc.perform(get("/api/v1/restores/{id}", second))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.queuedBehind").value(containsString(first.toString())));
        claim(second, UUID.randomUUID())
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "attempt-rejected"));

        UUID attempt = UUID.randomUUID();
        claim(first, attempt)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("IN_PROGRESS"));
        claim(first, attempt).andExpect(status().isOk());
        claim(first, UUID.randomUUID()).andExpect(status().isConflict());
        mvc.perform(get("/api/v1/restores/{id}", first))
                .andExpect(jsonPath("$.status").value("IN_PROGRESS"))
                .andExpect(jsonPath("$.attemptId").value(attempt.toString()))
                .andExpect(jsonPath("$.attempt").value(1));
    }

    @Autowired
    io.databasement.catalog.admission.Admission admission;

    @Test
    void aRestoreWhoseWorkerWentSilentIsOfferedAgainThenFailsAndFreesItsTarget() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");
        UUID lost = id(restore(body(snapshot, server, target, null)));
        UUID waiting = id(restore(body(snapshot, server, target, null)));
        var restores = admission.handler(io.databasement.catalog.admission.JobKind.RESTORE);

        for (int attempt = 1; attempt <= 3; attempt++) {
            UUID worker = UUID.randomUUID();
            claim(lost, worker).andExpect(status().isOk());
            restores.expireLostAttempts();
            mvc.perform(get("/api/v1/restores/{id}", lost)).andExpect(jsonPath("$.attemptId").value(worker.toString()));
            jdbc.sql("update restores set last_heartbeat_at = now() - interval '61 seconds' where id = ?").param(lost).update();
            // (the scheduled watch may get there first: either way the state below is the outcome)
            restores.expireLostAttempts();
            if (attempt < 3) {
                mvc.perform(get("/api/v1/restores/{id}", lost))
                        .andExpect(jsonPath("$.status").value("IN_PROGRESS"))
                        .andExpect(jsonPath("$.attemptId").doesNotExist())
                        .andExpect(jsonPath("$.retryAt").exists());
                claim(lost, UUID.randomUUID()).andExpect(status().isConflict()); // not during the backoff
                jdbc.sql("update restores set retry_at = now() - interval '1 second' where id = ?").param(lost).update();
                restores.sendDueRetries();
                mvc.perform(get("/api/v1/restores/{id}", lost)).andExpect(jsonPath("$.retryAt").doesNotExist());
            }
        }
        mvc.perform(get("/api/v1/restores/{id}", lost))
                .andExpect(jsonPath("$.status").value("FAILED"))
                .andExpect(jsonPath("$.error").value(containsString("3 attempt(s)")));
        mvc.perform(get("/api/v1/restores/{id}", waiting)).andExpect(jsonPath("$.queuedBehind").doesNotExist());
        claim(waiting, UUID.randomUUID()).andExpect(status().isOk());
    }

    @Test
    void listFiltersByTargetAndStatusAndRefusesAnUnknownStatus() throws Exception {
        UUID server = fx.postgresServer();
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        String target = unique("restored");
        UUID older = id(restore(body(snapshot, server, target, null)));
        UUID newer = id(restore(body(snapshot, server, target, null)));
        mvc.perform(get("/api/v1/restores").param("targetServerId", server.toString()).param("targetDatabase", target)
                        .param("status", "pending").param("size", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(2))
                .andExpect(jsonPath("$.totalPages").value(2))
                .andExpect(jsonPath("$.items[0].id").value(newer.toString()));
        mvc.perform(get("/api/v1/restores").param("targetDatabase", target).param("page", "1").param("size", "1"))
                .andExpect(jsonPath("$.items[0].id").value(older.toString()));
        mvc.perform(get("/api/v1/restores").param("targetDatabase", target).param("status", "IN_PROGRESS"))
                .andExpect(jsonPath("$.totalItems").value(0));
        mvc.perform(get("/api/v1/restores").param("status", "DONE"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "invalid-request"));
    }
}
