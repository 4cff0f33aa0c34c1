package io.databasement.catalog.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule fires: a Spring cron expression (6 fields, seconds first) read in a time zone. Clients may also
 * send 5-field Unix cron (a "0 " seconds field is put in front) or a macro ({@code @hourly}, {@code @daily}…).
 * A schedule fires at most once a minute: the seconds field must be one number. Daylight-saving changes: see
 * {@link #next}.
 *
 * @param expression the normalized (6-field or macro) form, as stored
 */
public record ScheduleCron(String expression, ZoneId zone, CronExpression cron) {

    /** Far enough back to find the previous tick of a yearly (or leap-day) schedule. */
    private static final Duration LONGEST_PERIOD = Duration.ofDays(366 * 8);

    /**
     * @throws IllegalArgumentException with a message fit for the client
     */
    public static ScheduleCron parse(String raw, String timeZone) {
        ZoneId zone = zone(timeZone);
        String trimmed = raw == null ? "" : raw.trim().replaceAll("\\s+", " ");
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("must not be blank");
        }
        String expression;
        if (trimmed.startsWith("@")) {
            expression = trimmed.toLowerCase();
        } else {
            String[] fields = trimmed.split(" ");
            expression = switch (fields.length) {
                case 5 -> "0 " + trimmed;
                case 6 -> trimmed;
                default -> throw new IllegalArgumentException(
                        "must have 5 fields (minute hour day month weekday) or 6 (seconds first), or be a macro like @daily");
            };
            if (!expression.split(" ")[0].matches("[0-9]{1,2}")) {
                throw new IllegalArgumentException("fires more often than once a minute: the seconds field must be one number");
            }
        }
        CronExpression cron;
        try {
            cron = CronExpression.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid cron expression: " + e.getMessage());
        }
        ScheduleCron parsed = new ScheduleCron(expression, zone, cron);
        if (parsed.next(Instant.now()) == null) {
            throw new IllegalArgumentException("never fires");
        }
        return parsed;
    }

    /** An IANA time zone id ({@code Europe/Paris}); null or blank means UTC. */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a time zone id (IANA, e.g. Europe/Paris): " + timeZone, e);
        }
    }

    /**
     * The first tick strictly after {@code after}; null if it never fires again. Ticks are wall-clock times of the
     * zone, as a cron daemon reads them: one that falls in a daylight-saving gap (02:30 on the night clocks jump from
     * 02:00 to 03:00) fires when the clock has jumped (03:30), not never; one in the hour that repeats in autumn fires
     * once, at its first occurrence.
     */
    public Instant next(Instant after) {
        LocalDateTime local = after.atZone(zone).toLocalDateTime();
        // a few rounds at most: only a repeated hour can yield a wall-clock time that is already past
        for (int round = 0; round < 4; round++) {
            LocalDateTime nextLocal = cron.next(local);
            if (nextLocal == null) {
                return null;
            }
            ZonedDateTime earlier = ZonedDateTime.ofLocal(nextLocal, zone, null);
            if (earlier.toInstant().isAfter(after)) {
                return earlier.toInstant();
            }
            ZonedDateTime later = earlier.withLaterOffsetAtOverlap();
            if (later.toInstant().isAfter(after)) {
                return later.toInstant();
            }
            local = nextLocal;
        }
        return null;
    }

    /** The last tick at or before {@code atOrBefore}; null if there is none in the last eight years. */
    public Instant previous(Instant atOrBefore) {
        Duration window = Duration.ofMinutes(1);
        while (window.compareTo(LONGEST_PERIOD) <= 0) {
            Instant tick = next(atOrBefore.minus(window));
            if (tick != null && !tick.isAfter(atOrBefore)) {
                Instant following = next(tick);
                while (following != null && !following.isAfter(atOrBefore)) {
                    tick = following;
                    following = next(tick);
                }
                return tick;
            }
            window = window.multipliedBy(2);
        }
        return null;
    }

    /** The interval between the ticks around {@code at} (the one at or before it, the one after it). */
    public Duration periodAround(Instant at) {
        Instant before = previous(at);
        Instant after = next(at);
        if (before == null || after == null) {
            return Duration.ofDays(1);
        }
        return Duration.between(before, after);
    }
}
