package io.databasement.gateway;

import static io.databasement.gateway.GatewayRoutingIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Nothing listens at the services' addresses: the client learns which service is down, quickly. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayDownstreamDownIT {

    private static final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void deadDownstreams(DynamicPropertyRegistry registry) throws IOException {
        GatewayTestSupport.register(registry);
        String catalog = "http://127.0.0.1:" + closedPort();
        String storage = "http://127.0.0.1:" + closedPort();
        registry.add("dbm.gateway.catalog-url", () -> catalog);
        registry.add("dbm.gateway.storage-url", () -> storage);
    }

    @Test
    void catalogDownIsA503ProblemNamingTheCatalog() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = send(GatewayTestSupport.asAdmin(gateway("/api/v1/snapshots?status=FAILED")).GET());

        assertProblem(response, 503, "service-unavailable");
        assertThat(response.body()).contains("\"title\":\"catalog-service unavailable\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void storageDownIsA503ProblemNamingTheStorageService() throws Exception {
        HttpResponse<String> response = send(GatewayTestSupport.asAdmin(gateway("/api/v1/volumes"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"local\",\"type\":\"local\",\"path\":\"/tmp/x\"}")));

        assertProblem(response, 503, "service-unavailable");
        assertThat(response.body()).contains("\"title\":\"storage-service unavailable\"");
    }

    @Test
    void aServiceThatKeepsFailingOpensItsCircuitAndIsAnswered503WithoutBeingCalled() throws Exception {
        String detail = "";
        for (int i = 0; i < 30 && !detail.contains("failed repeatedly"); i++) {
            HttpResponse<String> response = send(GatewayTestSupport.asAdmin(gateway("/api/v1/restores")).DELETE());
            assertProblem(response, 503, "service-unavailable");
            assertThat(response.body()).contains("\"title\":\"catalog-service unavailable\"");
            detail = response.body();
        }
        assertThat(detail).as("after repeated connection failures the breaker answers by itself")
                .contains("failed repeatedly");
    }

    @Test
    void theGatewayStaysHealthyWhileAServiceIsDown() throws Exception {
        HttpResponse<String> health = send(GatewayTestSupport.asAdmin(gateway("/actuator/health")).GET());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    private URI gateway(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A port that nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
