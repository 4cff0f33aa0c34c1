package io.databasement.gateway.security;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * A token bucket per API token, in this gateway's memory: {@code requestsPerMinute} requests at once,
 * refilled evenly over a minute. Several gateway replicas each allow the full rate (the limit guards the
 * services from one runaway client, not a billing quota).
 */
@Component
public class RateLimiter {

    /** The decision and what the {@code RateLimit-*} headers report. */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    private final int limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(SecurityProperties properties, Clock clock) {
        this.limit = properties.requestsPerMinute();
        this.clock = clock;
    }

    public Decision take(String key) {
        long now = nanos();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(limit, now));
        synchronized (bucket) {
            double perNano = limit / 60e9;
            bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.updatedNanos) * perNano);
            bucket.updatedNanos = now;
            boolean allowed = bucket.tokens >= 1;
            if (allowed) {
                bucket.tokens -= 1;
            }
            long resetSeconds = (long) Math.ceil((limit - bucket.tokens) / perNano / 1e9);
            long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9));
            return new Decision(allowed, limit, (int) Math.floor(bucket.tokens), resetSeconds, retryAfter);
        }
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
