package io.databasement.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.databasement.gateway.openapi.ApiDocsMerger.Part;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The merge itself, on documents the real catalog-service and storage-service generated (test resources). */
class ApiDocsMergerTests {

    static final JsonMapper json = JsonMapper.builder().build();
    final ObjectNode gateway = ApiDocs.load(json, "openapi/gateway-api.yaml");

    static ObjectNode resource(String name) throws IOException {
        try (InputStream in = ApiDocsMergerTests.class.getResourceAsStream("/openapi/" + name)) {
            return (ObjectNode) json.readTree(in);
        }
    }

    static List<Part> bothServices() throws IOException {
        return List.of(Part.of("catalog-service", "catalog", resource("catalog-api-docs.json")),
                Part.of("storage-service", "storage", resource("storage-api-docs.json")));
    }

    @Test
    void pathsOfTheGatewayAndBothServicesAreInOneDocument() throws IOException {
        ObjectNode merged = ApiDocsMerger.merge(gateway, bothServices());

        assertThat(merged.get("paths").propertyNames()).contains("/api/v1/tokens", "/api/v1/me", "/api/v1/audit",
                "/api/v1/events", "/api/v1/servers", "/api/v1/snapshots/{id}/verify", "/api/v1/restores",
                "/api/v1/schedules", "/api/v1/volumes", "/api/v1/volumes/{id}/test");
        assertThat(merged.at("/info/title").asString()).isEqualTo("Databasement API");
        assertThat(merged.at("/info/x-databasement-missing").isMissingNode()).isTrue();
        assertThat(merged.get("tags").findValuesAsString("name")).containsExactly(
                "snapshots", "restores", "schedules", "servers", "volumes", "tokens", "audit", "events");
        assertThat(operationIds(merged)).doesNotHaveDuplicates().contains("createServer", "createVolume", "createToken");
    }

    @Test
    void theProblemSchemaAllThreeShareIsKeptOnceAndEveryRefResolves() throws IOException {
        ObjectNode merged = ApiDocsMerger.merge(gateway, bothServices());

        assertThat(merged.at("/components/schemas").propertyNames())
                .contains("Problem", "ServerRequest", "VolumeRequest", "AuditEntry")
                .noneMatch(name -> name.contains("."));
        for (String ref : merged.findValuesAsString("$ref")) {
            assertThat(merged.at(ref.substring(1)).isObject()).as(ref).isTrue();
        }
    }

    @Test
    void everyOperationNeedsTheBearerToken() throws IOException {
        ObjectNode merged = ApiDocsMerger.merge(gateway, bothServices());

        assertThat(merged.at("/components/securitySchemes/bearerAuth/type").asString()).isEqualTo("http");
        assertThat(merged.at("/components/securitySchemes/bearerAuth/scheme").asString()).isEqualTo("bearer");
        assertThat(merged.at("/security/0").propertyNames()).containsExactly("bearerAuth");
    }

    @Test
    void aClashingComponentIsRenamedWithItsRefsAndAClashingOperationIdPrefixed() throws IOException {
        ObjectNode storage = resource("storage-api-docs.json");
        // storage's idea of a "ServerView" differs from the catalog's, and it reuses an operationId
        ObjectNode other = storage.deepCopy();
        ((ObjectNode) other.at("/components/schemas")).putObject("ServerView").put("type", "string");
        ((ObjectNode) other.at("/paths/~1api~1v1~1volumes/get")).put("operationId", "listServers");
        ((ObjectNode) other.at("/paths/~1api~1v1~1volumes/get/responses/200/content/application~1json/schema/items"))
                .put("$ref", "#/components/schemas/ServerView");

        ObjectNode merged = ApiDocsMerger.merge(gateway, List.of(
                Part.of("catalog-service", "catalog", resource("catalog-api-docs.json")),
                Part.of("storage-service", "storage", other)));

        assertThat(merged.at("/components/schemas/ServerView/type").asString()).isEqualTo("object");
        assertThat(merged.at("/components/schemas/storage.ServerView/type").asString()).isEqualTo("string");
        assertThat(merged.at("/paths/~1api~1v1~1volumes/get/responses/200/content/application~1json/schema/items/$ref")
                .asString()).isEqualTo("#/components/schemas/storage.ServerView");
        assertThat(merged.at("/paths/~1api~1v1~1servers/get/responses/200/content/application~1json/schema/items/$ref")
                .asString()).isEqualTo("#/components/schemas/ServerView");
        assertThat(merged.at("/paths/~1api~1v1~1volumes/get/operationId").asString()).isEqualTo("storageListServers");
        assertThat(merged.at("/paths/~1api~1v1~1servers/get/operationId").asString()).isEqualTo("listServers");
    }

    @Test
    void aMissingServiceIsNamedInTheDescriptionAndTheRestIsServed() throws IOException {
        ObjectNode merged = ApiDocsMerger.merge(gateway, List.of(
                Part.of("catalog-service", "catalog", resource("catalog-api-docs.json")),
                Part.missing("storage-service", "storage", "it cannot be reached")));

        assertThat(merged.at("/info/description").asString())
                .contains("**Incomplete:**", "storage-service (it cannot be reached)");
        assertThat(merged.at("/info/x-databasement-missing/0").asString()).isEqualTo("storage-service");
        assertThat(merged.get("paths").propertyNames()).contains("/api/v1/servers", "/api/v1/tokens")
                .doesNotContain("/api/v1/volumes");
    }

    @Test
    void theGatewaysOwnDocumentIsNotChangedByAMerge() throws IOException {
        ObjectNode before = gateway.deepCopy();

        ApiDocsMerger.merge(gateway, bothServices());

        assertThat(gateway).isEqualTo(before);
    }

    private static List<String> operationIds(JsonNode doc) {
        List<String> ids = new ArrayList<>();
        doc.get("paths").forEach(path -> path.forEach(op -> {
            if (op.has("operationId")) {
                ids.add(op.get("operationId").asString());
            }
        }));
        return ids;
    }
}
