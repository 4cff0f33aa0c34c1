package io.databasement.catalog.snapshot;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

class JobAttemptMvcTests extends CatalogTestSupport {

    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;

    UUID pendingSnapshot() throws Exception {
        String server = mvc.perform(post("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "%s", "type": "postgresql", "host": "127.0.0.1", "port": 5432, "username": "postgres"}"""
                        .formatted(unique("srv"))))
                .andReturn().getResponse().getContentAsString();
        String snapshot = mvc.perform(post("/api/v1/snapshots").contentType(MediaType.APPLICATION_JSON).content("""
                        {"serverId": "%s", "database": "shop", "volumeId": "%s"}"""
                        .formatted(json.readTree(server).get("id").asString(), knownVolume().id())))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(snapshot).get("id").asString());
    }

    ResultActions claim(UUID job, UUID attempt) throws Exception {
        return mvc.perform(post("/internal/jobs/{job}/attempts/{attempt}", job, attempt)
                .header("Authorization", "Bearer " + TOKEN));
    }

    @Test
    void internalCallsWithoutTheServiceTokenAreUnauthorized() throws Exception {
        UUID job = pendingSnapshot();
        mvc.perform(post("/internal/jobs/{job}/attempts/{attempt}", job, UUID.randomUUID()))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/unauthorized"));
        mvc.perform(post("/internal/jobs/{job}/attempts/{attempt}", job, UUID.randomUUID())
                        .header("Authorization", "Bearer " + TOKEN + "x"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void firstAttemptWinsAndOthersAreToldToDropTheCommand() throws Exception {
        UUID job = pendingSnapshot();
        UUID attempt = UUID.randomUUID();
        claim(job, attempt)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.jobId").value(job.toString()))
                .andExpect(jsonPath("$.attemptId").value(attempt.toString()))
                .andExpect(jsonPath("$.status").value("RUNNING"));
        claim(job, attempt).andExpect(status().isOk());
        claim(job, UUID.randomUUID())
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/attempt-rejected"));
    }

    @org.springframework.beans.factory.annotation.Autowired
    io.databasement.catalog.admission.HeartbeatTrust trust;

    @Test
    void anAttemptWhoseLeaseRanOutIsReplacedOnlyWhileHeartbeatsAreTrusted() throws Exception {
        UUID job = pendingSnapshot();
        claim(job, UUID.randomUUID()).andExpect(status().isOk());
        jdbc.sql("update snapshots set last_heartbeat_at = now() - interval '61 seconds' where id = ?").param(job).update();
        UUID successor = UUID.randomUUID();
        try {
            // Kafka out of reach, or the catalog just started: the silent attempt may be alive
            trust.trusted(false);
            claim(job, successor).andExpect(status().isConflict());
            trust.trusted(true);
            claim(job, successor).andExpect(status().isOk()).andExpect(jsonPath("$.attemptId").value(successor.toString()));
        } finally {
            trust.trusted(true);
        }
    }

    @Test
    void finishedOrUnknownJobsCannotBeClaimed() throws Exception {
        UUID job = pendingSnapshot();
        jdbc.sql("update snapshots set status = 'COMPLETED' where id = ?").param(job).update();
        claim(job, UUID.randomUUID()).andExpect(status().isConflict());
        claim(UUID.randomUUID(), UUID.randomUUID())
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
