package io.databasement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.databasement.gateway.RecordingService.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** A token over its rate gets 429 with Retry-After and RateLimit headers; another token is not slowed by it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "dbm.gateway.requests-per-minute=5")
class GatewayRateLimitIT {

    private static final RecordingService catalog = start();
    private static final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.register(registry);
        registry.add("dbm.gateway.catalog-url", catalog::baseUrl);
        registry.add("dbm.gateway.storage-url", catalog::baseUrl);
    }

    @AfterAll
    static void stop() {
        catalog.close();
    }

    @Test
    void theSixthRequestInAMinuteIs429AndOtherTokensAreNotAffected() throws Exception {
        catalog.answer(s -> Reply.json(200, "[]"));
        HttpResponse<String> created = http.send(GatewayTestSupport.asAdmin(gateway("/api/v1/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"busy\",\"role\":\"viewer\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String busy = JsonMapper.builder().build().readTree(created.body()).path("token").asString();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> ok = get(busy, "/api/v1/snapshots");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit-Limit")).contains("5");
            assertThat(ok.headers().firstValue("RateLimit-Remaining")).contains(Integer.toString(4 - i));
        }
        HttpResponse<String> limited = get(busy, "/api/v1/snapshots");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(limited.body()).contains("https://databasement.io/problems/rate-limited");
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 12L);
        assertThat(limited.headers().firstValue("RateLimit-Remaining")).contains("0");
        assertThat(limited.headers().firstValue("RateLimit-Policy")).contains("5;w=60");

        for (String path : java.util.List.of("/api/v1/servers", "/api/v1/volumes", "/api/v1/restores", "/api/v1/schedules",
                "/api/v1/snapshots/s1/download", "/api/v1/me", "/api/v1/events", "/api/v1/tokens", "/api/v1/audit")) {
            assertThat(get(busy, path).statusCode()).as(path).isEqualTo(429);
        }
        assertThat(catalog.seen()).as("nothing over the limit reached a service").hasSize(5);

        HttpResponse<String> other = get(GatewayTestSupport.ADMIN_TOKEN, "/api/v1/snapshots");
        assertThat(other.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String token, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(gateway(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI gateway(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static RecordingService start() {
        try {
            return new RecordingService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
