package io.databasement.catalog.schedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A schedule's retention policy. JSON (in requests, views and the {@code schedules.retention} column):
 * {@code {"type":"KEEP_LAST","count":7}}, {@code {"type":"KEEP_DAYS","days":30}} or
 * {@code {"type":"GFS","daily":7,"weekly":4,"monthly":12,"yearly":0}}; no policy (null) keeps everything.
 */
public sealed interface Retention {

    /** The {@code count} newest completed snapshots of each database. */
    record KeepLast(int count) implements Retention {
    }

    /** Completed snapshots younger than {@code days} × 24 h. */
    record KeepDays(int days) implements Retention {
    }

    /**
     * Grandfather-father-son: the newest completed snapshot of each of the last {@code daily} calendar days,
     * {@code weekly} ISO weeks, {@code monthly} months and {@code yearly} years, in the schedule's time zone; the
     * current day (week, month, year) is one of them.
     */
    record Gfs(int daily, int weekly, int monthly, int yearly) implements Retention {
    }

    /** The JSON shape, fields in a stable order. */
    default Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (this instanceof KeepLast k) {
            json.put("type", "KEEP_LAST");
            json.put("count", k.count());
        } else if (this instanceof KeepDays k) {
            json.put("type", "KEEP_DAYS");
            json.put("days", k.days());
        } else if (this instanceof Gfs g) {
            json.put("type", "GFS");
            json.put("daily", g.daily());
            json.put("weekly", g.weekly());
            json.put("monthly", g.monthly());
            json.put("yearly", g.yearly());
        }
        return json;
    }
}
