package io.databasement.catalog.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a retention policy keeps and deletes among a schedule's snapshots, and why. Pure: no clock, no database.
 *
 * <p>Each database of a schedule is judged on its own. Only COMPLETED snapshots count toward a policy (a failed
 * one is never "one of the last 7"). Never deleted: the newest completed snapshot, a locked one, one still PENDING
 * or RUNNING, one being verified (until its verification ends), one whose deletion is already under way. A failed snapshot is deleted once a newer completed snapshot
 * of its database exists (until then it stays, so the failure can be read). Periods are calendar periods of the
 * schedule's time zone, by the snapshot's creation time (its tick), and the current period is one of them:
 * "daily 7" is today and the six days before.
 */
public final class RetentionPlan {

    /** A snapshot's state as retention sees it. */
    public enum Kind { OPEN, COMPLETED, FAILED, DELETING }

    /** @param verifying a verification (scratch restore) of it is pending or running: it reads the file */
    public record Candidate(UUID snapshotId, String database, Instant createdAt, Kind kind, boolean locked,
                            boolean verifying) {

        public Candidate(UUID snapshotId, String database, Instant createdAt, Kind kind, boolean locked) {
            this(snapshotId, database, createdAt, kind, locked, false);
        }
    }

    public enum Action { KEEP, DELETE, DELETING }

    public record Decision(UUID snapshotId, String database, Instant createdAt, Kind kind, boolean locked,
                           Action action, String reason) {
    }

    private static final Comparator<Candidate> NEWEST_FIRST = Comparator.comparing(Candidate::createdAt).reversed()
            .thenComparing(Candidate::snapshotId);

    /** Decisions for every candidate: by database name, then newest first. */
    public static List<Decision> plan(List<Candidate> snapshots, Retention retention, Instant now, ZoneId zone) {
        Map<String, List<Candidate>> byDatabase = new TreeMap<>();
        snapshots.forEach(s -> byDatabase.computeIfAbsent(s.database(), d -> new ArrayList<>()).add(s));
        List<Decision> decisions = new ArrayList<>();
        byDatabase.values().forEach(list -> decisions.addAll(planDatabase(list, retention, now, zone)));
        return decisions;
    }

    private static List<Decision> planDatabase(List<Candidate> snapshots, Retention retention, Instant now, ZoneId zone) {
        List<Candidate> sorted = snapshots.stream().sorted(NEWEST_FIRST).toList();
        List<Candidate> completed = sorted.stream().filter(s -> s.kind() == Kind.COMPLETED).toList();
        Candidate newest = completed.isEmpty() ? null : completed.get(0);
        Map<UUID, List<String>> kept = retention == null ? Map.of() : keptByPolicy(completed, retention, now, zone);

        List<Decision> decisions = new ArrayList<>();
        for (Candidate s : sorted) {
            decisions.add(switch (s.kind()) {
                case DELETING -> decide(s, Action.DELETING, "deleting: deletion already requested");
                case OPEN -> decide(s, Action.KEEP, "kept: still pending or running");
                case FAILED -> failed(s, newest);
                case COMPLETED -> completed(s, s == newest, kept.getOrDefault(s.snapshotId(), List.of()), retention);
            });
        }
        return decisions;
    }

    private static Decision completed(Candidate s, boolean newest, List<String> policyReasons, Retention retention) {
        if (retention == null) {
            return decide(s, Action.KEEP, "kept: the schedule keeps everything");
        }
        List<String> reasons = new ArrayList<>();
        if (newest) {
            reasons.add("newest completed");
        }
        reasons.addAll(policyReasons);
        if (s.locked()) {
            reasons.add("locked");
        }
        if (reasons.isEmpty() && s.verifying()) {
            reasons.add("verification in progress");
        }
        if (!reasons.isEmpty()) {
            return decide(s, Action.KEEP, "kept: " + String.join(", ", reasons));
        }
        return decide(s, Action.DELETE, "deleted: " + whyNot(retention));
    }

    private static Decision failed(Candidate s, Candidate newest) {
        if (s.locked()) {
            return decide(s, Action.KEEP, "kept: locked");
        }
        if (newest != null && newest.createdAt().isAfter(s.createdAt())) {
            return decide(s, Action.DELETE, "deleted: failed, a newer completed snapshot exists");
        }
        return decide(s, Action.KEEP, "kept: failed, no newer completed snapshot yet");
    }

    private static String whyNot(Retention retention) {
        if (retention instanceof Retention.KeepLast k) {
            return "beyond the last " + k.count();
        }
        if (retention instanceof Retention.KeepDays k) {
            return "older than " + k.days() + " days";
        }
        return "not the newest of a kept day, week, month or year";
    }

    /** For each completed snapshot the policy keeps, the reasons (in the order daily, weekly, monthly, yearly). */
    private static Map<UUID, List<String>> keptByPolicy(List<Candidate> completed, Retention retention, Instant now,
                                                        ZoneId zone) {
        Map<UUID, List<String>> kept = new HashMap<>();
        if (retention instanceof Retention.KeepLast k) {
            completed.stream().limit(k.count())
                    .forEach(s -> kept.put(s.snapshotId(), List.of("one of the last " + k.count())));
        } else if (retention instanceof Retention.KeepDays k) {
            Instant cutoff = now.minus(Duration.ofDays(k.days()));
            completed.stream().filter(s -> s.createdAt().isAfter(cutoff))
                    .forEach(s -> kept.put(s.snapshotId(), List.of("within the last " + k.days() + " days")));
        } else if (retention instanceof Retention.Gfs g) {
            LocalDate today = LocalDate.ofInstant(now, zone);
            keepNewestPer(completed, zone, kept, g.daily(), "daily", LocalDate::toString,
                    day -> !day.isBefore(today.minusDays(g.daily() - 1L)), Function.identity());
            LocalDate thisWeek = today.with(DayOfWeek.MONDAY);
            keepNewestPer(completed, zone, kept, g.weekly(), "weekly", RetentionPlan::isoWeek,
                    monday -> !monday.isBefore(thisWeek.minusWeeks(g.weekly() - 1L)), day -> day.with(DayOfWeek.MONDAY));
            YearMonth thisMonth = YearMonth.from(today);
            keepNewestPer(completed, zone, kept, g.monthly(), "monthly", YearMonth::toString,
                    month -> !month.isBefore(thisMonth.minusMonths(g.monthly() - 1L)), YearMonth::from);
            int thisYear = today.getYear();
            keepNewestPer(completed, zone, kept, g.yearly(), "yearly", String::valueOf,
                    year -> year > thisYear - g.yearly(), LocalDate::getYear);
        }
        return kept;
    }

    /**
     * Keeps the newest completed snapshot of each period within the window.
     *
     * @param period the period a snapshot's local date falls in (a day, the Monday of its week, a month, a year)
     */
    private static <P> void keepNewestPer(List<Candidate> newestFirst, ZoneId zone, Map<UUID, List<String>> kept,
                                          int count, String label, Function<P, String> name,
                                          Predicate<P> inWindow, Function<LocalDate, P> period) {
        if (count <= 0) {
            return;
        }
        Set<P> taken = new HashSet<>();
        for (Candidate s : newestFirst) {
            P p = period.apply(LocalDate.ofInstant(s.createdAt(), zone));
            if (inWindow.test(p) && taken.add(p)) {
                kept.computeIfAbsent(s.snapshotId(), id -> new ArrayList<>()).add(label + " " + name.apply(p));
            }
        }
    }

    private static String isoWeek(LocalDate monday) {
        return "%d-W%02d".formatted(monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private static Decision decide(Candidate s, Action action, String reason) {
        return new Decision(s.snapshotId(), s.database(), s.createdAt(), s.kind(), s.locked(), action, reason);
    }

    /** Snapshot ids the plan deletes. */
    public static List<UUID> toDelete(List<Decision> decisions) {
        return decisions.stream().filter(d -> d.action() == Action.DELETE).map(Decision::snapshotId).toList();
    }

    private RetentionPlan() {
    }
}
