package io.databasement.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.databasement.gateway.RecordingService.Reply;
import io.databasement.gateway.RecordingService.Seen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The door of the public API against the real gateway, its real database (PostgreSQL), and recording
 * HTTP servers in place of catalog-service and storage-service: every route class refuses anonymous,
 * revoked and too-low callers, the limits answer 413/429, and each mutation lands in the audit trail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dbm.gateway.max-body-size=1KB", "dbm.gateway.service-token=the-internal-service-token"})
class GatewaySecurityIT {

    private static final RecordingService catalog = start();
    private static final RecordingService storage = start();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestSupport.register(registry);
        registry.add("dbm.gateway.catalog-url", catalog::baseUrl);
        registry.add("dbm.gateway.storage-url", storage::baseUrl);
    }

    @BeforeEach
    void forget() {
        for (RecordingService service : List.of(catalog, storage)) {
            service.seen().clear();
            service.answer(s -> Reply.json(200, "{}"));
        }
    }

    @AfterAll
    static void stop() {
        catalog.close();
        storage.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /api/v1/servers", "POST, /api/v1/servers", "GET, /api/v1/volumes", "DELETE, /api/v1/volumes/v1",
            "GET, /api/v1/snapshots", "POST, /api/v1/snapshots", "GET, /api/v1/snapshots/s1/download",
            "POST, /api/v1/restores", "GET, /api/v1/schedules", "GET, /api/v1/tokens", "GET, /api/v1/audit",
            "GET, /api/v1/me", "GET, /api/v1/events", "GET, /api/v1/nothing-here"})
    void withoutATokenEveryRouteIs401WithAProblemAndNothingReachesAService(String method, String path) throws Exception {
        HttpResponse<String> response = send(method, path, null, "{}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer"));
        assertThat(problem(response).path("type").asString()).isEqualTo("https://databasement.io/problems/unauthorized");
        assertThat(catalog.seen()).isEmpty();
        assertThat(storage.seen()).isEmpty();
    }

    @Test
    void aWrongSchemeAGuessedTokenAndTheServiceTokenAreAll401() throws Exception {
        assertThat(sendWith("Basic YWRtaW46YWRtaW4=", "GET", "/api/v1/servers").statusCode()).isEqualTo(401);
        assertThat(sendWith("Bearer dbm_" + "A".repeat(43), "GET", "/api/v1/servers").statusCode()).isEqualTo(401);
        HttpResponse<String> service = sendWith("Bearer the-internal-service-token", "GET", "/api/v1/servers");
        assertThat(service.statusCode()).isEqualTo(401);
        assertThat(problem(service).path("detail").asString()).contains("service token is not accepted");
        assertThat(catalog.seen()).isEmpty();
        assertThat(storage.seen()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
            "POST, /api/v1/servers, admin", "DELETE, /api/v1/servers/a1, admin", "POST, /api/v1/volumes, admin",
            "POST, /api/v1/servers/a1/test, admin",
            "POST, /api/v1/snapshots, operator", "DELETE, /api/v1/snapshots/s1, operator",
            "POST, /api/v1/restores, operator", "POST, /api/v1/schedules, operator",
            "GET, /api/v1/tokens, admin", "POST, /api/v1/tokens, admin", "GET, /api/v1/audit, admin"})
    void aRoleTooLowIs403AndTheCallIsNotForwarded(String method, String path, String needed) throws Exception {
        String viewer = createToken("viewer-" + UUID.randomUUID(), "viewer");
        HttpResponse<String> response = sendWith("Bearer " + viewer, method, path, "{}");

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode problem = problem(response);
        assertThat(problem.path("type").asString()).isEqualTo("https://databasement.io/problems/forbidden");
        assertThat(problem.path("detail").asString()).contains("needs the " + needed + " role");
        assertThat(catalog.seen()).isEmpty();
        assertThat(storage.seen()).isEmpty();
        if (needed.equals("operator")) {
            String operator = createToken("operator-" + UUID.randomUUID(), "operator");
            assertThat(sendWith("Bearer " + operator, method, path, "{}").statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "viewer may {0} {1}")
    @CsvSource({"GET, /api/v1/servers", "GET, /api/v1/volumes", "GET, /api/v1/snapshots?status=COMPLETED",
            "GET, /api/v1/restores", "GET, /api/v1/schedules/x/retention-preview"})
    void aViewerReadsAndTheServiceLearnsWhoAskedButNeverSeesTheToken(String method, String path) throws Exception {
        String name = "reader " + UUID.randomUUID();
        String viewer = createToken(name, "viewer");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway(path))
                .header("Authorization", "Bearer " + viewer).header("X-Requested-By", "someone-else")
                .header("X-Correlation-Id", "corr-42").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Correlation-Id")).contains("corr-42");
        assertThat(response.headers().firstValue("RateLimit-Limit")).contains("300");
        Seen seen = (path.startsWith("/api/v1/volumes") ? storage : catalog).seen().poll(5, TimeUnit.SECONDS);
        assertThat(seen).as("the forwarded request").isNotNull();
        assertThat(seen.pathAndQuery()).isEqualTo(path);
        assertThat(RecordingService.header(seen.headers(), "X-Requested-By")).containsExactly(name);
        assertThat(RecordingService.header(seen.headers(), "X-Correlation-Id")).containsExactly("corr-42");
        assertThat(RecordingService.header(seen.headers(), "Authorization")).isEmpty();
    }

    @Test
    void aRevokedTokenIs401AtOnceAndTheTokenListNeverShowsSecrets() throws Exception {
        HttpResponse<String> created = sendWith(admin(), "POST", "/api/v1/tokens",
                "{\"name\":\"ci-nightly\",\"role\":\"operator\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode token = json.readTree(created.body());
        String secret = token.path("token").asString();
        assertThat(secret).startsWith("dbm_").hasSize(47);
        assertThat(sendWith("Bearer " + secret, "GET", "/api/v1/me").body()).contains("\"role\":\"operator\"");

        HttpResponse<String> list = sendWith(admin(), "GET", "/api/v1/tokens");
        assertThat(list.body()).contains("ci-nightly").doesNotContain(secret);
        try (Connection c = GatewayTestSupport.connect(); Statement s = c.createStatement();
             var rows = s.executeQuery("select count(*) from api_tokens where token_hash::text like '%"
                     + secret.substring(4, 14) + "%' or prefix = '" + secret + "'")) {
            rows.next();
            assertThat(rows.getInt(1)).as("the secret is stored only as a hash").isZero();
        }

        assertThat(sendWith(admin(), "DELETE", "/api/v1/tokens/" + token.path("id").asString()).statusCode()).isEqualTo(204);
        HttpResponse<String> refused = sendWith("Bearer " + secret, "GET", "/api/v1/snapshots");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(problem(refused).path("detail").asString()).contains("expired or revoked");
        assertThat(catalog.seen()).isEmpty();
        assertThat(storage.seen()).isEmpty();
    }

    @Test
    void anExpiredTokenIs401AndBadTokenRequestsAre400Or409() throws Exception {
        assertThat(sendWith(admin(), "POST", "/api/v1/tokens", "{\"name\":\"x\",\"role\":\"root\"}").statusCode()).isEqualTo(400);
        assertThat(sendWith(admin(), "POST", "/api/v1/tokens", "{\"role\":\"viewer\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> unreadable = sendWith(admin(), "POST", "/api/v1/tokens", "{\"name\": [}");
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(problem(unreadable).path("type").asString()).isEqualTo("https://databasement.io/problems/invalid-request");
        HttpResponse<String> badLimit = sendWith(admin(), "GET", "/api/v1/audit?limit=lots");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(problem(badLimit).path("type").asString()).isEqualTo("https://databasement.io/problems/invalid-request");
        for (String name : List.of("r\u00e9sum\u00e9", "line\\nbreak", "x".repeat(101), "quote\\\"s")) {
            assertThat(sendWith(admin(), "POST", "/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"viewer\"}")
                    .statusCode()).as(name).isEqualTo(400);
        }
        assertThat(sendWith(admin(), "POST", "/api/v1/tokens",
                "{\"name\":\"x\",\"role\":\"viewer\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}").statusCode()).isEqualTo(400);
        String name = "dup-" + UUID.randomUUID();
        createToken(name, "viewer");
        assertThat(sendWith(admin(), "POST", "/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"viewer\"}")
                .statusCode()).isEqualTo(409);

        String soon = createToken("short-lived-" + UUID.randomUUID(), "viewer");
        try (Connection c = GatewayTestSupport.connect(); Statement s = c.createStatement()) {
            s.execute("update api_tokens set expires_at = now() - interval '1 second' where prefix = '"
                    + soon.substring(0, 10) + "'");
        }
        // a fresh secret was never looked up, so no cache hides the expiry
        assertThat(sendWith("Bearer " + soon, "GET", "/api/v1/servers").statusCode()).isEqualTo(401);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"POST, /api/v1/servers", "PUT, /api/v1/servers/a1", "POST, /api/v1/volumes", "POST, /api/v1/snapshots",
            "POST, /api/v1/restores", "POST, /api/v1/schedules", "PUT, /api/v1/schedules/s1", "POST, /api/v1/tokens",
            "POST, /api/v1/snapshots/s1/verify"})
    void anOversizedBodyIs413OnEveryRouteClassAndNothingIsForwarded(String method, String path) throws Exception {
        HttpResponse<String> response = sendWith(admin(), method, path, "[\"" + "x".repeat(1100) + "\"]");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(problem(response).path("type").asString()).isEqualTo("https://databasement.io/problems/payload-too-large");
        assertThat(catalog.seen()).isEmpty();
        assertThat(storage.seen()).isEmpty();
    }

    @Test
    void anOversizedBodyIs413WithOrWithoutAContentLength() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(2000) + "\"}";
        HttpResponse<String> declared = sendWith(admin(), "POST", "/api/v1/servers", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(problem(declared).path("type").asString()).isEqualTo("https://databasement.io/problems/payload-too-large");

        HttpResponse<String> chunked = http.send(GatewayTestSupport.asAdmin(gateway("/api/v1/servers"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
    }

    @Test
    void everyMutationIsAuditedWithWhoWhatOutcomeAndCorrelationIdAndOnlyAdminsReadTheTrail() throws Exception {
        String name = "ops-" + UUID.randomUUID();
        String operator = createToken(name, "operator");
        catalog.answer(s -> new Reply(202, java.util.Map.of("Content-Type", "application/json",
                "Location", catalog.baseUrl() + "/api/v1/snapshots/snap-1"), "{\"id\":\"snap-1\"}"));
        http.send(HttpRequest.newBuilder(gateway("/api/v1/snapshots")).header("Authorization", "Bearer " + operator)
                .header("Content-Type", "application/json").header("X-Correlation-Id", "audit-corr-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        sendWith("Bearer " + operator, "DELETE", "/api/v1/servers/srv-9");   // refused: needs admin
        sendWith("Bearer " + operator, "GET", "/api/v1/snapshots");          // a read: not audited

        JsonNode trail = json.readTree(sendWith(admin(), "GET", "/api/v1/audit?actor=" + name).body());
        assertThat(trail).hasSize(2);
        JsonNode refused = trail.get(0);
        assertThat(refused.path("action").asString()).isEqualTo("DELETE /api/v1/servers/srv-9");
        assertThat(refused.path("outcome").asString()).isEqualTo("refused");
        assertThat(refused.path("status").asInt()).isEqualTo(403);
        assertThat(refused.path("actorRole").asString()).isEqualTo("operator");
        JsonNode taken = trail.get(1);
        assertThat(taken.path("action").asString()).isEqualTo("POST /api/v1/snapshots");
        assertThat(taken.path("target").asString()).isEqualTo("/api/v1/snapshots/snap-1");
        assertThat(taken.path("outcome").asString()).isEqualTo("succeeded");
        assertThat(taken.path("status").asInt()).isEqualTo(202);
        assertThat(taken.path("channel").asString()).isEqualTo("rest");
        assertThat(taken.path("correlationId").asString()).isEqualTo("audit-corr-1");
        assertThat(taken.path("at").asString()).isNotBlank();

        assertThat(sendWith("Bearer " + operator, "GET", "/api/v1/audit").statusCode()).isEqualTo(403);
        try (Connection c = GatewayTestSupport.connect(); Statement s = c.createStatement()) {
            s.execute("delete from audit_entries");
            throw new AssertionError("the audit trail let a row be deleted");
        } catch (SQLException expected) {
            assertThat(expected.getMessage()).contains("append-only");
        }
    }

    @Test
    void aMutationWhileTheAuditTableIsAwayIsRecordedOnceItIsBack() throws Exception {
        String name = "outage-" + UUID.randomUUID();
        String operator = createToken(name, "operator");
        try (Connection c = GatewayTestSupport.connect(); Statement s = c.createStatement()) {
            s.execute("alter table audit_entries rename to audit_entries_away");
        }
        try {
            assertThat(sendWith("Bearer " + operator, "POST", "/api/v1/snapshots", "{}").statusCode()).isEqualTo(200);
        } finally {
            try (Connection c = GatewayTestSupport.connect(); Statement s = c.createStatement()) {
                s.execute("alter table audit_entries_away rename to audit_entries");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode trail;
        do {
            Thread.sleep(250);
            trail = json.readTree(sendWith(admin(), "GET", "/api/v1/audit?actor=" + name).body());
        } while (trail.isEmpty() && System.nanoTime() < deadline);
        assertThat(trail).hasSize(1);
        assertThat(trail.get(0).path("action").asString()).isEqualTo("POST /api/v1/snapshots");
    }

    @Test
    void aGetIsRetriedOnA503AndAPostNeverIs() throws Exception {
        storage.answer(s -> Reply.json(503, "{\"title\":\"storage busy\"}"));
        HttpResponse<String> read = sendWith(admin(), "GET", "/api/v1/volumes");
        assertThat(read.statusCode()).as("the service's own 503 reaches the client after the retries").isEqualTo(503);
        assertThat(read.body()).contains("storage busy");
        assertThat(storage.seen()).hasSize(3);

        storage.seen().clear();
        assertThat(sendWith(admin(), "POST", "/api/v1/volumes", "{}").statusCode()).isEqualTo(503);
        assertThat(storage.seen()).hasSize(1);
    }

    private static RecordingService start() {
        try {
            return new RecordingService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String createToken(String name, String role) throws IOException, InterruptedException {
        HttpResponse<String> created = sendWith(admin(), "POST", "/api/v1/tokens",
                json.writeValueAsString(java.util.Map.of("name", name, "role", role)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body()).path("token").asString();
    }

    private static String admin() {
        return "Bearer " + GatewayTestSupport.ADMIN_TOKEN;
    }

    private HttpResponse<String> sendWith(String authorization, String method, String path) throws IOException, InterruptedException {
        return sendWith(authorization, method, path, null);
    }

    private HttpResponse<String> sendWith(String authorization, String method, String path, String body)
            throws IOException, InterruptedException {
        return send(method, path, authorization, body);
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        boolean hasBody = body != null && !method.equals("GET") && !method.equals("DELETE");
        if (hasBody) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, hasBody ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode problem(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    private URI gateway(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
