package io.databasement.worker.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** With the OpenTelemetry bridge the services run with: a job continues its command's trace wherever it goes. */
class JobTracingTests {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";

    private final SdkTracerProvider provider = SdkTracerProvider.builder().build();
    private final io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    private final OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> {
    });
    private final JobTracing tracing = new JobTracing(tracer,
            new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();
    private final UUID jobId = UUID.randomUUID();

    @AfterEach
    void close() throws Exception {
        otherThread.shutdownNow();
        otherThread.awaitTermination(5, TimeUnit.SECONDS);
        provider.close();
    }

    @Test
    void aJobContinuesTheTraceOfItsCommandInItsThreadsAndItsRequests() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE + "-" + PARENT_SPAN + "-01").getBytes(StandardCharsets.UTF_8));
        Map<String, String> seen = java.util.Collections.synchronizedMap(new java.util.HashMap<>());

        tracing.runJob("backup job", jobId, headers, () -> {
            seen.put("trace", tracer.currentSpan().context().traceId());
            seen.put("parent", String.valueOf(tracer.currentSpan().context().parentId()));
            seen.put("job", MDC.get(JobTracing.JOB_ID));
            seen.put("request", traceparentOf(JobContext.inject(HttpRequest.newBuilder(URI.create("http://storage/x")))));
            CompletableFuture.runAsync(JobContext.wrap(() -> {
                seen.put("other thread request", traceparentOf(JobContext.inject(HttpRequest.newBuilder(URI.create("http://storage/y")))));
                seen.put("other thread job", String.valueOf(MDC.get(JobTracing.JOB_ID)));
            }), otherThread).join();
        });

        assertThat(seen.get("trace")).isEqualTo(TRACE);
        assertThat(seen.get("parent")).as("the job's span is a child of the sender's").isEqualTo(PARENT_SPAN);
        assertThat(seen.get("job")).isEqualTo(jobId.toString());
        assertThat(seen.get("request")).startsWith("00-" + TRACE + "-").doesNotContain(PARENT_SPAN);
        assertThat(seen.get("other thread request")).isEqualTo(seen.get("request"));
        assertThat(seen.get("other thread job")).isEqualTo(jobId.toString());
        assertThat(tracer.currentSpan()).as("nothing left in scope after the job").isNull();
        assertThat(MDC.get(JobTracing.JOB_ID)).isNull();
    }

    @Test
    void aCommandWithoutTraceContextStartsATraceOfItsOwn() {
        Map<String, String> seen = java.util.Collections.synchronizedMap(new java.util.HashMap<>());

        tracing.runJob("restore job", jobId, new RecordHeaders(), () ->
                seen.put("request", traceparentOf(JobContext.inject(HttpRequest.newBuilder(URI.create("http://storage/x"))))));

        assertThat(seen.get("request")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain(TRACE);
    }

    @Test
    void outsideAJobRequestsCarryNoTraceContextAndWrappedTasksLeaveTheMdcAsTheyFoundIt() throws Exception {
        assertThat(JobContext.inject(HttpRequest.newBuilder(URI.create("http://storage/x"))).build().headers()
                .firstValue("traceparent")).isEmpty();

        otherThread.submit(() -> MDC.put("leftover", "x")).get();
        otherThread.submit(JobContext.wrap(() -> MDC.put(JobTracing.JOB_ID, "inside"))).get();

        assertThat(otherThread.submit(() -> MDC.getCopyOfContextMap()).get()).containsEntry("leftover", "x")
                .doesNotContainKey(JobTracing.JOB_ID);
    }

    private static String traceparentOf(HttpRequest.Builder request) {
        return request.build().headers().firstValue("traceparent").orElse(null);
    }
}
