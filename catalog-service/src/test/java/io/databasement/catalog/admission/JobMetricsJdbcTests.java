package io.databasement.catalog.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.catalog.CatalogTestSupport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The job gauges read the database, on the catalog's schema. Other test classes share the database and may leave
 * open jobs behind, so counts are compared with a reading taken first, and the jobs here are older than any
 * other test's (1990).
 */
class JobMetricsJdbcTests extends CatalogTestSupport {

    static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    static final Instant LONG_AGO = Instant.parse("1990-01-01T00:00:00Z");

    @Autowired
    JdbcClient jdbc;

    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final List<UUID> snapshots = new ArrayList<>();
    final List<UUID> restores = new ArrayList<>();

    @AfterEach
    void removeJobs() {
        restores.forEach(id -> jdbc.sql("delete from restores where id = ?").param(id).update());
        snapshots.forEach(id -> jdbc.sql("delete from snapshots where id = ?").param(id).update());
    }

    UUID snapshot(String status, Instant createdAt, Instant startedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into snapshots (id, server_name, database_name, volume_id, volume_name, volume_location,
                            compression, compression_level, status, created_at, started_at, version)
                        values (?, 'srv', 'shop', ?, 'vol', 's3://b', 'zstd', 3, ?, ?, ?, 1)""")
                .params(id, UUID.randomUUID(), status, Timestamp.from(createdAt), startedAt == null ? null : Timestamp.from(startedAt))
                .update();
        snapshots.add(id);
        return id;
    }

    UUID restore(String status, Instant createdAt, Instant startedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into restores (id, target_server_name, target_database, mode, target_exists, status,
                            requested_by, correlation_id, created_at, started_at, version)
                        values (?, 'srv', 'shop', 'OTHER_DATABASE', false, ?, 'test', ?, ?, ?, 1)""")
                .params(id, status, id.toString(), Timestamp.from(createdAt), startedAt == null ? null : Timestamp.from(startedAt))
                .update();
        restores.add(id);
        return id;
    }

    double active(String kind, String status) {
        return meters.get("dbm.jobs.active").tag("kind", kind).tag("status", status).gauge().value();
    }

    double oldest(String kind, String status) {
        return meters.get("dbm.jobs.oldest.active.age").tag("kind", kind).tag("status", status).gauge().value();
    }

    @Test
    void theGaugesCountOpenJobsAndAgePendingOnesFromTheirRequestAndRunningOnesFromTheirStart() {
        JobMetrics metrics = new JobMetrics(jdbc, Clock.fixed(NOW, ZoneOffset.UTC), meters);
        metrics.refresh();
        double pendingBackups = active("backup", "pending");
        double runningBackups = active("backup", "running");
        double runningRestores = active("restore", "running");

        snapshot("PENDING", LONG_AGO, null);
        snapshot("PENDING", LONG_AGO.plusSeconds(60), null);
        // requested long before it started: a running job's age is how long it runs
        UUID running = snapshot("RUNNING", LONG_AGO.minusSeconds(3600), LONG_AGO.plusSeconds(10));
        snapshot("COMPLETED", LONG_AGO.minusSeconds(7200), LONG_AGO.minusSeconds(7000));
        // claimed, no start reported yet: from its request
        UUID restore = restore("IN_PROGRESS", LONG_AGO.plusSeconds(5), null);
        metrics.refresh();

        long sinceLongAgo = NOW.getEpochSecond() - LONG_AGO.getEpochSecond();
        assertThat(active("backup", "pending")).isEqualTo(pendingBackups + 2);
        assertThat(active("backup", "running")).isEqualTo(runningBackups + 1);
        assertThat(active("restore", "running")).isEqualTo(runningRestores + 1);
        assertThat(oldest("backup", "pending")).isEqualTo(sinceLongAgo);
        assertThat(oldest("backup", "running")).isEqualTo(sinceLongAgo - 10);
        assertThat(oldest("restore", "running")).isEqualTo(sinceLongAgo - 5);

        jdbc.sql("update snapshots set status = 'COMPLETED' where id = ?").param(running).update();
        jdbc.sql("update restores set status = 'FAILED' where id = ?").param(restore).update();
        metrics.refresh();

        assertThat(active("backup", "running")).isEqualTo(runningBackups);
        assertThat(active("restore", "running")).isEqualTo(runningRestores);
        assertThat(oldest("backup", "running")).isLessThan(sinceLongAgo - 10);
        assertThat(oldest("restore", "running")).isLessThan(sinceLongAgo - 5);
    }

    @Test
    void everyKindAndStatusIsExportedUnderItsPrometheusNameBeforeAnyRefresh() {
        new JobMetrics(jdbc, Clock.fixed(NOW, ZoneOffset.UTC), meters);

        String scrape = meters.scrape();

        for (String kind : List.of("backup", "restore")) {
            for (String status : List.of("pending", "running")) {
                assertThat(scrape).contains("dbm_jobs_active{kind=\"" + kind + "\",status=\"" + status + "\"} 0.0");
                assertThat(scrape).contains("dbm_jobs_oldest_active_age_seconds{kind=\"" + kind + "\",status=\"" + status + "\"} 0.0");
            }
            for (String outcome : List.of("completed", "failed", "cancelled")) {
                assertThat(scrape).contains("dbm_jobs_finished_total{kind=\"" + kind + "\",outcome=\"" + outcome + "\"} 0.0");
            }
        }
    }
}
