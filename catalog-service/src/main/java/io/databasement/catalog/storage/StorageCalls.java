package io.databasement.catalog.storage;

import io.databasement.catalog.CatalogProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.databasement.catalog.web.CatalogException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;

/**
 * Every call of the catalog to storage-service: a Resilience4j retry (exponential backoff with jitter) around a
 * circuit breaker, both named {@code storage} and on {@code /actuator/prometheus}
 * ({@code resilience4j_retry_calls_total{name="storage"}}, {@code resilience4j_circuitbreaker_state{name="storage"}}).
 *
 * <p>Retried: I/O errors ({@link ResourceAccessException}: refused, reset, timed out) and the answers 429, 502, 503,
 * 504 ({@link #checkAnswer}); never another answer (404 is the caller's to handle). Unlike the workers', this retry
 * does not wait an open breaker out: a user is waiting, so an open breaker means {@link StorageUnavailableException}
 * at once, which the callers answer with 503 {@code storage-unavailable}. All the calls are reads (the presign signs
 * a URL, it stores nothing), so repeating one is safe.
 *
 * <p>Timer {@code dbm.storage.calls{operation,outcome}} (with histogram buckets): one sample per call, its retries
 * included, since that is what the user waited for. {@code error} is a call that ended in an exception, except the
 * caller's own 4xx ({@link CatalogException}, e.g. the object is missing): storage answered that one.
 */
@Component
public class StorageCalls {

    private static final Logger log = LoggerFactory.getLogger(StorageCalls.class);
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);
    static final String NAME = "storage";

    private final Retry retry;
    private final CircuitBreaker breaker;
    private final MeterRegistry meters;

    StorageCalls(CatalogProperties properties, MeterRegistry meters) {
        this.meters = meters;
        CatalogProperties.StorageCallPolicy policy = properties.catalog().storageCalls();
        RetryRegistry retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.firstBackoff(), 2.0, policy.jitter(),
                        policy.maxBackoff()))
                .retryOnException(StorageCalls::transientFailure)
                .build());
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.slidingWindow())
                .minimumNumberOfCalls(Math.min(policy.minimumCalls(), policy.slidingWindow()))
                .failureRateThreshold(policy.failureRateThreshold())
                .waitDurationInOpenState(policy.openFor())
                .permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
                .recordException(StorageCalls::transientFailure)
                .build());
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        this.retry = retries.retry(NAME);
        this.breaker = breakers.circuitBreaker(NAME);
        retry.getEventPublisher().onRetry(e -> log.warn("storage: attempt {} failed ({}); trying again in {} ms",
                e.getNumberOfRetryAttempts(), String.valueOf(e.getLastThrowable()),
                e.getWaitInterval().toMillis()));
        breaker.getEventPublisher().onStateTransition(e -> log.warn("storage: circuit breaker {}", e.getStateTransition()));
    }

    /**
     * Runs {@code call} (one RestClient exchange) with retries while it fails transiently.
     *
     * @param operation what the call does, the timer's {@code operation} tag (e.g. {@code presign})
     * @throws StorageUnavailableException the breaker is open, or storage still said "later" at the last attempt
     * @throws org.springframework.web.client.RestClientException the last I/O error
     */
    public <T> T call(String operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "error";
        try {
            T result = retry.executeSupplier(breaker.decorateSupplier(call));
            outcome = "success";
            return result;
        } catch (CallNotPermittedException e) {
            throw new StorageUnavailableException("calls to storage-service are suspended after repeated failures");
        } catch (TransientAnswer e) {
            throw new StorageUnavailableException("storage-service answered " + e.status);
        } catch (CatalogException e) {
            if (e.status().is4xxClientError()) {
                outcome = "success";
            }
            throw e;
        } finally {
            sample.stop(Timer.builder("dbm.storage.calls")
                    .description("calls to storage-service, retries included")
                    .tag("operation", operation).tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(meters));
        }
    }

    /** Inside an exchange, before anything is read: a 429/502/503/504 becomes a failure worth retrying. */
    public static void checkAnswer(int status) {
        if (TRANSIENT_STATUSES.contains(status)) {
            throw new TransientAnswer(status);
        }
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    private static boolean transientFailure(Throwable e) {
        return e instanceof TransientAnswer || e instanceof ResourceAccessException;
    }

    private static final class TransientAnswer extends RuntimeException {
        private final int status;

        TransientAnswer(int status) {
            super("storage-service answered " + status, null, false, false);
            this.status = status;
        }
    }

    /** storage-service cannot serve the call now; answered 503 {@code storage-unavailable}. */
    public static class StorageUnavailableException extends RuntimeException {
        StorageUnavailableException(String message) {
            super(message);
        }
    }
}
