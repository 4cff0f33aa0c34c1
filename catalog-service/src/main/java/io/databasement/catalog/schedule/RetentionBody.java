package io.databasement.catalog.schedule;

import io.databasement.catalog.web.CatalogException;
import java.util.Locale;

/**
 * Retention as JSON sends it ({@code {"type":"GFS","daily":7,"weekly":4,"monthly":12,"yearly":0}}); checked
 * here rather than by Jackson, so a mistake is a 400 naming the field.
 */
public record RetentionBody(String type, Integer count, Integer days, Integer daily, Integer weekly, Integer monthly,
                            Integer yearly) {

    static final int MAX = 10_000;

    /** @throws CatalogException 400 {@code invalid-retention} naming the field */
    public Retention toRetention() {
        String kind = type == null ? "" : type.trim().toUpperCase(Locale.ROOT);
        switch (kind) {
            case "KEEP_LAST" -> {
                onlyFields(kind, count != null, days, daily, weekly, monthly, yearly);
                return new Retention.KeepLast(bounded("count", count, 1));
            }
            case "KEEP_DAYS" -> {
                onlyFields(kind, days != null, count, daily, weekly, monthly, yearly);
                return new Retention.KeepDays(bounded("days", days, 1));
            }
            case "GFS" -> {
                onlyFields(kind, true, count, days);
                Retention.Gfs gfs = new Retention.Gfs(orZero("daily", daily), orZero("weekly", weekly),
                        orZero("monthly", monthly), orZero("yearly", yearly));
                if (gfs.daily() + gfs.weekly() + gfs.monthly() + gfs.yearly() == 0) {
                    throw invalid("retention.daily", "GFS keeps nothing: give at least one of daily, weekly, monthly, yearly");
                }
                return gfs;
            }
            default -> throw invalid("retention.type", "must be KEEP_LAST, KEEP_DAYS or GFS");
        }
    }

    static RetentionBody of(Retention retention) {
        if (retention instanceof Retention.KeepLast k) {
            return new RetentionBody("KEEP_LAST", k.count(), null, null, null, null, null);
        }
        if (retention instanceof Retention.KeepDays k) {
            return new RetentionBody("KEEP_DAYS", null, k.days(), null, null, null, null);
        }
        Retention.Gfs g = (Retention.Gfs) retention;
        return new RetentionBody("GFS", null, null, g.daily(), g.weekly(), g.monthly(), g.yearly());
    }

    private void onlyFields(String kind, boolean required, Integer... others) {
        if (!required) {
            throw invalid("retention." + ("KEEP_LAST".equals(kind) ? "count" : "days"), "is required for " + kind);
        }
        for (Integer other : others) {
            if (other != null) {
                throw invalid("retention", kind + " takes only "
                        + switch (kind) {
                            case "KEEP_LAST" -> "count";
                            case "KEEP_DAYS" -> "days";
                            default -> "daily, weekly, monthly, yearly";
                        });
            }
        }
    }

    private static int bounded(String field, int value, int min) {
        if (value < min || value > MAX) {
            throw invalid("retention." + field, "must be between " + min + " and " + MAX);
        }
        return value;
    }

    private static int orZero(String field, Integer value) {
        return value == null ? 0 : bounded(field, value, 0);
    }

    private static CatalogException invalid(String field, String message) {
        return CatalogException.invalidField("invalid-retention", field, message);
    }
}
