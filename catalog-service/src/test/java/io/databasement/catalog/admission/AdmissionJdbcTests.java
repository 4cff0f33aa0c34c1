package io.databasement.catalog.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Admission's rules and its partial unique index, on the real catalog schema. */
class AdmissionJdbcTests extends CatalogTestSupport {

    @Autowired
    Admission admission;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JsonMapper json;

    UUID server() throws Exception {
        String response = mvc.perform(post("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "%s", "type": "postgresql", "host": "127.0.0.1", "port": 5432, "username": "postgres"}"""
                        .formatted(unique("srv"))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    UUID snapshot(UUID server, String database) throws Exception {
        String response = mvc.perform(post("/api/v1/snapshots").contentType(MediaType.APPLICATION_JSON).content("""
                        {"serverId": "%s", "database": "%s", "volumeId": "%s"}""".formatted(server, database, knownVolume().id())))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    boolean dispatched(UUID job) {
        return admission.slot(job).orElseThrow().dispatched();
    }

    void end(UUID job) {
        tx.executeWithoutResult(s -> admission.release(job, Instant.now()));
    }

    @Test
    void theDatabaseRefusesTwoDispatchedJobsOnOneDatabase() {
        UUID server = UUID.randomUUID();
        String insert = "insert into job_slots (job_id, kind, server_id, database_name, dispatched, created_at) values (?, 'backup', ?, 'shop', ?, ?)";
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql(insert).params(UUID.randomUUID(), server, true, now).update();
        jdbc.sql(insert).params(UUID.randomUUID(), server, false, now).update();
        jdbc.sql(insert.replace("'shop'", "'other'")).params(UUID.randomUUID(), server, true, now).update();
        assertThatThrownBy(() -> jdbc.sql(insert).params(UUID.randomUUID(), server, true, now).update())
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void aSecondBackupOfOneDatabaseWaitsForTheFirstToEnd() throws Exception {
        UUID server = server();
        UUID first = snapshot(server, "shop");
        UUID second = snapshot(server, "shop");
        assertThat(dispatched(first)).isTrue();
        assertThat(dispatched(second)).isFalse();
        mvc.perform(get("/api/v1/snapshots/{id}", second))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.queuedBehind").value(Matchers.containsString("backup " + first)));
        mvc.perform(get("/api/v1/snapshots").param("serverId", server.toString()))
                .andExpect(jsonPath("$.items[0].id").value(second.toString()))
                .andExpect(jsonPath("$.items[0].queuedBehind").value(Matchers.containsString("backup " + first)))
                .andExpect(jsonPath("$.items[1].queuedBehind").doesNotExist());

        end(first);

        assertThat(admission.slot(first)).isEmpty();
        assertThat(dispatched(second)).isTrue();
        mvc.perform(get("/api/v1/snapshots/{id}", second)).andExpect(jsonPath("$.queuedBehind").doesNotExist());
    }

    @Test
    void aServerRunsAtMostTheConfiguredNumberOfJobsAndTheNextStartsWhenOneEnds() throws Exception {
        UUID server = server();
        UUID a = snapshot(server, "a");
        UUID b = snapshot(server, "b");
        UUID c = snapshot(server, "c");
        assertThat(dispatched(a)).isTrue();
        assertThat(dispatched(b)).isTrue();
        assertThat(dispatched(c)).as("max-jobs-per-server is 2").isFalse();
        assertThat(admission.queuedBehind(c)).hasValue("2 running job(s) on the server (at most 2 at once)");

        end(b);

        assertThat(dispatched(c)).isTrue();
        assertThat(admission.openJobs(server)).isEqualTo(2);
    }

    @Test
    void aQueuedJobOfABusyDatabaseDoesNotHoldBackAnotherDatabase() throws Exception {
        UUID server = server();
        UUID shop = snapshot(server, "shop");
        UUID shopAgain = snapshot(server, "shop");
        UUID crm = snapshot(server, "crm");
        assertThat(dispatched(shop)).isTrue();
        assertThat(dispatched(shopAgain)).isFalse();
        assertThat(dispatched(crm)).isTrue();
    }

    @Test
    void jobsOfADatabaseStartInTheOrderTheyWereRequested() throws Exception {
        UUID server = server();
        UUID first = snapshot(server, "shop");
        UUID second = snapshot(server, "shop");
        UUID third = snapshot(server, "shop");
        assertThat(admission.queuedBehind(third).orElseThrow()).contains(first.toString());
        end(first);
        assertThat(dispatched(second)).isTrue();
        assertThat(dispatched(third)).isFalse();
        assertThat(admission.queuedBehind(third).orElseThrow()).contains(second.toString());
    }

    @Test
    void aServerWithAQueuedJobCannotBeDeleted() throws Exception {
        UUID server = server();
        snapshot(server, "shop");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/v1/servers/{id}", server))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/server-busy"));
    }
}
