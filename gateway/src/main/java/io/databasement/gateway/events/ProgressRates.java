package io.databasement.gateway.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Transfer rate per attempt, from its progress reports: bytes gained since the latest report at least
 * {@link #WINDOW} old (or the attempt's first report, while it is younger), divided by the time between them.
 * Measured by the reports' own {@code at} (one worker's clock), not by when they arrive here, so a burst of
 * reports delivered together still gives the rate at which they were made. Only the most recently reported
 * {@link #MAX_ATTEMPTS} attempts are remembered.
 */
final class ProgressRates {

    static final Duration WINDOW = Duration.ofSeconds(10);
    static final int MAX_ATTEMPTS = 1024;

    private record Sample(Instant at, long bytes) {
    }

    private final Map<UUID, Deque<Sample>> attempts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Deque<Sample>> eldest) {
            return size() > MAX_ATTEMPTS;
        }
    };

    /**
     * Takes one report of an attempt.
     *
     * @return bytes per second, or null while unknown (the attempt's first report)
     */
    synchronized Long record(UUID attemptId, long bytes, Instant at) {
        Deque<Sample> history = attempts.computeIfAbsent(attemptId, id -> new ArrayDeque<>());
        Sample last = history.peekLast();
        if (last != null && !at.isAfter(last.at())) {
            // a duplicate or a late report: it changes nothing
            return rate(history);
        }
        if (last != null && bytes < last.bytes()) {
            // counters only grow within an attempt: what came before cannot be compared with this
            history.clear();
        }
        history.addLast(new Sample(at, bytes));
        Instant cutoff = at.minus(WINDOW);
        while (history.size() > 2 && !second(history).at().isAfter(cutoff)) {
            history.removeFirst();
        }
        return rate(history);
    }

    /**
     * Seconds until {@code totalBytes}, at {@code bytesPerSecond}; null when the rate is unknown or nothing moves
     * (a phase that reads no bytes, or a stall), and when the total is not known.
     */
    static Long etaSeconds(long bytes, long totalBytes, Long bytesPerSecond) {
        if (bytesPerSecond == null || bytesPerSecond <= 0 || totalBytes <= 0) {
            return null;
        }
        long remaining = Math.max(0, totalBytes - bytes);
        return (remaining + bytesPerSecond - 1) / bytesPerSecond;
    }

    private static Long rate(Deque<Sample> history) {
        if (history.size() < 2) {
            return null;
        }
        Sample first = history.peekFirst();
        Sample last = history.peekLast();
        long millis = Duration.between(first.at(), last.at()).toMillis();
        if (millis <= 0) {
            return null;
        }
        return Math.round((last.bytes() - first.bytes()) * 1000.0 / millis);
    }

    private static Sample second(Deque<Sample> history) {
        Iterator<Sample> it = history.iterator();
        it.next();
        return it.next();
    }
}
