package io.databasement.catalog.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.admission.Admission;
import io.databasement.catalog.admission.CancelCommand;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/v1/snapshots/{id}/cancel} and {@code POST /api/v1/restores/{id}/cancel}: 202, 404 and 409. */
@RecordApplicationEvents
class CancelMvcTests extends CatalogTestSupport {

    static final String PROBLEMS = "https://databasement.io/problems/";

    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Admission admission;
    @Autowired
    ApplicationEvents events;

    RestoreFixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new RestoreFixtures(mvc, jdbc, json);
    }

    UUID id(ResultActions result) throws Exception {
        return UUID.fromString(json.readTree(result.andReturn().getResponse().getContentAsString()).get("id").asString());
    }

    ResultActions claim(UUID job, UUID attempt) throws Exception {
        return mvc.perform(post("/internal/jobs/{job}/attempts/{attempt}", job, attempt).header("Authorization", "Bearer " + TOKEN));
    }

    ResultActions cancel(String what, UUID id) throws Exception {
        return mvc.perform(post("/api/v1/{what}/{id}/cancel", what, id).header("X-Requested-By", "alice"));
    }

    UUID snapshot(UUID server) throws Exception {
        return id(mvc.perform(post("/api/v1/snapshots").contentType(MediaType.APPLICATION_JSON).content("""
                        {"serverId": "%s", "database": "%s", "volumeId": "%s"}""".formatted(server, unique("db"), knownVolume().id())))
                .andExpect(status().isAccepted()));
    }

    UUID restore(UUID server) throws Exception {
        UUID snapshot = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        return id(mvc.perform(post("/api/v1/restores").contentType(MediaType.APPLICATION_JSON)
                        .content(RestoreFixtures.body(snapshot, server, unique("restored"), null)))
                .andExpect(status().isAccepted()));
    }

    /** Cancel commands published for the outbox (the relay is off in these tests). */
    long cancelCommands(UUID jobId) {
        return events.stream(CancelCommand.class).filter(c -> c.payload().jobId().equals(jobId)).count();
    }

    @Test
    void unknownIdsAreNotFound() throws Exception {
        cancel("snapshots", UUID.randomUUID())
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "snapshot-not-found"));
        cancel("restores", UUID.randomUUID())
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "restore-not-found"));
    }

    @Test
    void aRunningSnapshotIsToldToStopAndStaysRunningUntilItsWorkerReports() throws Exception {
        UUID server = fx.postgresServer();
        UUID id = snapshot(server);
        UUID attempt = UUID.randomUUID();
        claim(id, attempt).andExpect(status().isOk());

        cancel("snapshots", id)
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("RUNNING"))
                .andExpect(jsonPath("$.cancelRequestedAt").isNotEmpty());
        assertThat(cancelCommands(id)).as("the cancel command is in the outbox").isEqualTo(1);
        assertThat(events.stream(CancelCommand.class).filter(c -> c.payload().jobId().equals(id)).findFirst().orElseThrow().payload())
                .satisfies(c -> {
                    assertThat(c.kind()).isEqualTo("backup");
                    assertThat(c.reason()).isEqualTo("cancelled by alice");
                    assertThat(c.requestedBy()).isEqualTo("alice");
                });
        assertThat(admission.slot(id)).as("still holds its slot while its worker stops").isPresent();
        claim(id, UUID.randomUUID()).andExpect(status().isConflict());
    }

    @Test
    void aQueuedSnapshotIsCancelledAtOnceFreesItsSlotAndCannotBeCancelledAgain() throws Exception {
        UUID server = fx.postgresServer();
        UUID id = snapshot(server);

        cancel("snapshots", id)
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.error").value("cancelled by alice before a worker took it"));
        assertThat(cancelCommands(id)).as("no worker has it: nothing to tell").isZero();
        assertThat(admission.slot(id)).isEmpty();
        claim(id, UUID.randomUUID()).andExpect(status().isConflict());
        mvc.perform(get("/api/v1/snapshots").param("serverId", server.toString()).param("status", "cancelled"))
                .andExpect(jsonPath("$.totalItems").value(1));

        cancel("snapshots", id)
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEMS + "job-ended"));
    }

    @Test
    void aCompletedSnapshotCannotBeCancelled() throws Exception {
        UUID server = fx.postgresServer();
        UUID id = fx.completedSnapshot(server, "shop", "postgresql", "15.20");
        cancel("snapshots", id)
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "job-ended"))
                .andExpect(jsonPath("$.detail").value("snapshot " + id + " is COMPLETED; only a PENDING or RUNNING snapshot can be cancelled"));
    }

    @Test
    void aLoadingRestoreIsToldToStopAndItsSwapClaimIsThenRefused() throws Exception {
        UUID server = fx.postgresServer();
        UUID id = restore(server);
        UUID attempt = UUID.randomUUID();
        claim(id, attempt).andExpect(status().isOk());

        cancel("restores", id)
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("IN_PROGRESS"))
                .andExpect(jsonPath("$.cancelRequestedAt").isNotEmpty())
                .andExpect(jsonPath("$.swapping").value(false));
        assertThat(cancelCommands(id)).isEqualTo(1);

        claim(id, attempt)
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "job-cancelled"));
        mvc.perform(get("/api/v1/restores/{id}", id))
                .andExpect(jsonPath("$.status").value("CANCELLED"))
                .andExpect(jsonPath("$.error").value("cancelled by alice before the swap; the target was not touched"));
        assertThat(admission.slot(id)).isEmpty();
    }

    @Test
    void aSwappingRestoreCannotBeCancelled() throws Exception {
        UUID server = fx.postgresServer();
        UUID id = restore(server);
        UUID attempt = UUID.randomUUID();
        claim(id, attempt).andExpect(status().isOk());
        claim(id, attempt).andExpect(status().isOk());

        cancel("restores", id)
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEMS + "restore-swapping"));
        mvc.perform(get("/api/v1/restores/{id}", id))
                .andExpect(jsonPath("$.status").value("IN_PROGRESS"))
                .andExpect(jsonPath("$.swapping").value(true))
                .andExpect(jsonPath("$.cancelRequestedAt").doesNotExist());
        assertThat(cancelCommands(id)).isZero();
    }

    @Test
    void aQueuedRestoreIsCancelledAtOnce() throws Exception {
        UUID server = fx.postgresServer();
        UUID id = restore(server);
        cancel("restores", id)
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("CANCELLED"));
        claim(id, UUID.randomUUID()).andExpect(status().isConflict());
        cancel("restores", id).andExpect(status().isConflict()).andExpect(jsonPath("$.type").value(PROBLEMS + "job-ended"));
    }
}
