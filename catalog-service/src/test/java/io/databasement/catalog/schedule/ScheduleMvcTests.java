package io.databasement.catalog.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ScheduleMvcTests extends CatalogTestSupport {

    private static final String PROBLEM = "https://databasement.io/problems/";

    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MissedBackupWatch watch;

    UUID server(String type) throws Exception {
        String response = mvc.perform(post("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "%s", "type": "%s", "host": "127.0.0.1", "port": 5432, "username": "postgres", "password": "pw"}"""
                        .formatted(unique("srv"), type)))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    /** A valid body; {@code extra} is appended to (or overrides fields of) it. */
    String body(String name, UUID serverId, UUID volumeId, String extra) {
        return """
                {"name": "%s", "serverId": "%s", "databases": ["shop", "crm"], "volumeId": "%s",
                 "cron": "0 0 3 * * *"%s}""".formatted(name, serverId, volumeId, extra);
    }

    ResultActions create(String body) throws Exception {
        return mvc.perform(post("/api/v1/schedules").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    JsonNode created(String body) throws Exception {
        return json.readTree(create(body).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
    }

    @Test
    void aScheduleIsCreatedWithDefaultsItsNextTickAndHealthNew() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        String name = unique("nightly");
        create(body(name, serverId, volumeId, """
                , "timeZone": "Europe/Paris", "retention": {"type": "GFS", "daily": 7, "weekly": 4, "monthly": 12},
                  "verify": true, "webhookUrl": "https://hooks.example.com/dbm?token=abc\""""))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", Matchers.matchesPattern("/api/v1/schedules/[0-9a-f-]{36}")))
                .andExpect(jsonPath("$.name").value(name))
                .andExpect(jsonPath("$.databases[1]").value("crm"))
                .andExpect(jsonPath("$.compression").value("zstd"))
                .andExpect(jsonPath("$.compressionLevel").value(3))
                .andExpect(jsonPath("$.cron").value("0 0 3 * * *"))
                .andExpect(jsonPath("$.timeZone").value("Europe/Paris"))
                .andExpect(jsonPath("$.retention.type").value("GFS"))
                .andExpect(jsonPath("$.retention.yearly").value(0))
                .andExpect(jsonPath("$.verify").value(true))
                .andExpect(jsonPath("$.graceMinutes").value(30))
                .andExpect(jsonPath("$.enabled").value(true))
                .andExpect(jsonPath("$.health").value("NEW"))
                .andExpect(jsonPath("$.nextFireAt", Matchers.matchesPattern(".*T0[12]:00:00Z")))
                .andExpect(jsonPath("$.expectedBy", Matchers.matchesPattern(".*T0[12]:30:00Z")))
                .andExpect(jsonPath("$.lastCompletedAt").isEmpty())
                .andExpect(jsonPath("$.missedSince").isEmpty());
    }

    @Test
    void unixCronAndMacrosAreAcceptedAndTheRetentionPoliciesReadBack() throws Exception {
        UUID serverId = server("mariadb");
        UUID volumeId = knownVolume().id();
        create(body(unique("unix"), serverId, volumeId, ", \"cron\": \"*/15 * * * *\", \"retention\": {\"type\": \"keep_last\", \"count\": 7}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.cron").value("0 */15 * * * *"))
                .andExpect(jsonPath("$.retention.type").value("KEEP_LAST"))
                .andExpect(jsonPath("$.retention.count").value(7));
        create(body(unique("macro"), serverId, volumeId, ", \"cron\": \"@hourly\", \"retention\": {\"type\": \"KEEP_DAYS\", \"days\": 30}, \"compression\": \"gzip\", \"graceMinutes\": 90, \"enabled\": false"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.cron").value("@hourly"))
                .andExpect(jsonPath("$.retention.days").value(30))
                .andExpect(jsonPath("$.compressionLevel").value(6))
                .andExpect(jsonPath("$.graceMinutes").value(90))
                .andExpect(jsonPath("$.enabled").value(false))
                .andExpect(jsonPath("$.nextFireAt").isEmpty());
    }

    @Test
    void invalidFieldsAreBadRequestsNamingTheField() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        expectField(body("x", serverId, volumeId, ", \"cron\": \"*/10 * * * * *\""), "invalid-cron", "cron", "once a minute");
        expectField(body("x", serverId, volumeId, ", \"cron\": \"0 0 3 * *  * *\""), "invalid-cron", "cron", "fields");
        expectField(body("x", serverId, volumeId, ", \"cron\": \"0 0 25 * * *\""), "invalid-cron", "cron", "cron");
        expectField(body("x", serverId, volumeId, ", \"timeZone\": \"Europe/Atlantis\""), "invalid-time-zone", "timeZone", "time zone");
        expectField(body("x", serverId, volumeId, ", \"retention\": {\"type\": \"FOREVER\"}"), "invalid-retention", "retention.type", "KEEP_LAST");
        expectField(body("x", serverId, volumeId, ", \"retention\": {\"type\": \"KEEP_LAST\", \"count\": 0}"), "invalid-retention", "retention.count", "between");
        expectField(body("x", serverId, volumeId, ", \"retention\": {\"type\": \"KEEP_LAST\"}"), "invalid-retention", "retention.count", "required");
        expectField(body("x", serverId, volumeId, ", \"retention\": {\"type\": \"GFS\", \"daily\": 0}"), "invalid-retention", "retention.daily", "keeps nothing");
        expectField(body("x", serverId, volumeId, ", \"webhookUrl\": \"ftp://example.com/x\""), "invalid-webhook-url", "webhookUrl", "http");
        expectField(body("x", serverId, volumeId, ", \"compression\": \"lz4\""), "unsupported-compression", "compression", "zstd");
        expectField(body("x", serverId, volumeId, ", \"compressionLevel\": 40"), "invalid-compression-level", "compressionLevel", "between");
        expectField(body("x", serverId, volumeId, ", \"databases\": [\"shop\", \"" + "x".repeat(64) + "\"]"),
                "invalid-database-name", "databases[1]", "63");
        expectField(body("x", serverId, volumeId, ", \"databases\": [\"shop\", \"shop\"]"), "invalid-database-name", "databases[1]", "twice");
        expectField(body("x", serverId, volumeId, ", \"databases\": []"), "invalid-request", "databases", "");
        expectField(body("x", serverId, volumeId, ", \"graceMinutes\": 0"), "invalid-request", "graceMinutes", "");
        expectField(body("", serverId, volumeId, ""), "invalid-request", "name", "");
        // PostgreSQL text cannot hold NUL: found by HostileInputIT as a 500
        expectField(body("a\\u0000b", serverId, volumeId, ""), "invalid-request", "name", "control characters");
    }

    void expectField(String body, String slug, String field, String messagePart) throws Exception {
        create(body).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + slug))
                .andExpect(jsonPath("$.errors[0].field").value(field))
                .andExpect(jsonPath("$.errors[0].message", Matchers.containsString(messagePart)));
    }

    @Test
    void unknownServerOrVolumeIsNotFoundAndANameIsUnique() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        create(body(unique("s"), UUID.randomUUID(), volumeId, "")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "server-not-found"));
        create(body(unique("s"), serverId, UUID.randomUUID(), "")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "volume-not-found"));
        String name = unique("taken");
        created(body(name, serverId, volumeId, ""));
        create(body(name, serverId, volumeId, "")).andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEM + "schedule-name-taken"));
        mvc.perform(get("/api/v1/schedules/" + UUID.randomUUID())).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "schedule-not-found"));
    }

    @Test
    void putReplacesTheScheduleAndKeepsTheNextTickUnlessTheCronChanges() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        String name = unique("edit");
        JsonNode schedule = created(body(name, serverId, volumeId, ""));
        String id = schedule.get("id").asString();
        String nextFireAt = schedule.get("nextFireAt").asString();

        mvc.perform(put("/api/v1/schedules/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, serverId, volumeId, ", \"retention\": {\"type\": \"KEEP_LAST\", \"count\": 3}, \"graceMinutes\": 45")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.retention.count").value(3))
                .andExpect(jsonPath("$.graceMinutes").value(45))
                .andExpect(jsonPath("$.nextFireAt").value(nextFireAt))
                .andExpect(jsonPath("$.version").value(1));
        mvc.perform(put("/api/v1/schedules/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content(body(name, serverId, volumeId, ", \"cron\": \"0 0 4 * * *\"")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.nextFireAt", Matchers.endsWith("T04:00:00Z")))
                .andExpect(jsonPath("$.retention").isEmpty());
        mvc.perform(get("/api/v1/schedules")).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == '" + id + "')].cron").value("0 0 4 * * *"));
    }

    @Test
    void runFiresNowWithoutMovingTheNextTickAndDeletingKeepsTheSnapshots() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        JsonNode schedule = created(body(unique("run"), serverId, volumeId, ", \"retention\": {\"type\": \"KEEP_LAST\", \"count\": 5}"));
        String id = schedule.get("id").asString();

        JsonNode run = json.readTree(mvc.perform(post("/api/v1/schedules/" + id + "/run"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.scheduleId").value(id))
                .andExpect(jsonPath("$.snapshotIds.length()").value(2))
                .andReturn().getResponse().getContentAsString());
        String first = run.get("snapshotIds").get(0).asString();

        mvc.perform(get("/api/v1/schedules/" + id))
                .andExpect(jsonPath("$.nextFireAt").value(schedule.get("nextFireAt").asString()))
                .andExpect(jsonPath("$.lastFiredAt").isNotEmpty());
        mvc.perform(get("/api/v1/snapshots/" + first)).andExpect(jsonPath("$.database").value("shop"))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.scheduleId").value(id));
        mvc.perform(get("/api/v1/schedules/" + id + "/snapshots")).andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(2));
        mvc.perform(get("/api/v1/snapshots").param("scheduleId", id)).andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(2));
        mvc.perform(get("/api/v1/schedules/" + id + "/retention-preview")).andExpect(status().isOk())
                .andExpect(jsonPath("$.retention.count").value(5))
                .andExpect(jsonPath("$.decisions.length()").value(2))
                .andExpect(jsonPath("$.decisions[0].action").value("KEEP"))
                .andExpect(jsonPath("$.decisions[0].reason").value("kept: still pending or running"));

        mvc.perform(delete("/api/v1/schedules/" + id)).andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/schedules/" + id)).andExpect(status().isNotFound());
        mvc.perform(delete("/api/v1/schedules/" + id)).andExpect(status().isNotFound());
        assertThat(jdbc.sql("select count(*) from snapshots where schedule_id = ?::uuid").param(id).query(Long.class).single())
                .as("the snapshots stay, still naming their schedule").isEqualTo(2);
    }

    @Test
    void aMissedScheduleShowsInItsViewAndAsAPrometheusGaugeAndReEnablingStartsOver() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        String name = unique("watched");
        String id = created(body(name, serverId, volumeId, "")).get("id").asString();
        jdbc.sql("update schedules set health = 'MISSED', missed_since = now(), missed_deadline = now() where id = ?::uuid")
                .param(id).update();
        watch.refreshGauge();

        mvc.perform(get("/api/v1/schedules/" + id)).andExpect(jsonPath("$.health").value("MISSED"))
                .andExpect(jsonPath("$.missedSince").isNotEmpty());
        String metrics = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(metrics).containsPattern("dbm_schedule_missed\\{[^}]*schedule=\"" + name + "\"[^}]*} 1\\.0");
        assertThat(metrics).contains("dbm_schedule_missed_episodes_total");

        String disabled = body(name, serverId, volumeId, ", \"enabled\": false");
        mvc.perform(put("/api/v1/schedules/" + id).contentType(MediaType.APPLICATION_JSON).content(disabled))
                .andExpect(status().isOk()).andExpect(jsonPath("$.nextFireAt").isEmpty())
                .andExpect(jsonPath("$.expectedBy").value(Matchers.notNullValue()));
        watch.refreshGauge();
        assertThat(mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString())
                .as("a disabled schedule is not missed").containsPattern("dbm_schedule_missed\\{[^}]*schedule=\"" + name + "\"[^}]*} 0\\.0");

        mvc.perform(put("/api/v1/schedules/" + id).contentType(MediaType.APPLICATION_JSON).content(body(name, serverId, volumeId, "")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.health").value("NEW"))
                .andExpect(jsonPath("$.missedSince").isEmpty())
                .andExpect(jsonPath("$.nextFireAt").isNotEmpty());
    }
}
