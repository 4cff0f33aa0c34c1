package io.databasement.catalog.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.stream.binder.test.TestChannelBinderConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Over real HTTP (Tomcat, not MockMvc), every kind of error a client can cause, and one the catalog causes
 * itself, is RFC 9457 problem details with a stable type: unknown paths, wrong methods and media types, ids
 * that are not UUIDs, bodies that are not JSON or not valid, unknown ids, conflicts, and a failure.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "dbm.seal-key=" + CatalogTestSupport.SEAL_KEY,
        "dbm.service-token=" + CatalogTestSupport.TOKEN,
        "spring.modulith.events.externalization.enabled=false",
        "spring.kafka.admin.auto-create=false",
})
@Import({TestChannelBinderConfiguration.class, ProblemResponsesHttpTests.Failing.class})
class ProblemResponsesHttpTests {

    private static final String SECRET = "jdbc:postgresql://db.internal/catalog?password=hunter2";

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    /** Stands in for a bug: an exception nobody expected, with internals in its message. */
    @RestController
    static class Failing {
        @GetMapping("/test/failure")
        String fail() {
            throw new IllegalStateException("cannot connect to " + SECRET);
        }
    }

    @Test
    void everyKindOfErrorIsProblemDetailsWithAStableType() throws Exception {
        String servers = "/api/v1/servers";
        String server = """
                {"name": "%s", "type": "postgresql", "host": "127.0.0.1", "port": 5432, "username": "postgres"}"""
                .formatted("problems-" + UUID.randomUUID());
        assertThat(send(request(servers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(server))).statusCode()).isEqualTo(201);

        List<Map.Entry<String, HttpRequest.Builder>> cases = List.of(
                Map.entry("not-found", request("/api/v1/no-such-collection").GET()),
                Map.entry("not-found", request("/nowhere").GET()),
                Map.entry("server-not-found", request(servers + "/" + UUID.randomUUID()).GET()),
                Map.entry("invalid-request", request(servers + "/not-a-uuid").GET()),
                Map.entry("method-not-allowed", request(servers).PUT(HttpRequest.BodyPublishers.ofString("{}"))),
                Map.entry("unsupported-media-type", request(servers).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("name=x"))),
                Map.entry("not-acceptable", request(servers).header("Accept", "image/png").GET()),
                Map.entry("malformed-request", request(servers).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": "))),
                Map.entry("invalid-request", request(servers).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"postgresql\"}"))),
                Map.entry("server-name-taken", request(servers).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(server))),
                Map.entry("internal-error", request("/test/failure").GET()));

        for (Map.Entry<String, HttpRequest.Builder> c : cases) {
            HttpResponse<String> response = send(c.getValue());
            String expected = c.getKey();
            assertThat(response.headers().firstValue("Content-Type")).as(expected + ": " + response.body())
                    .hasValue("application/problem+json");
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.get("type").asString()).as(response.body()).isEqualTo(Problems.BASE + expected);
            assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
            assertThat(problem.get("title").asString()).isNotBlank();
            assertThat(response.body()).doesNotContain("hunter2", "Exception", "trace");
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
