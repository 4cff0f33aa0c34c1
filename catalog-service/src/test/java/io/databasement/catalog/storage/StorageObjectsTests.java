package io.databasement.catalog.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.databasement.catalog.CatalogProperties;
import io.databasement.catalog.web.CatalogException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
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
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

/** The catalog's storage calls against a real local HTTP server: retried, not retried, and the breaker failing fast. */
class StorageObjectsTests {

    private static final CatalogProperties.StorageCallPolicy FAST = new CatalogProperties.StorageCallPolicy(3,
            Duration.ofMillis(20), Duration.ofMillis(50), 0.5, 50, 4, 4, Duration.ofMillis(500), 1);

    private final Deque<Integer> answers = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile int otherwise = 200;
    private HttpServer server;
    private StorageCalls calls;
    private StorageObjects objects;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            Integer next = answers.poll();
            int status = next == null ? otherwise : next;
            boolean presign = exchange.getRequestURI().getPath().endsWith("/presign");
            byte[] body = (status != 200 ? "{\"detail\":\"answer " + status + "\"}"
                    : presign ? "{\"url\":\"https://s3.example/x?sig\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}" : "the file")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 && !presign ? "application/octet-stream" : "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        CatalogProperties properties = new CatalogProperties("k", "t", url,
                new CatalogProperties.Catalog(Duration.ofSeconds(60), 1, Duration.ofDays(7), 2, 3, Duration.ofSeconds(10), "", FAST));
        calls = new StorageCalls(properties, meters);
        objects = new StorageObjects(RestClient.builder().baseUrl(url.toString()).build(), calls, properties);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void storageRestartingIsRetriedAndCountedUnderStorage() {
        answers.addAll(List.of(503, 502));

        StorageObjects.PresignedUrl url = objects.presign(UUID.randomUUID(), "pg/shop/a.sql", Duration.ofMinutes(15), "a.sql")
                .orElseThrow();

        assertThat(url.url()).isEqualTo("https://s3.example/x?sig");
        assertThat(requests).hasValue(3);
        assertThat(meters.get("resilience4j.retry.calls").tag("name", "storage").tag("kind", "successful_with_retry")
                .functionCounter().count()).isEqualTo(1);
    }

    @Test
    void everyCallIsTimedOnceByOperationAndOutcomeWithHistogramBuckets() {
        objects.download(UUID.randomUUID(), "k/a.sql", null, (status, headers, body) -> body.transferTo(new ByteArrayOutputStream()));
        answers.add(404);
        assertThatThrownBy(() -> objects.presign(UUID.randomUUID(), "k/a.sql", Duration.ofMinutes(15), "a.sql"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
        otherwise = 503;
        assertThatThrownBy(() -> objects.presign(UUID.randomUUID(), "k/a.sql", Duration.ofMinutes(15), "a.sql"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.slug()).isEqualTo("storage-unavailable"));

        assertThat(meters.get("dbm.storage.calls").tag("operation", "presign").tag("outcome", "error").timer().count())
                .as("three attempts, one call").isEqualTo(1);
        assertThat(meters.get("dbm.storage.calls").tag("operation", "presign").tag("outcome", "success").timer().count())
                .as("a missing object is storage's answer, not its failure").isEqualTo(1);
        assertThat(meters.get("dbm.storage.calls").tag("operation", "download").tag("outcome", "success").timer().count())
                .isEqualTo(1);
        String scrape = meters.scrape();
        assertThat(scrape).contains("dbm_storage_calls_seconds_bucket{operation=\"presign\",outcome=\"error\",le=\"")
                .contains("dbm_storage_calls_seconds_count{operation=\"download\",outcome=\"success\"} 1")
                // 3 of the last 4 calls in the window failed: the breaker is open, and the scrape says so
                .contains("resilience4j_circuitbreaker_state{name=\"storage\",state=\"open\"} 1.0");
    }

    @Test
    void aRefusalIsNeitherRetriedNorABreakerFailure() {
        for (int i = 0; i < 5; i++) {
            answers.add(400);
            assertThatThrownBy(() -> objects.presign(UUID.randomUUID(), "pg/shop/a.sql", Duration.ofMinutes(15), "a.sql"))
                    .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_GATEWAY));
        }

        assertThat(requests).hasValue(5);
        assertThat(calls.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anOpenBreakerAnswers503AtOnceAndTheCallsGoThroughAgainAfterItHalfOpens() throws Exception {
        otherwise = 503;
        // 3 attempts each: the second call fills the window (4 failures of 4) and opens the breaker
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> objects.presign(UUID.randomUUID(), "k/a.sql", Duration.ofMinutes(15), "a.sql"))
                    .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.slug()).isEqualTo("storage-unavailable"));
        }
        assertThat(calls.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        int before = requests.get();

        long started = System.nanoTime();
        assertThatThrownBy(() -> objects.presign(UUID.randomUUID(), "k/a.sql", Duration.ofMinutes(15), "a.sql"))
                .isInstanceOfSatisfying(CatalogException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.slug()).isEqualTo("storage-unavailable");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(200));
        assertThat(requests).as("an open breaker calls nobody").hasValue(before);

        otherwise = 200;
        Thread.sleep(600);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        objects.download(UUID.randomUUID(), "k/a.sql", null, (status, headers, body) -> body.transferTo(got));

        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("the file");
        assertThat(calls.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aDownloadIsOpenedAgainWhileStorageSaysLaterAndStreamedOnce() {
        answers.add(504);
        List<Integer> statuses = new java.util.ArrayList<>();

        objects.download(UUID.randomUUID(), "k/a.sql", "bytes=0-", (status, headers, body) -> {
            statuses.add(status);
            body.transferTo(java.io.OutputStream.nullOutputStream());
        });

        assertThat(statuses).containsExactly(200);
        assertThat(requests).hasValue(2);
    }
}
