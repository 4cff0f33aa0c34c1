package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.volume.Volume;
import io.databasement.contracts.VolumeState;
import java.time.Instant;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SnapshotMvcTests extends CatalogTestSupport {

    private static final String PROBLEM = "https://databasement.io/problems/";

    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;

    UUID server(String type) throws Exception {
        String response = mvc.perform(post("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name": "%s", "type": "%s", "host": "127.0.0.1", "port": 5432, "username": "postgres", "password": "pw"}"""
                        .formatted(unique("srv"), type)))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    ResultActions request(String body) throws Exception {
        return mvc.perform(post("/api/v1/snapshots").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    ResultActions request(UUID serverId, String database, UUID volumeId, String extra) throws Exception {
        return request("""
                {"serverId": "%s", "database": %s, "volumeId": "%s"%s}"""
                .formatted(serverId, json.writeValueAsString(database), volumeId, extra));
    }

    UUID accepted(UUID serverId, String database, UUID volumeId) throws Exception {
        String response = request(serverId, database, volumeId, "").andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    @Test
    void snapshotRequestIsAcceptedAsPendingWithItsLocation() throws Exception {
        UUID serverId = server("postgresql");
        Volume volume = knownVolume();
        String response = request(serverId, "shop", volume.id(), "")
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", Matchers.matchesPattern("/api/v1/snapshots/[0-9a-f-]{36}")))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.compression").value("zstd"))
                .andExpect(jsonPath("$.compressionLevel").value(3))
                .andReturn().getResponse().getContentAsString();
        String id = json.readTree(response).get("id").asString();

        JsonNode details = json.readTree(mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        assertThat(details.get("id").asString()).isEqualTo(id);
        assertThat(details.get("serverId").asString()).isEqualTo(serverId.toString());
        assertThat(details.get("serverName").asString()).startsWith("srv-");
        assertThat(details.get("database").asString()).isEqualTo("shop");
        assertThat(details.get("volumeId").asString()).isEqualTo(volume.id().toString());
        assertThat(details.get("volumeName").asString()).isEqualTo(volume.name());
        assertThat(details.get("status").asString()).isEqualTo("PENDING");
        assertThat(details.get("createdAt").isNull()).isFalse();
        // every detail field is present, empty until the worker reports
        for (String field : new String[] {"path", "startedAt", "completedAt", "durationMs", "sizeBytes", "rawSizeBytes",
                "compressionRatio", "sha256", "databaseType", "databaseVersion", "error"}) {
            assertThat(details.has(field)).as(field).isTrue();
            assertThat(details.get(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void gzipAndNoneAreAcceptedWithTheirDefaultLevels() throws Exception {
        UUID serverId = server("mariadb");
        UUID volumeId = knownVolume().id();
        request(serverId, "app", volumeId, ", \"compression\": \"gzip\"")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.compression").value("gzip"))
                .andExpect(jsonPath("$.compressionLevel").value(6));
        request(serverId, "app", volumeId, ", \"compression\": \"none\"")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.compression").value("none"));
        request(serverId, "app", volumeId, ", \"compression\": \"zstd\", \"compressionLevel\": 19")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.compressionLevel").value(19));
    }

    @Test
    void unknownServerOrVolumeIsNotFoundNamingWhich() throws Exception {
        UUID serverId = server("postgresql");
        request(UUID.randomUUID(), "shop", knownVolume().id(), "")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "server-not-found"));
        UUID nowhere = UUID.randomUUID();
        request(serverId, "shop", nowhere, "")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "volume-not-found"))
                .andExpect(jsonPath("$.detail", Matchers.containsString(nowhere.toString())));
    }

    @Test
    void aVolumeCreatedAMomentAgoIsFoundThroughStorage() throws Exception {
        UUID serverId = server("postgresql");
        UUID fresh = UUID.randomUUID();
        STORAGE.put(new VolumeState(fresh, "just-made", "local", "/var/backups", Instant.parse("2026-11-25T10:00:00Z")));
        request(serverId, "shop", fresh, "")
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.volumeName").value("just-made"));
        assertThat(volumes.find(fresh)).isPresent();
    }

    @Test
    void databaseNamesWithQuotesSemicolonsAndSpacesAreKeptVerbatim() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        String tricky = "shop\"; DROP DATABASE x; -- 'o";
        UUID id = accepted(serverId, tricky, volumeId);
        mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(jsonPath("$.database").value(tricky));
        mvc.perform(get("/api/v1/snapshots").param("serverId", serverId.toString()).param("database", tricky))
                .andExpect(jsonPath("$.totalItems").value(1));
    }

    @Test
    void impossibleDatabaseNamesAreRejected() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        request(serverId, "bad\u0000name", volumeId, "")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-database-name"))
                .andExpect(jsonPath("$.errors[0].field").value("database"));
        request(serverId, "x".repeat(64), volumeId, "")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-database-name"));
        request(serverId, "", volumeId, "").andExpect(status().isBadRequest());
    }

    @Test
    void unknownCompressionOrLevelOutOfBoundsIsABadRequest() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        request(serverId, "shop", volumeId, ", \"compression\": \"lz4\"")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "unsupported-compression"))
                .andExpect(jsonPath("$.errors[0].field").value("compression"));
        request(serverId, "shop", volumeId, ", \"compression\": \"gzip\", \"compressionLevel\": 10")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("compressionLevel"));
        request(serverId, "shop", volumeId, ", \"compressionLevel\": 0")
                .andExpect(status().isBadRequest());
    }

    @Test
    void missingFieldsAndMalformedJsonAreBadRequests() throws Exception {
        request("""
                {"serverId": "%s", "volumeId": "%s"}""".formatted(UUID.randomUUID(), UUID.randomUUID()))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("database"));
        request("{\"serverId\": ").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "malformed-request"));
        request("{\"serverId\": \"not-a-uuid\", \"database\": \"x\", \"volumeId\": \"" + UUID.randomUUID() + "\"}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void listIsNewestFirstWithFiltersAndPaging() throws Exception {
        UUID serverId = server("postgresql");
        UUID volumeId = knownVolume().id();
        UUID otherVolumeId = knownVolume().id();
        UUID first = accepted(serverId, "alpha", volumeId);
        UUID second = accepted(serverId, "alpha", volumeId);
        UUID third = accepted(serverId, "beta", otherVolumeId);

        mvc.perform(get("/api/v1/snapshots").param("serverId", serverId.toString()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(3))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(20))
                .andExpect(jsonPath("$.totalPages").value(1))
                .andExpect(jsonPath("$.items[0].id").value(third.toString()))
                .andExpect(jsonPath("$.items[1].id").value(second.toString()))
                .andExpect(jsonPath("$.items[2].id").value(first.toString()));
        mvc.perform(get("/api/v1/snapshots").param("serverId", serverId.toString()).param("database", "alpha"))
                .andExpect(jsonPath("$.totalItems").value(2));
        mvc.perform(get("/api/v1/snapshots").param("serverId", serverId.toString()).param("volumeId", otherVolumeId.toString()))
                .andExpect(jsonPath("$.totalItems").value(1))
                .andExpect(jsonPath("$.items[0].id").value(third.toString()));
        mvc.perform(get("/api/v1/snapshots").param("serverId", serverId.toString()).param("status", "pending"))
                .andExpect(jsonPath("$.totalItems").value(3));
        mvc.perform(get("/api/v1/snapshots").param("serverId", serverId.toString()).param("status", "COMPLETED"))
                .andExpect(jsonPath("$.totalItems").value(0));
        mvc.perform(get("/api/v1/snapshots").param("serverId", serverId.toString()).param("page", "1").param("size", "2"))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].id").value(first.toString()))
                .andExpect(jsonPath("$.totalPages").value(2));
    }

    @Test
    void invalidListParametersAreBadRequests() throws Exception {
        mvc.perform(get("/api/v1/snapshots").param("status", "DONE"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        mvc.perform(get("/api/v1/snapshots").param("size", "201")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/snapshots").param("size", "0")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/snapshots").param("page", "-1")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/snapshots").param("serverId", "nope")).andExpect(status().isBadRequest());
        mvc.perform(get("/api/v1/snapshots").param("size", "200")).andExpect(status().isOk());
    }

    @Test
    void unknownSnapshotIsNotFound() throws Exception {
        mvc.perform(get("/api/v1/snapshots/" + UUID.randomUUID()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "snapshot-not-found"));
    }

    @Test
    void serverWithARunningSnapshotCannotBeDeletedAndItsFinishedSnapshotsOutliveIt() throws Exception {
        UUID serverId = server("postgresql");
        UUID id = accepted(serverId, "shop", knownVolume().id());
        mvc.perform(delete("/api/v1/servers/" + serverId))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEM + "server-busy"));

        jdbc.sql("update snapshots set status = 'FAILED' where id = ?").param(id).update();
        mvc.perform(delete("/api/v1/servers/" + serverId)).andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/snapshots/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.serverId").value(Matchers.nullValue()))
                .andExpect(jsonPath("$.serverName", Matchers.startsWith("srv-")));
    }
}
