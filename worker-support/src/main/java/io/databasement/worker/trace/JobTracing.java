package io.databasement.worker.trace;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;

/**
 * One span per job, continuing the trace whose context ({@code traceparent}) the command record carries, so the
 * request that asked for a snapshot, the catalog's outbox, this worker and its calls to storage-service show as one
 * trace. While the job runs its span is current on the job thread and {@code jobId} is in the logging MDC beside
 * Micrometer Tracing's {@code traceId} and {@code spanId}; {@link JobContext#wrap} carries both onto the threads the
 * job starts.
 */
public final class JobTracing {

    /** The MDC key of the job id (logging.pattern.correlation and the structured logs print it). */
    public static final String JOB_ID = "jobId";

    /** For tests and a worker without tracing: no spans, the job id still in the MDC. */
    public static final JobTracing NONE = new JobTracing(Tracer.NOOP, Propagator.NOOP);

    private static final Propagator.Getter<Headers> KAFKA_HEADERS = (headers, key) -> {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    };

    private final Tracer tracer;
    private final Propagator propagator;

    public JobTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The application's tracer and propagator (spring-boot-starter-opentelemetry configures them), else none. */
    public static JobTracing of(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new JobTracing(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    /**
     * Runs {@code work} as the job {@code jobId}: in a span named {@code name} (a child of the context in
     * {@code headers}, else a new trace) that ends with it, with the job id in the MDC.
     */
    public void runJob(String name, UUID jobId, Headers headers, Runnable work) {
        Span span = propagator.extract(headers, KAFKA_HEADERS).name(name).kind(Span.Kind.CONSUMER)
                .tag("dbm.job.id", jobId.toString()).start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span);
             MDC.MDCCloseable job = MDC.putCloseable(JOB_ID, jobId.toString())) {
            work.run();
        } catch (RuntimeException | Error e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }
}
