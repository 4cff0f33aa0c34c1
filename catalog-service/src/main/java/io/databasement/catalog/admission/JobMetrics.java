package io.databasement.catalog.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The catalog's view of jobs of both kinds, for {@code /actuator/prometheus}:
 * <ul>
 * <li>{@code dbm.jobs.finished{kind,outcome}}: counted by the feature that records a job's final status, in the
 *     transaction that records it, and only once that transaction commits (a rolled-back or lost optimistic race
 *     counts nothing). Every replica counts the jobs it ended; sum over instances.</li>
 * <li>{@code dbm.jobs.active{kind,status}} and {@code dbm.jobs.oldest.active.age{kind,status}}: from the database
 *     every {@code dbm.catalog.metrics-interval}, so every replica exports the same values. A pending job's age runs
 *     from its request, a running one's from its start (its claim, if no worker reported a start yet); 0 when none.
 *     Restore includes verifications (restores in VERIFY mode).</li>
 * </ul>
 * Not a {@code @TransactionalEventListener}: Spring Modulith would store each such event in its publication registry.
 */
@Component
public class JobMetrics {

    static final List<String> OUTCOMES = List.of("completed", "failed", "cancelled");
    static final List<String> STATUSES = List.of("pending", "running");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, Counter> finished = new HashMap<>();
    private volatile Map<String, Open> open = Map.of();

    JobMetrics(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        for (JobKind kind : JobKind.values()) {
            for (String outcome : OUTCOMES) {
                finished.put(key(kind.wire(), outcome), Counter.builder("dbm.jobs.finished")
                        .description("jobs this replica recorded a final status for")
                        .tag("kind", kind.wire()).tag("outcome", outcome).register(meters));
            }
            for (String status : STATUSES) {
                String key = key(kind.wire(), status);
                Gauge.builder("dbm.jobs.active", () -> open.getOrDefault(key, Open.NONE).jobs())
                        .description("jobs not ended yet, from the database")
                        .tag("kind", kind.wire()).tag("status", status).register(meters);
                Gauge.builder("dbm.jobs.oldest.active.age", () -> open.getOrDefault(key, Open.NONE).oldestAgeSeconds())
                        .description("age of the oldest such job: pending since its request, running since its start; 0 when none")
                        .baseUnit("seconds")
                        .tag("kind", kind.wire()).tag("status", status).register(meters);
            }
        }
    }

    /**
     * The job just reached {@code status} (COMPLETED, FAILED or CANCELLED) in the current transaction; counted
     * when it commits. Call it only where the status actually changed, so a duplicate report counts nothing.
     */
    public void finished(JobKind kind, String status) {
        Counter counter = finished.get(key(kind.wire(), status.toLowerCase(Locale.ROOT)));
        if (counter == null) {
            // a metric never fails the transaction that records a job's end
            LoggerFactory.getLogger(JobMetrics.class).warn("{} job ended with status {}: not counted", kind.wire(), status);
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    counter.increment();
                }
            });
        } else {
            counter.increment();
        }
    }

    @Scheduled(initialDelayString = "PT15S", fixedDelayString = "${dbm.catalog.metrics-interval:PT15S}")
    public void refresh() {
        Instant now = clock.instant();
        Map<String, Open> read = new HashMap<>();
        jdbc.sql("""
                        select 'backup' as kind, case status when 'PENDING' then 'pending' else 'running' end as status,
                               count(*) as jobs,
                               min(case status when 'PENDING' then created_at else coalesce(started_at, created_at) end) as oldest
                        from snapshots where status in ('PENDING', 'RUNNING') group by status
                        union all
                        select 'restore', case status when 'PENDING' then 'pending' else 'running' end, count(*),
                               min(case status when 'PENDING' then created_at else coalesce(started_at, created_at) end)
                        from restores where status in ('PENDING', 'IN_PROGRESS') group by status""")
                .query(rs -> {
                    Timestamp oldest = rs.getTimestamp("oldest");
                    double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), now).toMillis() / 1000.0);
                    read.put(key(rs.getString("kind"), rs.getString("status")), new Open(rs.getLong("jobs"), age));
                });
        open = Map.copyOf(read);
    }

    private static String key(String kind, String value) {
        return kind + "/" + value;
    }

    private record Open(long jobs, double oldestAgeSeconds) {
        static final Open NONE = new Open(0, 0);
    }
}
