package io.databasement.catalog.schedule;

import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends pending webhook deliveries, off every request and consumer thread: a timer claims due rows
 * ({@code for update skip locked}, so replicas share them, then pushed past the time one attempt can take, so the
 * claim needs no open transaction), and a small pool POSTs them with short timeouts. A failure is retried with
 * exponential backoff; after the last attempt the delivery is FAILED and logged.
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 20;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final ScheduleProperties.Webhooks settings;
    private final Clock clock;
    private final HttpClient http;
    private final ThreadPoolExecutor pool;

    WebhookDispatcher(JdbcClient jdbc, TransactionTemplate tx, ScheduleProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.settings = properties.webhooks();
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(BATCH * 5), new CustomizableThreadFactory("webhook-"));
    }

    record Delivery(UUID id, String url, String eventType, String body, int attempts) {
    }

    /** Claims the due deliveries and hands them to the pool; returns at once. */
    public int dispatchDue() {
        List<Delivery> claimed = claim();
        int handed = 0;
        for (Delivery d : claimed) {
            try {
                pool.execute(() -> deliver(d));
                handed++;
            } catch (RejectedExecutionException e) {
                // the pool is full: the claim runs out and the next poll takes it again
                break;
            }
        }
        return handed;
    }

    List<Delivery> claim() {
        Instant now = clock.instant();
        // one attempt takes at most connect + read timeout; a claimer that dies frees the row after that
        Instant lease = now.plus(settings.connectTimeout()).plus(settings.readTimeout()).plusSeconds(30);
        return tx.execute(status -> {
            List<Delivery> due = jdbc.sql("select id, url, event_type, body, attempts from webhook_deliveries "
                            + "where status = 'PENDING' and next_attempt_at <= ? order by next_attempt_at limit ? "
                            + "for update skip locked")
                    .params(Timestamp.from(now), BATCH)
                    .query((rs, n) -> new Delivery(rs.getObject("id", UUID.class), rs.getString("url"),
                            rs.getString("event_type"), rs.getString("body"), rs.getInt("attempts")))
                    .list();
            due.forEach(d -> jdbc.sql("update webhook_deliveries set next_attempt_at = ? where id = ?")
                    .params(Timestamp.from(lease), d.id()).update());
            return due;
        });
    }

    /** One attempt, and its outcome recorded. */
    void deliver(Delivery d) {
        String error;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(settings.readTimeout())
                    .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                    .header("User-Agent", "databasement-catalog")
                    .POST(HttpRequest.BodyPublishers.ofString(d.body())).build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                jdbc.sql("update webhook_deliveries set status = 'DELIVERED', attempts = attempts + 1, delivered_at = ?, "
                        + "last_error = null where id = ?").params(Timestamp.from(clock.instant()), d.id()).update();
                return;
            }
            error = "HTTP " + response.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        failed(d, error);
    }

    private void failed(Delivery d, String error) {
        int attempts = d.attempts() + 1;
        if (attempts >= settings.maxAttempts()) {
            jdbc.sql("update webhook_deliveries set status = 'FAILED', attempts = ?, last_error = ? where id = ?")
                    .params(attempts, error, d.id()).update();
            log.warn("webhook {} ({}) to {} given up after {} attempt(s): {}", d.id(), d.eventType(), where(d.url()), attempts,
                    error);
            return;
        }
        Duration backoff = settings.firstBackoff().multipliedBy(1L << Math.min(attempts - 1, 20));
        jdbc.sql("update webhook_deliveries set attempts = ?, last_error = ?, next_attempt_at = ? where id = ?")
                .params(attempts, error, Timestamp.from(clock.instant().plus(backoff)), d.id()).update();
        log.info("webhook {} ({}) to {} failed (attempt {}), next in {}: {}", d.id(), d.eventType(), where(d.url()), attempts,
                backoff, error);
    }

    /** Forgets delivered and given-up deliveries created before {@code cutoff}; pending ones stay. */
    public int purge(Instant cutoff) {
        return jdbc.sql("delete from webhook_deliveries where status in ('DELIVERED', 'FAILED') and created_at < ?")
                .param(Timestamp.from(cutoff)).update();
    }

    /** Scheme, host and port only: a webhook URL's path or query often is its secret (chat webhooks). */
    static String where(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "(unparseable URL)";
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
