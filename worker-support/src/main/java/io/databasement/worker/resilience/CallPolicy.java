package io.databasement.worker.resilience;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a worker calls one service: retry with exponential backoff and jitter around a circuit breaker. The defaults
 * let a part upload ride out storage-service being restarted for about 30 s: 8 attempts wait 1, 2, 4, 8, 16, 16, 16 s
 * (63 s, at least 50 s with the jitter), longer than an outage plus the breaker's open time, so the retry waits the
 * open breaker out instead of failing the snapshot.
 *
 * @param maxAttempts          attempts per call, the first included
 * @param firstBackoff         wait after the first failed attempt; doubles after each further one
 * @param maxBackoff           the longest wait between two attempts (before jitter)
 * @param jitter               each wait is drawn from ±this fraction of it, so replicas do not retry in step
 * @param failureRateThreshold percent of failed calls in the window that opens the breaker
 * @param slidingWindow        calls the failure rate is measured over
 * @param minimumCalls         calls in the window before the rate counts (a first failure alone opens nothing)
 * @param openFor              how long an open breaker refuses calls before it lets {@code halfOpenCalls} try
 * @param halfOpenCalls        trial calls in the half-open state; all must succeed to close it again
 */
public record CallPolicy(
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("1s") Duration firstBackoff,
        @DefaultValue("16s") Duration maxBackoff,
        @DefaultValue("0.2") double jitter,
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("10") int slidingWindow,
        @DefaultValue("5") int minimumCalls,
        @DefaultValue("10s") Duration openFor,
        @DefaultValue("2") int halfOpenCalls) {

    public CallPolicy {
        require(maxAttempts >= 1 && maxAttempts <= 20, "max-attempts must be 1..20");
        require(firstBackoff != null && !firstBackoff.isNegative() && !firstBackoff.isZero(), "first-backoff must be positive");
        require(maxBackoff != null && maxBackoff.compareTo(firstBackoff) >= 0, "max-backoff must be at least first-backoff");
        require(jitter >= 0 && jitter < 1, "jitter must be 0 or more and below 1");
        require(failureRateThreshold > 0 && failureRateThreshold <= 100, "failure-rate-threshold must be 1..100 (percent)");
        require(slidingWindow >= 1, "sliding-window must be at least 1");
        require(minimumCalls >= 1 && minimumCalls <= slidingWindow, "minimum-calls must be 1..sliding-window");
        require(openFor != null && !openFor.isNegative() && !openFor.isZero(), "open-for must be positive");
        require(halfOpenCalls >= 1, "half-open-calls must be at least 1");
    }

    /** The defaults above, for code and tests that bind no properties. */
    public static CallPolicy defaults() {
        return new CallPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(16), 0.2, 50, 10, 5, Duration.ofSeconds(10), 2);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
