package io.databasement.gateway.openapi;


import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.databasement.gateway.GatewayTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway with its own PostgreSQL database, in front of two real HTTP servers answering the documents the
 * real catalog-service and storage-service generated. No request here carries a token: the API descriptions
 * are public.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dbm.gateway.openapi.cache-ttl=" + OpenApiIT.TTL_MILLIS + "ms"})
class OpenApiIT {

    static final long TTL_MILLIS = 1500;
    private static final CannedService catalog = start("/openapi/catalog-api-docs.json");
    private static final CannedService storage = start("/openapi/storage-api-docs.json");
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        GatewayTestSupport.register(registry);
        registry.add("dbm.gateway.catalog-url", catalog::baseUrl);
        registry.add("dbm.gateway.storage-url", storage::baseUrl);
    }

    @AfterEach
    void servicesBackUp() {
        storage.down(false);
    }

    @AfterAll
    static void stop() {
        catalog.close();
        storage.close();
    }

    @Test
    void oneDocumentDescribesTheGatewayAndBothServicesBehindOneBearerScheme() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode doc = json.readTree(response.body());
        assertThat(doc.get("openapi").asString()).startsWith("3.1");
        assertThat(doc.at("/info/title").asString()).isEqualTo("Databasement API");
        assertThat(doc.at("/info/description").asString()).doesNotContain("Incomplete");
        assertThat(doc.get("paths").propertyNames()).contains("/api/v1/tokens", "/api/v1/me", "/api/v1/audit",
                "/api/v1/events", "/api/v1/servers", "/api/v1/snapshots", "/api/v1/restores", "/api/v1/schedules",
                "/api/v1/volumes");
        assertThat(response.body()).doesNotContain("/internal");
        assertThat(doc.at("/components/securitySchemes/bearerAuth/scheme").asString()).isEqualTo("bearer");
        assertThat(doc.at("/security/0").propertyNames()).containsExactly("bearerAuth");
        assertThat(doc.at("/servers/0/url").asString()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(doc.at("/paths/~1api~1v1~1volumes/post/responses/409/content").propertyNames())
                .containsExactly("application/problem+json");
    }

    @Test
    void theDocumentIsKeptBrieflyInsteadOfAskingTheServicesEveryTime() throws Exception {
        Thread.sleep(TTL_MILLIS + 100); // whatever an earlier test left in the cache is stale now
        int before = catalog.asked();

        assertThat(get("/v3/api-docs").statusCode()).isEqualTo(200);
        assertThat(get("/v3/api-docs").statusCode()).isEqualTo(200);
        assertThat(catalog.asked()).isEqualTo(before + 1);

        Thread.sleep(TTL_MILLIS + 100);
        assertThat(get("/v3/api-docs").statusCode()).isEqualTo(200);
        assertThat(catalog.asked()).isEqualTo(before + 2);
    }

    @Test
    void aServiceThatIsDownIsLeftOutAndNamedUntilItIsBack() throws Exception {
        storage.down(true);
        Thread.sleep(TTL_MILLIS + 100);

        HttpResponse<String> response = get("/v3/api-docs");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json.readTree(response.body());
        assertThat(doc.at("/info/description").asString()).contains("Incomplete", "storage-service (it answered 503)");
        assertThat(doc.at("/info/x-databasement-missing/0").asString()).isEqualTo("storage-service");
        assertThat(doc.get("paths").propertyNames()).contains("/api/v1/snapshots", "/api/v1/tokens")
                .doesNotContain("/api/v1/volumes");

        storage.down(false);
        JsonNode again = json.readTree(get("/v3/api-docs").body());
        assertThat(again.get("paths").propertyNames()).contains("/api/v1/volumes");
        assertThat(again.at("/info/x-databasement-missing").isMissingNode()).isTrue();
    }

    @Test
    void swaggerUiLoadsAndShowsTheMergedDocument() throws Exception {
        HttpResponse<String> page = get("/swagger-ui.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.uri().getPath()).endsWith("/swagger-ui/index.html");
        assertThat(page.body()).contains("swagger-ui-bundle.js", "swagger-initializer.js");

        String base = page.uri().getPath().substring(0, page.uri().getPath().lastIndexOf('/') + 1);
        for (String asset : new String[] {"swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css",
                "swagger-initializer.js"}) {
            HttpResponse<String> response = get(base + asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.body()).as(asset).isNotBlank();
        }
        // the UI reads its settings from springdoc's config URL, which points it at the merged document
        assertThat(get(base + "swagger-initializer.js").body()).contains("/v3/gateway-api-docs/swagger-config");
        JsonNode config = json.readTree(get("/v3/gateway-api-docs/swagger-config").body());
        assertThat(config.get("url").asString()).isEqualTo("/v3/api-docs");
    }

    @Test
    void asyncApiOfTheKafkaMessagesIsServedAsYaml() throws Exception {
        HttpResponse<String> response = get("/asyncapi.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/yaml"));
        try (InputStream contracts = OpenApiIT.class.getResourceAsStream("/asyncapi.yaml")) {
            assertThat(response.body()).isEqualTo(new String(contracts.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(response.body()).contains("asyncapi:", "dbm.restore.events");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static CannedService start(String resource) {
        try {
            return new CannedService(resource);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
