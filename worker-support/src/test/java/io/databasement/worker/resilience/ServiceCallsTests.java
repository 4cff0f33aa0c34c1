package io.databasement.worker.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a real local HTTP server: what is retried, what is not, the breaker, metrics, and interrupts. */
class ServiceCallsTests {

    /** Short waits so the tests run in about a second; the shape is the production one. */
    private static final CallPolicy FAST = new CallPolicy(20, Duration.ofMillis(20), Duration.ofMillis(100), 0.2, 50, 4, 2,
            Duration.ofMillis(300), 1);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void unavailableAnswersAreRetriedUntilTheServiceAnswersAndCountedAsRetried() throws Exception {
        start(0, 503, 503, 200);
        ServiceCalls calls = ServiceCalls.create("storage", FAST, meters);

        HttpResponse<byte[]> response = calls.send("download", () -> get("/thing"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(requests).hasValue(3);
        assertThat(retryCalls("successful_with_retry")).isEqualTo(1);
        assertThat(meters.get("dbm.storage.calls").tags("operation", "download", "outcome", "success").timer().count())
                .as("one call however many attempts it took").isEqualTo(1);
    }

    @Test
    void aBadRequestIsNeitherRetriedNorABreakerFailure() throws Exception {
        start(0, 400, 400, 400, 400, 400);
        ServiceCalls calls = ServiceCalls.create("storage", FAST, meters);

        for (int i = 0; i < 5; i++) {
            assertThat(calls.send("put_part", () -> get("/part")).statusCode()).isEqualTo(400);
        }
        assertThat(meters.get("dbm.storage.calls").tags("operation", "put_part", "outcome", "error").timer().count()).isEqualTo(5);

        assertThat(requests).hasValue(5);
        assertThat(calls.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(retryCalls("successful_without_retry")).isEqualTo(5);
    }

    @Test
    void whenEveryAttemptIsUnavailableTheLastAnswerIsTheFailure() throws Exception {
        start(0);
        answers.clear();
        for (int i = 0; i < 3; i++) {
            answers.add(503);
        }
        ServiceCalls calls = ServiceCalls.create("storage", new CallPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10), 0,
                100, 10, 10, Duration.ofSeconds(1), 1), meters);

        assertThatThrownBy(() -> calls.send(() -> get("/thing")))
                .isInstanceOfSatisfying(TransientAnswerException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(new String(e.body(), StandardCharsets.UTF_8)).contains("answer 503");
                });
        assertThat(requests).hasValue(3);
        assertThat(retryCalls("failed_with_retry")).isEqualTo(1);
    }

    @Test
    void refusedConnectionsOpenTheBreakerAndTheCallGoesThroughOnceTheServiceIsBack() throws Exception {
        int port = freePort();
        ServiceCalls calls = ServiceCalls.create("storage", FAST, meters);
        // a second caller fails fast on the open breaker, which is what new work that must not wait would get
        assertThatThrownBy(() -> calls.sendOnce(() -> get(port, "/x"))).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> calls.sendOnce(() -> get(port, "/x"))).isInstanceOf(ConnectException.class);
        assertThat(calls.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> calls.sendOnce(() -> get(port, "/x"))).isInstanceOf(CircuitOpenException.class)
                .hasMessageContaining("'storage' is open");

        Thread comesBack = new Thread(() -> {
            try {
                Thread.sleep(800);
                start(port, 200);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        comesBack.start();
        long started = System.nanoTime();
        HttpResponse<byte[]> response = calls.send(() -> get(port, "/x"));
        comesBack.join();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(700));
        assertThat(calls.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(meters.get("resilience4j.circuitbreaker.not.permitted.calls").tag("name", "storage").counter().count())
                .isGreaterThan(1);
        assertThat(retryCalls("successful_with_retry")).isEqualTo(1);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "storage").tag("state", "closed").gauge().value())
                .isEqualTo(1);
    }

    @Test
    void anInterruptDuringTheBackoffEndsTheCallAtOnce() throws Exception {
        start(0, 503, 503, 503);
        ServiceCalls calls = ServiceCalls.create("storage", new CallPolicy(5, Duration.ofSeconds(30), Duration.ofSeconds(30), 0,
                50, 10, 10, Duration.ofSeconds(30), 1), meters);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                calls.send(() -> get("/slow"));
            } catch (Throwable e) {
                outcome.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertThat(firstRequest.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        long interruptedAt = System.nanoTime();
        caller.interrupt();
        caller.join(5_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - interruptedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(flagAfter.get()).as("an InterruptedException clears the flag, as the JDK's do").isFalse();
        assertThat(requests).hasValue(1);
    }

    private double retryCalls(String kind) {
        return meters.get("resilience4j.retry.calls").tag("name", "storage").tag("kind", kind).functionCounter().count();
    }

    private void start(int port, int... statuses) throws IOException {
        for (int status : statuses) {
            answers.add(status);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            firstRequest.countDown();
            Integer status = answers.poll();
            byte[] body = ("answer " + (status == null ? 200 : status)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return get(server.getAddress().getPort(), path);
    }

    private HttpResponse<byte[]> get(int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
