package io.databasement.catalog.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.server.ServerService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook deliveries against a real local HTTP server that fails on purpose. Deliveries are due in 2036 (the
 * test's clock), so the application's own dispatcher, on the real clock, leaves them alone.
 */
class WebhookDeliveryTests extends CatalogTestSupport {

    static final Instant T0 = Instant.parse("2036-02-01T00:00:00Z");

    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ServerService servers;
    @Autowired
    ScheduleStore store;
    @Autowired
    WebhookOutbox outbox;

    final MutableClock clock = new MutableClock(T0);
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    HttpServer receiver;
    WebhookDispatcher dispatcher;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    /** Answers 500 to the first {@code failures} requests, then {@code 204}; each request waits {@code delay}. */
    String receiver(int failures, Duration delay) throws IOException {
        AtomicInteger seen = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(seen.incrementAndGet() <= failures ? 500 : 204, -1);
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?token=s3cret";
    }

    WebhookDispatcher dispatcher(int maxAttempts, Duration readTimeout) {
        ScheduleProperties properties = new ScheduleProperties(false, Duration.ofSeconds(5), Duration.ofSeconds(30),
                "0 30 3 * * *", 30, new ScheduleProperties.Webhooks(Duration.ofSeconds(2), Duration.ofSeconds(2),
                readTimeout, maxAttempts, Duration.ofSeconds(10), 2));
        dispatcher = new WebhookDispatcher(jdbc, tx, properties, clock);
        return dispatcher;
    }

    UUID enqueue(String url) {
        Schedule schedule = ScheduleFixtures.schedule(ScheduleFixtures.server(servers), knownVolume().id(), List.of("shop"),
                "0 0 2 * * *", T0, null, null, false, url);
        store.insert(schedule);
        tx.executeWithoutResult(status -> outbox.enqueue(schedule, "io.databasement.schedule.missed.v1",
                Map.of("scheduleId", schedule.id(), "scheduleName", schedule.name()), clock.instant()));
        return jdbc.sql("select id from webhook_deliveries where schedule_id = ?").param(schedule.id()).query(UUID.class).single();
    }

    Map<String, Object> row(UUID id) {
        return jdbc.sql("select status, attempts, last_error, next_attempt_at from webhook_deliveries where id = ?")
                .param(id).query().singleRow();
    }

    /** Waits for the pool to record the attempt. */
    void awaitAttempts(UUID id, int attempts) throws InterruptedException {
        for (int i = 0; i < 200 && ((Number) row(id).get("attempts")).intValue() < attempts; i++) {
            Thread.sleep(50);
        }
        assertThat(((Number) row(id).get("attempts")).intValue()).isEqualTo(attempts);
    }

    @Test
    void aFailingReceiverIsRetriedWithDoublingBackoffUntilItAccepts() throws Exception {
        String url = receiver(2, Duration.ZERO);
        UUID id = enqueue(url);
        WebhookDispatcher d = dispatcher(8, Duration.ofSeconds(5));

        assertThat(d.dispatchDue()).isGreaterThanOrEqualTo(1);
        awaitAttempts(id, 1);
        assertThat(row(id).get("status")).isEqualTo("PENDING");
        assertThat(row(id).get("last_error")).isEqualTo("HTTP 500");
        assertThat(((java.sql.Timestamp) row(id).get("next_attempt_at")).toInstant()).isEqualTo(T0.plusSeconds(10));

        // not due before the backoff has passed
        clock.set(T0.plusSeconds(9));
        assertThat(d.claim()).extracting(WebhookDispatcher.Delivery::id).doesNotContain(id);
        clock.set(T0.plusSeconds(10));
        d.dispatchDue();
        awaitAttempts(id, 2);
        assertThat(((java.sql.Timestamp) row(id).get("next_attempt_at")).toInstant()).as("doubled")
                .isEqualTo(T0.plusSeconds(30));

        clock.set(T0.plusSeconds(30));
        d.dispatchDue();
        for (int i = 0; i < 200 && !"DELIVERED".equals(row(id).get("status")); i++) {
            Thread.sleep(50);
        }
        assertThat(row(id).get("status")).isEqualTo("DELIVERED");
        assertThat(row(id).get("attempts")).isEqualTo(3);

        assertThat(bodies).hasSize(3).containsOnly(bodies.get(0));
        assertThat(contentTypes).allMatch(t -> t.startsWith("application/cloudevents+json"));
        var event = json.readTree(bodies.get(0));
        assertThat(event.get("specversion").asString()).isEqualTo("1.0");
        assertThat(event.get("type").asString()).isEqualTo("io.databasement.schedule.missed.v1");
        assertThat(event.get("time").asString()).isEqualTo(T0.toString());
        assertThat(event.get("data").get("scheduleName").asString()).startsWith("sched-");

        // delivered: never sent again, and forgotten once older than the retention
        clock.set(T0.plus(Duration.ofDays(1)));
        assertThat(d.claim()).extracting(WebhookDispatcher.Delivery::id).doesNotContain(id);
        d.purge(T0);
        assertThat(jdbc.sql("select count(*) from webhook_deliveries where id = ?").param(id).query(Long.class).single()).isOne();
        d.purge(T0.plusSeconds(1));
        assertThat(jdbc.sql("select count(*) from webhook_deliveries where id = ?").param(id).query(Long.class).single()).isZero();
    }

    @Test
    void aReceiverThatNeverAcceptsIsGivenUpAfterTheLastAttempt() throws Exception {
        String url = receiver(Integer.MAX_VALUE, Duration.ZERO);
        UUID id = enqueue(url);
        WebhookDispatcher d = dispatcher(3, Duration.ofSeconds(5));

        for (int attempt = 1; attempt <= 3; attempt++) {
            d.dispatchDue();
            awaitAttempts(id, attempt);
            clock.advance(Duration.ofMinutes(10));
        }

        assertThat(row(id).get("status")).isEqualTo("FAILED");
        assertThat(row(id).get("last_error")).isEqualTo("HTTP 500");
        assertThat(d.claim()).extracting(WebhookDispatcher.Delivery::id).doesNotContain(id);
        assertThat(bodies).hasSize(3);
    }

    @Test
    void aSlowReceiverTimesOutWithoutHoldingUpTheCaller() throws Exception {
        String url = receiver(0, Duration.ofSeconds(3));
        UUID id = enqueue(url);
        WebhookDispatcher d = dispatcher(8, Duration.ofMillis(500));

        long started = System.nanoTime();
        d.dispatchDue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("dispatching returns at once").isLessThan(Duration.ofMillis(500));

        awaitAttempts(id, 1);
        assertThat(row(id).get("status")).isEqualTo("PENDING");
        assertThat((String) row(id).get("last_error")).contains("timed out");
    }

    @Test
    void logsNameOnlyTheReceiversHostNotItsSecretPath() {
        assertThat(WebhookDispatcher.where("https://hooks.example.com:8443/services/T000/B000/XXXX?token=s3cret"))
                .isEqualTo("https://hooks.example.com:8443/…");
    }
}
