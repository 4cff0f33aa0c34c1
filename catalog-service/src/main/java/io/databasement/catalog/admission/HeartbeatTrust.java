package io.databasement.catalog.admission;

import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Whether a silent attempt may be taken for a dead one right now. Heartbeats reach the catalog through Kafka; the
 * {@link LeaseWatch} decides after each look whether they could have arrived (Kafka reachable for a whole lease).
 * Until it says so, a worker's claim may not take a job over from an attempt that merely went quiet: the attempt may
 * be alive with its heartbeats held up, and two attempts would dump or restore the same database at once.
 */
@Component
public class HeartbeatTrust {

    /** A lease that never runs out. */
    private static final Duration NEVER = Duration.ofDays(365_000);

    private volatile boolean trusted;

    /** The lease to judge a silent attempt by: {@code configured} while heartbeats are trusted, else never over. */
    public Duration lease(Duration configured) {
        return trusted ? configured : NEVER;
    }

    /** Set by the {@link LeaseWatch} after each look. */
    public void trusted(boolean value) {
        trusted = value;
    }
}
