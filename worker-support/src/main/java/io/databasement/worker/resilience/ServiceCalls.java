package io.databasement.worker.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of this worker to one service (e.g. {@code storage}): a Resilience4j retry (exponential backoff with
 * jitter) around a circuit breaker, both named after the service and bound to Micrometer
 * ({@code resilience4j_retry_calls_total{name=...}}, {@code resilience4j_circuitbreaker_state{name=...}}).
 *
 * <p>Retried: I/O errors (connection refused or reset, timeouts), the answers 429, 502, 503 and 504, and a call the
 * open breaker refused: a job waits the breaker out rather than failing while the service restarts. Never retried:
 * any other answer (a 400 or 404 is the caller's to handle) and an interrupt. An interrupt during a backoff wait
 * (Resilience4j sleeps with {@code Thread.sleep}) ends the call at once with {@link InterruptedException}: that is
 * how a cancelled job stops waiting for a service that is down.
 */
public final class ServiceCalls {

    private static final Logger log = LoggerFactory.getLogger(ServiceCalls.class);
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);
    private static final int BODY_KEPT = 8192;

    private final String service;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final MeterRegistry meters;

    private ServiceCalls(String service, Retry retry, CircuitBreaker breaker, MeterRegistry meters) {
        this.service = service;
        this.retry = retry;
        this.breaker = breaker;
        this.meters = meters;
    }

    /** The retry and breaker named {@code service}, registered with {@code meters}. */
    public static ServiceCalls create(String service, CallPolicy policy, MeterRegistry meters) {
        RetryRegistry retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.firstBackoff(), 2.0, policy.jitter(),
                        policy.maxBackoff()))
                .retryOnException(ServiceCalls::worthRetrying)
                .build());
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.slidingWindow())
                .minimumNumberOfCalls(policy.minimumCalls())
                .failureRateThreshold(policy.failureRateThreshold())
                .waitDurationInOpenState(policy.openFor())
                .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
                .recordException(e -> e instanceof IOException && !(e instanceof InterruptedIOException))
                .ignoreException(e -> e instanceof InterruptedException || e instanceof InterruptedIOException)
                .build());
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        Retry retry = retries.retry(service);
        CircuitBreaker breaker = breakers.circuitBreaker(service);
        retry.getEventPublisher().onRetry(e -> log.warn("{}: attempt {} failed ({}); trying again in {} ms", service,
                e.getNumberOfRetryAttempts(), describe(e.getLastThrowable()),
                e.getWaitInterval().toMillis()));
        breaker.getEventPublisher().onStateTransition(e -> log.warn("{}: circuit breaker {}", service,
                e.getStateTransition()));
        return new ServiceCalls(service, retry, breaker, meters);
    }

    /**
     * One exchange, retried while it fails transiently. Only for calls that are safe to repeat.
     *
     * @throws TransientAnswerException the last answer, when every attempt was answered 429/502/503/504
     * @throws CircuitOpenException     the breaker was still open at the last attempt
     * @throws IOException              the last I/O error
     * @throws InterruptedException     interrupted while calling or waiting to call again
     */
    public <T> HttpResponse<T> send(Exchange<T> exchange) throws IOException, InterruptedException {
        return send("call", exchange);
    }

    /**
     * {@link #send(Exchange)}, timed as {@code dbm_<service>_calls_seconds{operation,outcome}} from the first attempt to
     * the last answer's headers; outcome {@code success} for a 2xx answer, else {@code error}.
     */
    public <T> HttpResponse<T> send(String operation, Exchange<T> exchange) throws IOException, InterruptedException {
        return timed(operation, () -> run(Retry.decorateCheckedSupplier(retry, CircuitBreaker.decorateCheckedSupplier(breaker,
                attempt(exchange)))));
    }

    /** One attempt, through the breaker but never retried: fails fast while the service is known to be down. */
    public <T> HttpResponse<T> sendOnce(Exchange<T> exchange) throws IOException, InterruptedException {
        return sendOnce("call", exchange);
    }

    /** {@link #sendOnce(Exchange)}, timed like {@link #send(String, Exchange)}. */
    public <T> HttpResponse<T> sendOnce(String operation, Exchange<T> exchange) throws IOException, InterruptedException {
        return timed(operation, () -> run(CircuitBreaker.decorateCheckedSupplier(breaker, attempt(exchange))));
    }

    private <T> HttpResponse<T> timed(String operation, Exchange<T> call) throws IOException, InterruptedException {
        long started = System.nanoTime();
        boolean success = false;
        try {
            HttpResponse<T> response = call.send();
            success = response.statusCode() / 100 == 2;
            return response;
        } finally {
            Timer.builder("dbm." + service + ".calls")
                    .description("Calls to " + service + ", retries included, to the answer's headers")
                    .tags("operation", operation, "outcome", success ? "success" : "error")
                    .publishPercentileHistogram()
                    .maximumExpectedValue(Duration.ofMinutes(5))
                    .register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    /** One HTTP exchange, as {@code InternalHttp.send} or {@code stream} does it. */
    @FunctionalInterface
    public interface Exchange<T> {
        HttpResponse<T> send() throws IOException, InterruptedException;
    }

    private <T> CheckedSupplier<HttpResponse<T>> attempt(Exchange<T> exchange) {
        return () -> {
            HttpResponse<T> response = exchange.send();
            if (TRANSIENT_STATUSES.contains(response.statusCode())) {
                throw new TransientAnswerException(service, response.statusCode(), bodyOf(response));
            }
            return response;
        };
    }

    /** A failure for the log: a ConnectException has no message, its class says what happened. */
    private static String describe(Throwable e) {
        if (e == null) {
            return "?";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean worthRetrying(Throwable e) {
        return e instanceof CallNotPermittedException || e instanceof IOException && !(e instanceof InterruptedIOException);
    }

    private <T> HttpResponse<T> run(CheckedSupplier<HttpResponse<T>> call) throws IOException, InterruptedException {
        try {
            return call.get();
        } catch (CallNotPermittedException e) {
            stopIfInterrupted();
            throw new CircuitOpenException(service, e);
        } catch (IOException | RuntimeException e) {
            // Resilience4j answers an interrupted backoff with the last failure and the interrupt flag set again
            stopIfInterrupted();
            throw e;
        } catch (InterruptedException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unexpected failure calling " + service, e);
        }
    }

    private void stopIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting to call " + service + " again");
        }
    }

    /** The start of a failed answer's body; a streamed one is closed, so the connection goes back to the pool. */
    private static byte[] bodyOf(HttpResponse<?> response) throws IOException {
        Object body = response.body();
        if (body instanceof byte[] bytes) {
            return bytes.length > BODY_KEPT ? java.util.Arrays.copyOf(bytes, BODY_KEPT) : bytes;
        }
        if (body instanceof InputStream in) {
            try (in) {
                return in.readNBytes(BODY_KEPT);
            }
        }
        return new byte[0];
    }
}
