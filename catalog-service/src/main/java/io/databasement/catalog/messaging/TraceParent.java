package io.databasement.catalog.messaging;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The current trace context as a W3C {@code traceparent} value, kept with a job so that its command continues the
 * trace of what asked for it. Micrometer Tracing's OpenTelemetry bridge makes the span of the current request,
 * record or scheduled run current in OpenTelemetry's {@link Context}.
 */
public final class TraceParent {

    public static final String HEADER = "traceparent";

    private TraceParent() {
    }

    /** The current span's {@code traceparent}; null outside a (sampled or not) trace. */
    public static String current() {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
        return carrier.get(HEADER);
    }
}
