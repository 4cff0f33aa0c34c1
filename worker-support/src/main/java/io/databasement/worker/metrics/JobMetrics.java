package io.databasement.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a worker's jobs did, for Prometheus ({@code deploy/monitoring} builds its alerts and dashboard on these):
 * <ul>
 *   <li>{@code dbm_job_duration_seconds{kind,engine,outcome}}: a histogram of attempts from claim to end,
 *       outcome {@code completed}, {@code failed} or {@code cancelled};</li>
 *   <li>{@code dbm_jobs_in_flight{kind}}: attempts running now;</li>
 *   <li>{@code dbm_backup_bytes_total{engine}} (artifact bytes uploaded) or {@code dbm_restore_bytes_total{engine}}
 *       (artifact bytes downloaded and restored).</li>
 * </ul>
 */
public final class JobMetrics {

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    private final MeterRegistry meters;
    private final String kind;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** @param kind {@code backup} or {@code restore} */
    public JobMetrics(MeterRegistry meters, String kind) {
        this.meters = meters;
        this.kind = kind;
        Gauge.builder("dbm.jobs.in.flight", inFlight, AtomicInteger::get)
                .description("Jobs this worker is running now")
                .tag("kind", kind)
                .register(meters);
    }

    /** An attempt was claimed: it counts as in flight until {@link #ended}. */
    public void started() {
        inFlight.incrementAndGet();
    }

    /** The claimed attempt ended after {@code took} with {@code outcome}; {@code engine} may be null (a bad command). */
    public void ended(String engine, String outcome, Duration took) {
        inFlight.decrementAndGet();
        Timer.builder("dbm.job.duration")
                .description("Job attempts from claim to end")
                .tags("kind", kind, "engine", engineTag(engine), "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(12))
                .register(meters)
                .record(took);
    }

    /** Artifact bytes moved by a job: uploaded by a backup, downloaded by a restore. */
    public void bytes(String engine, long bytes) {
        Counter.builder("dbm." + kind + ".bytes")
                .description(kind.equals("backup") ? "Snapshot artifact bytes uploaded" : "Snapshot artifact bytes downloaded and restored")
                .baseUnit("bytes")
                .tag("engine", engineTag(engine))
                .register(meters)
                .increment(bytes);
    }

    public int inFlight() {
        return inFlight.get();
    }

    private static String engineTag(String engine) {
        return engine == null || engine.isBlank() ? "unknown" : engine.toLowerCase(Locale.ROOT);
    }
}
