package io.databasement.worker.trace;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;

/**
 * A job's context on the threads it starts (the dump reader, the part uploads, the download) and in the requests
 * it makes. Micrometer Tracing's OpenTelemetry bridge keeps the current span in OpenTelemetry's {@link Context},
 * so that is what travels, with the logging MDC (trace, span and job ids).
 */
public final class JobContext {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private JobContext() {
    }

    /** {@code task}, to run on another thread with the caller's trace context and MDC. */
    public static Runnable wrap(Runnable task) {
        Callable<Void> callable = wrap(() -> {
            task.run();
            return null;
        });
        return () -> {
            try {
                callable.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception impossible) {
                throw new IllegalStateException(impossible);
            }
        };
    }

    /** {@code task}, to run on another thread with the caller's trace context and MDC. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        Callable<T> traced = Context.current().wrap(task);
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                return traced.call();
            } finally {
                if (before == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(before);
                }
            }
        };
    }

    /** The current trace context as {@code traceparent} (and {@code tracestate}) headers; nothing outside a trace. */
    public static HttpRequest.Builder inject(HttpRequest.Builder request) {
        W3C.inject(Context.current(), request, (builder, key, value) -> builder.setHeader(key, value));
        return request;
    }
}
