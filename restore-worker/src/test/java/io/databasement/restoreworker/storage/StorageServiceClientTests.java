package io.databasement.restoreworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.databasement.worker.http.InternalHttp;
import io.databasement.worker.resilience.CallPolicy;
import io.databasement.worker.resilience.ServiceCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StorageServiceClientTests {

    private static final CallPolicy FAST = new CallPolicy(5, Duration.ofMillis(20), Duration.ofMillis(50), 0.2, 50, 10, 5,
            Duration.ofSeconds(1), 1);

    private final Deque<Integer> answers = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HttpServer server;
    private StorageServiceClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Integer status = answers.poll();
            int answer = status == null ? 200 : status;
            byte[] body = (answer == 200 ? "-- the dump\n" : "{\"type\":\"https://databasement.io/problems/x\",\"detail\":\"answer "
                    + answer + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = new StorageServiceClient(new InternalHttp(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "t",
                JsonMapper.builder().build()), ServiceCalls.create("storage", FAST, meters));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void objectKeysKeepTheirFoldersAndHaveEverythingElseEncoded() {
        assertThat(StorageServiceClient.encodePath("pg local/shop ü?#%/pg local-shop-2026.sql.zst"))
                .isEqualTo("pg%20local/shop%20%C3%BC%3F%23%25/pg%20local-shop-2026.sql.zst");
    }

    @Test
    void aRestoreStartingWhileStorageRestartsWaitsForItAndReadsTheWholeArtifact() throws Exception {
        answers.addAll(List.of(503, 502));

        try (InputStream in = client.open(UUID.randomUUID(), "pg/shop/a.sql")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("-- the dump\n");
        }
        assertThat(requests).hasValue(3);
        assertThat(meters.get("resilience4j.retry.calls").tag("name", "storage").tag("kind", "successful_with_retry")
                .functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aMissingArtifactIsReportedAtOnceWithoutRetrying() {
        answers.add(404);

        assertThatThrownBy(() -> client.open(UUID.randomUUID(), "pg/shop/gone.sql"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is not in its volume")
                .hasMessageContaining("answer 404");
        assertThat(requests).hasValue(1);
    }

    @Test
    void storageStillUnavailableAfterEveryAttemptGivesItsLastAnswer() {
        answers.addAll(List.of(503, 503, 503, 503, 503));

        assertThatThrownBy(() -> client.open(UUID.randomUUID(), "pg/shop/a.sql"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("answer 503");
        assertThat(requests).hasValue(5);
    }
}
