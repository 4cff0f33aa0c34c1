package io.databasement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.databasement.gateway.RecordingService.Reply;
import io.databasement.gateway.RecordingService.Seen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dbm.gateway.response-timeout=1s")
class GatewayRoutingIT {

    private static final RecordingService catalog = start();
    private static final RecordingService storage = start();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void downstreams(DynamicPropertyRegistry registry) {
        GatewayTestSupport.register(registry);
        registry.add("dbm.gateway.catalog-url", catalog::baseUrl);
        registry.add("dbm.gateway.storage-url", storage::baseUrl);
    }

    @BeforeEach
    void forgetEarlierRequests() {
        catalog.seen().clear();
        storage.seen().clear();
        catalog.answer(s -> Reply.json(200, "{}"));
        storage.answer(s -> Reply.json(200, "{}"));
    }

    @AfterAll
    static void stop() {
        catalog.close();
        storage.close();
    }

    @Test
    void serverListReachesTheCatalogWithItsQueryStringAndTheAnswerComesBackWhole() throws Exception {
        catalog.answer(s -> new Reply(200, Map.of("Content-Type", "application/json", "X-Total-Count", "42"),
                "[{\"id\":\"srv-1\",\"name\":\"prod db\"}]"));

        HttpResponse<String> response = get("/api/v1/servers?page=1&size=5&name=prod%20db");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[{\"id\":\"srv-1\",\"name\":\"prod db\"}]");
        assertThat(response.headers().firstValue("X-Total-Count")).contains("42");
        Seen forwarded = next(catalog);
        assertThat(forwarded.method()).isEqualTo("GET");
        assertThat(forwarded.pathAndQuery()).isEqualTo("/api/v1/servers?page=1&size=5&name=prod%20db");
        assertThat(storage.seen()).isEmpty();
    }

    @Test
    void snapshotRequestIsForwardedWithItsBodyAndThe202LocationPointsAtTheGateway() throws Exception {
        String downstreamLocation = catalog.baseUrl() + "/api/v1/snapshots/3f2a";
        catalog.answer(s -> new Reply(202, Map.of("Content-Type", "application/json", "Location", downstreamLocation),
                "{\"id\":\"3f2a\",\"status\":\"PENDING\"}"));
        String body = "{\"serverId\":\"srv-1\",\"database\":\"shop\",\"volumeId\":\"vol-1\"}";

        HttpResponse<String> response = http.send(GatewayTestSupport.asAdmin(gateway("/api/v1/snapshots"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "req-7")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"id\":\"3f2a\",\"status\":\"PENDING\"}");
        assertThat(response.headers().firstValue("Location")).contains("http://127.0.0.1:" + port + "/api/v1/snapshots/3f2a");
        Seen forwarded = next(catalog);
        assertThat(forwarded.method()).isEqualTo("POST");
        assertThat(forwarded.pathAndQuery()).isEqualTo("/api/v1/snapshots");
        assertThat(forwarded.body()).isEqualTo(body);
        assertThat(RecordingService.header(forwarded.headers(), "Content-Type")).containsExactly("application/json");
        assertThat(RecordingService.header(forwarded.headers(), "X-Request-Id")).containsExactly("req-7");
    }

    @Test
    void relativeAndForeignLocationsAreLeftAsTheServiceSentThem() throws Exception {
        String presigned = "http://127.0.0.1:9000/databasement/srv/db/file.sql.zst?X-Amz-Signature=abc";
        catalog.answer(s -> s.pathAndQuery().endsWith("/download")
                ? new Reply(302, Map.of("Location", presigned), "")
                : new Reply(201, Map.of("Location", "/api/v1/servers/srv-2"), ""));

        assertThat(post("/api/v1/servers", "{}").headers().firstValue("Location")).contains("/api/v1/servers/srv-2");
        assertThat(get("/api/v1/snapshots/3f2a/download").headers().firstValue("Location")).contains(presigned);
    }

    @Test
    void aDownloadPassesItsRangeAndHeadersAndMayTakeLongerThanTheResponseTimeout() throws Exception {
        catalog.answer(s -> {
            sleep(1500); // beyond this test's 1 s response timeout, which downloads do not have
            return new Reply(206, Map.of("Content-Type", "application/zstd", "Content-Range", "bytes 2-5/10",
                    "Accept-Ranges", "bytes", "Content-Disposition", "attachment; filename=\"srv-shop-1.sql.zst\"",
                    "Repr-Digest", "sha-256=:AAAA:"), "2345");
        });

        HttpResponse<String> response = http.send(GatewayTestSupport.asAdmin(URI.create("http://127.0.0.1:" + port
                + "/api/v1/snapshots/3f2a/download")).header("Range", "bytes=2-5").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo("2345");
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes 2-5/10");
        assertThat(response.headers().firstValue("Repr-Digest")).contains("sha-256=:AAAA:");
        assertThat(response.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"srv-shop-1.sql.zst\"");
        assertThat(RecordingService.header(next(catalog).headers(), "Range")).containsExactly("bytes=2-5");
    }

    @Test
    void deletingLockingAndAskingForADownloadUrlReachTheCatalog() throws Exception {
        catalog.answer(s -> Reply.json(s.method().equals("DELETE") ? 202 : 200, "{\"id\":\"3f2a\"}"));

        HttpResponse<String> deleted = http.send(GatewayTestSupport.asAdmin(URI.create("http://127.0.0.1:" + port
                + "/api/v1/snapshots/3f2a")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(202);
        assertThat(next(catalog).method()).isEqualTo("DELETE");
        assertThat(post("/api/v1/snapshots/3f2a/lock", "").statusCode()).isEqualTo(200);
        assertThat(next(catalog).pathAndQuery()).isEqualTo("/api/v1/snapshots/3f2a/lock");
        assertThat(get("/api/v1/snapshots/3f2a/download-url").statusCode()).isEqualTo(200);
        assertThat(next(catalog).pathAndQuery()).isEqualTo("/api/v1/snapshots/3f2a/download-url");
    }

    @Test
    void volumesGoToTheStorageService() throws Exception {
        storage.answer(s -> Reply.json(200, "{\"id\":\"vol-1\",\"type\":\"s3\"}"));

        HttpResponse<String> list = get("/api/v1/volumes");
        HttpResponse<String> one = get("/api/v1/volumes/vol-1?verbose=true");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(one.body()).isEqualTo("{\"id\":\"vol-1\",\"type\":\"s3\"}");
        assertThat(next(storage).pathAndQuery()).isEqualTo("/api/v1/volumes");
        assertThat(next(storage).pathAndQuery()).isEqualTo("/api/v1/volumes/vol-1?verbose=true");
        assertThat(catalog.seen()).isEmpty();
    }

    @Test
    void restoresGoToTheCatalog() throws Exception {
        catalog.answer(c -> Reply.json(202, "{\"id\":\"r-1\",\"status\":\"PENDING\"}"));

        HttpResponse<String> accepted = post("/api/v1/restores", "{}");
        HttpResponse<String> one = get("/api/v1/restores/r-1");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(one.body()).isEqualTo("{\"id\":\"r-1\",\"status\":\"PENDING\"}");
        assertThat(next(catalog).pathAndQuery()).isEqualTo("/api/v1/restores");
        assertThat(next(catalog).pathAndQuery()).isEqualTo("/api/v1/restores/r-1");
        assertThat(storage.seen()).isEmpty();
    }

    @Test
    void aServiceErrorReachesTheClientUnchanged() throws Exception {
        String problem = "{\"type\":\"https://databasement.io/problems/server-not-found\",\"title\":\"Server not found\",\"status\":404}";
        catalog.answer(s -> new Reply(404, Map.of("Content-Type", "application/problem+json"), problem));

        HttpResponse<String> response = http.send(GatewayTestSupport.asAdmin(gateway("/api/v1/servers/nope"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body()).isEqualTo(problem);
        assertThat(next(catalog).method()).isEqualTo("DELETE");
    }

    @Test
    void internalApisAreNeverRouted() throws Exception {
        HttpResponse<String> direct = post("/internal/jobs/j1/attempts/a1", "");
        HttpResponse<String> dotted = get("/api/v1/servers/../../internal/jobs/j1");
        HttpResponse<String> encoded = get("/api/v1/servers/%2e%2e/%2E%2E/internal/jobs/j1");
        HttpResponse<String> withParameters = get("/api/v1/servers/..;/..;/internal/jobs/j1");

        assertProblem(direct, 404, "not-found");
        assertProblem(dotted, 400, "invalid-path");
        assertProblem(encoded, 400, "invalid-path");
        assertProblem(withParameters, 400, "invalid-path");
        Thread.sleep(200);
        assertThat(catalog.seen()).isEmpty();
        assertThat(storage.seen()).isEmpty();
    }

    @Test
    void anUnknownPathIsA404ProblemNotAnHtmlPage() throws Exception {
        HttpResponse<String> response = get("/api/v2/servers");

        assertProblem(response, 404, "not-found");
        assertThat(response.body()).contains("\"instance\":\"/api/v2/servers\"");
    }

    @Test
    void aServiceThatDoesNotAnswerInTimeIsA504Problem() throws Exception {
        catalog.answer(s -> {
            sleep(2_500);
            return Reply.json(200, "{}");
        });

        long start = System.nanoTime();
        HttpResponse<String> response = get("/api/v1/snapshots?status=RUNNING");

        assertProblem(response, 504, "gateway-timeout");
        assertThat(response.body()).contains("\"title\":\"catalog-service did not answer in time\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_400));
    }

    @Test
    void healthAndPrometheusMetricsAreServedByTheGatewayItself() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        get("/api/v1/servers");
        HttpResponse<String> metrics = get("/actuator/prometheus");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("application=\"gateway\"").contains("http_server_requests");
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.body())
                .contains("\"type\":\"https://databasement.io/problems/" + slug + "\"")
                .contains("\"status\":" + status)
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    private URI gateway(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(GatewayTestSupport.asAdmin(gateway(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return http.send(GatewayTestSupport.asAdmin(gateway(pathAndQuery)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Seen next(RecordingService service) throws InterruptedException {
        Seen seen = service.seen().poll(5, TimeUnit.SECONDS);
        assertThat(seen).as("a forwarded request").isNotNull();
        return seen;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RecordingService start() {
        try {
            return new RecordingService();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
