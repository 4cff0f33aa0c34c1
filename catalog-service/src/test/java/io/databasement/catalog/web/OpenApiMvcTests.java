package io.databasement.catalog.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The catalog's {@code /v3/api-docs}, which the gateway merges into the public API document. */
class OpenApiMvcTests extends CatalogTestSupport {

    @Autowired
    JsonMapper json;

    JsonNode doc() throws Exception {
        return json.readTree(mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }

    @Test
    void describesThePublicApiButNotTheWorkersInternalOne() throws Exception {
        JsonNode doc = doc();

        assertThat(doc.get("openapi").asString()).startsWith("3.");
        assertThat(doc.get("paths").propertyNames()).contains("/api/v1/servers", "/api/v1/snapshots", "/api/v1/snapshots/{id}",
                "/api/v1/snapshots/{id}/verify", "/api/v1/restores", "/api/v1/schedules", "/api/v1/schedules/{id}/run");
        assertThat(doc.get("paths").propertyNames()).allMatch(path -> path.startsWith("/api/v1/"));
        assertThat(doc.toString()).doesNotContain("/internal");
    }

    @Test
    void everyErrorResponseIsDeclaredAsProblemDetails() throws Exception {
        JsonNode doc = doc();
        List<String> errors = new ArrayList<>();
        doc.get("paths").forEach(path -> path.forEach(operation -> operation.get("responses").properties().forEach(e -> {
            if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                errors.add(e.getValue().get("content").propertyNames().iterator().next());
            }
        })));

        assertThat(errors).hasSizeGreaterThan(20).containsOnly("application/problem+json");
        JsonNode problem = doc.at("/components/schemas/Problem/properties");
        assertThat(problem.propertyNames()).contains("type", "title", "status", "detail", "errors");
        JsonNode restore = doc.at("/paths/~1api~1v1~1restores/post/responses");
        assertThat(restore.propertyNames()).contains("202", "400", "404", "409", "422");
    }

    @Test
    void requestBodiesCarryAnExampleAUserCanPaste() throws Exception {
        JsonNode schemas = doc().at("/components/schemas");

        JsonNode server = schemas.at("/ServerRequest/example");
        assertThat(server.get("type").asString()).isEqualTo("postgresql");
        assertThat(server.get("port").asInt()).isEqualTo(5432);
        assertThat(schemas.at("/SnapshotRequest/example").propertyNames()).contains("serverId", "database", "volumeId");
        assertThat(schemas.at("/RestoreBody/example").propertyNames()).contains("snapshotId", "targetServerId",
                "targetDatabase", "confirmOverwrite");
        assertThat(schemas.at("/ScheduleRequest/example/retention/type").asString()).isEqualTo("GFS");
    }
}
