package io.databasement.catalog.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The outbox's backlog, from Spring Modulith's event publication registry (table {@code event_publication}; a
 * publication is incomplete while its {@code completion_date} is null): gauges {@code dbm.outbox.pending} and
 * {@code dbm.outbox.oldest.pending.age} (seconds since the oldest incomplete one was published; 0 when none). Every
 * incomplete publication counts: the Kafka relay's and the in-process listeners' (schedules) alike. Read every
 * {@code dbm.catalog.metrics-interval} by SQL: the registry's own API loads and deserializes every event.
 */
@Component
class OutboxMetrics {

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile long pending;
    private volatile double oldestAgeSeconds;

    OutboxMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("dbm.outbox.pending", () -> pending)
                .description("event publications not completed yet (outbox messages not yet on Kafka, listeners not yet run)")
                .register(meters);
        Gauge.builder("dbm.outbox.oldest.pending.age", () -> oldestAgeSeconds)
                .description("age of the oldest incomplete event publication; 0 when none")
                .baseUnit("seconds")
                .register(meters);
    }

    @Scheduled(initialDelayString = "PT15S", fixedDelayString = "${dbm.catalog.metrics-interval:PT15S}")
    void refresh() {
        Instant now = clock.instant();
        jdbc.sql("select count(*), min(publication_date) from event_publication where completion_date is null")
                .query(rs -> {
                    Timestamp oldest = rs.getTimestamp(2);
                    pending = rs.getLong(1);
                    oldestAgeSeconds = oldest == null ? 0
                            : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0);
                });
    }
}
