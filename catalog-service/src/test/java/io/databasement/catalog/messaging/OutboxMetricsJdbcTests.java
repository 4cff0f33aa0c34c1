package io.databasement.catalog.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.catalog.CatalogTestSupport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The outbox gauges read Spring Modulith's event publication table (shared with other tests: compared with a first reading). */
class OutboxMetricsJdbcTests extends CatalogTestSupport {

    static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    static final Instant LONG_AGO = Instant.parse("1990-01-01T00:00:00Z");

    @Autowired
    JdbcClient jdbc;

    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void anIncompletePublicationIsPendingUntilItCompletes() {
        OutboxMetrics metrics = new OutboxMetrics(jdbc, Clock.fixed(NOW, ZoneOffset.UTC), meters);
        metrics.refresh();
        double before = gauge("dbm.outbox.pending");
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into event_publication (id, listener_id, event_type, serialized_event, publication_date)
                        values (?, 'test.nobody', 'java.lang.String', '"x"', ?)""")
                .params(id, Timestamp.from(LONG_AGO)).update();
        try {
            metrics.refresh();
            assertThat(gauge("dbm.outbox.pending")).isEqualTo(before + 1);
            assertThat(gauge("dbm.outbox.oldest.pending.age")).isEqualTo(NOW.getEpochSecond() - LONG_AGO.getEpochSecond());
            assertThat(meters.scrape()).contains("dbm_outbox_pending ").contains("dbm_outbox_oldest_pending_age_seconds ");

            jdbc.sql("update event_publication set completion_date = ? where id = ?").params(Timestamp.from(NOW), id).update();
            metrics.refresh();
            assertThat(gauge("dbm.outbox.pending")).isEqualTo(before);
            assertThat(gauge("dbm.outbox.oldest.pending.age")).isLessThan(NOW.getEpochSecond() - LONG_AGO.getEpochSecond());
        } finally {
            jdbc.sql("delete from event_publication where id = ?").param(id).update();
        }
    }
}
