package io.databasement.catalog.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.catalog.schedule.RetentionPlan.Action;
import io.databasement.catalog.schedule.RetentionPlan.Candidate;
import io.databasement.catalog.schedule.RetentionPlan.Decision;
import io.databasement.catalog.schedule.RetentionPlan.Kind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A year of daily snapshots (2025-11-26 … 2026-11-25, one at 02:00 UTC each day), judged on Wednesday
 * 2026-11-25 at 12:00 UTC.
 */
class RetentionPlanTests {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final LocalDate FIRST = LocalDate.parse("2025-11-26");
    static final LocalDate LAST = LocalDate.parse("2026-11-25");

    static Candidate at(String database, Instant createdAt, Kind kind, boolean locked) {
        return new Candidate(UUID.randomUUID(), database, createdAt, kind, locked);
    }

    static Candidate daily(LocalDate day, Kind kind, boolean locked) {
        return at("shop", day.atTime(2, 0).toInstant(ZoneOffset.UTC), kind, locked);
    }

    /** One COMPLETED snapshot per day of the year. */
    static List<Candidate> year() {
        List<Candidate> all = new ArrayList<>();
        for (LocalDate d = FIRST; !d.isAfter(LAST); d = d.plusDays(1)) {
            all.add(daily(d, Kind.COMPLETED, false));
        }
        return all;
    }

    /** The kept snapshots' days (UTC), each with its reason. */
    static Map<LocalDate, String> kept(List<Decision> plan) {
        Map<LocalDate, String> kept = new LinkedHashMap<>();
        plan.stream().filter(d -> d.action() == Action.KEEP)
                .forEach(d -> kept.put(LocalDate.ofInstant(d.createdAt(), UTC), d.reason()));
        return kept;
    }

    static List<LocalDate> days(String... isoDates) {
        return java.util.Arrays.stream(isoDates).map(LocalDate::parse).toList();
    }

    @Test
    void keepLastKeepsTheSevenNewestCompletedAndSaysWhyTheOthersGo() {
        List<Decision> plan = RetentionPlan.plan(year(), new Retention.KeepLast(7), NOW, UTC);

        assertThat(plan).hasSize(365);
        Map<LocalDate, String> kept = kept(plan);
        assertThat(kept.keySet()).containsExactly(days("2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22",
                "2026-11-21", "2026-11-20", "2026-11-19").toArray(LocalDate[]::new));
        assertThat(kept.get(LAST)).isEqualTo("kept: newest completed, one of the last 7");
        assertThat(kept.get(LocalDate.parse("2026-11-19"))).isEqualTo("kept: one of the last 7");
        assertThat(plan.stream().filter(d -> d.action() == Action.DELETE))
                .hasSize(358).allSatisfy(d -> assertThat(d.reason()).isEqualTo("deleted: beyond the last 7"));
    }

    @Test
    void failedSnapshotsDoNotCountTowardTheLastNAndGoOnceANewerOneCompleted() {
        List<Candidate> snapshots = new ArrayList<>(year());
        // yesterday's second run failed; today's 03:00 run failed after the 02:00 one completed... and a later retry
        Candidate failedYesterday = at("shop", Instant.parse("2026-11-24T03:00:00Z"), Kind.FAILED, false);
        Candidate failedLatest = at("shop", Instant.parse("2026-11-25T03:00:00Z"), Kind.FAILED, false);
        Candidate lockedOld = daily(LocalDate.parse("2026-03-15"), Kind.COMPLETED, true);
        Candidate lockedFailed = at("shop", Instant.parse("2026-05-01T03:00:00Z"), Kind.FAILED, true);
        snapshots.removeIf(c -> LocalDate.ofInstant(c.createdAt(), UTC).equals(LocalDate.parse("2026-03-15")));
        snapshots.addAll(List.of(failedYesterday, failedLatest, lockedOld, lockedFailed));

        Map<UUID, Decision> plan = RetentionPlan.plan(snapshots, new Retention.KeepLast(7), NOW, UTC).stream()
                .collect(Collectors.toMap(Decision::snapshotId, d -> d));

        long keptCompleted = plan.values().stream().filter(d -> d.kind() == Kind.COMPLETED && d.action() == Action.KEEP).count();
        assertThat(keptCompleted).as("the 7 newest completed + the locked one").isEqualTo(8);
        assertThat(plan.get(failedYesterday.snapshotId()).action()).isEqualTo(Action.DELETE);
        assertThat(plan.get(failedYesterday.snapshotId()).reason()).isEqualTo("deleted: failed, a newer completed snapshot exists");
        assertThat(plan.get(failedLatest.snapshotId()).action()).isEqualTo(Action.KEEP);
        assertThat(plan.get(failedLatest.snapshotId()).reason()).isEqualTo("kept: failed, no newer completed snapshot yet");
        assertThat(plan.get(lockedOld.snapshotId()).reason()).isEqualTo("kept: locked");
        assertThat(plan.get(lockedFailed.snapshotId()).reason()).isEqualTo("kept: locked");
        // 2026-11-19 is still the 7th newest completed: the failed runs took nobody's place
        assertThat(kept(List.copyOf(plan.values()))).containsKey(LocalDate.parse("2026-11-19"))
                .doesNotContainKey(LocalDate.parse("2026-11-18"));
    }

    @Test
    void keepDaysKeepsWhatIsYoungerThanThirtyDays() {
        List<Decision> plan = RetentionPlan.plan(year(), new Retention.KeepDays(30), NOW, UTC);

        Map<LocalDate, String> kept = kept(plan);
        // cutoff 2026-10-26T12:00Z: 10-27 02:00 is inside, 10-26 02:00 is not
        assertThat(kept).hasSize(30);
        assertThat(kept.keySet()).contains(LocalDate.parse("2026-10-27"), LAST)
                .doesNotContain(LocalDate.parse("2026-10-26"));
        assertThat(kept.get(LocalDate.parse("2026-10-27"))).isEqualTo("kept: within the last 30 days");
        assertThat(plan.stream().filter(d -> d.action() == Action.DELETE))
                .hasSize(335).allSatisfy(d -> assertThat(d.reason()).isEqualTo("deleted: older than 30 days"));
    }

    @Test
    void keepDaysStillKeepsTheNewestCompletedWhenEverythingIsOld() {
        List<Candidate> old = List.of(daily(LocalDate.parse("2026-01-01"), Kind.COMPLETED, false),
                daily(LocalDate.parse("2026-01-02"), Kind.COMPLETED, false));

        List<Decision> plan = RetentionPlan.plan(old, new Retention.KeepDays(30), NOW, UTC);

        assertThat(plan.get(0).action()).isEqualTo(Action.KEEP);
        assertThat(plan.get(0).reason()).isEqualTo("kept: newest completed");
        assertThat(plan.get(1).action()).isEqualTo(Action.DELETE);
    }

    @Test
    void gfsKeepsSevenDaysFourWeeksAndTwelveMonthsCountingTheCurrentOnes() {
        List<Decision> plan = RetentionPlan.plan(year(), new Retention.Gfs(7, 4, 12, 0), NOW, UTC);

        Map<LocalDate, String> kept = kept(plan);
        assertThat(kept.keySet()).containsExactlyInAnyOrderElementsOf(days(
                // daily: today and the six days before
                "2026-11-25", "2026-11-24", "2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20", "2026-11-19",
                // weekly: Sundays ending the three ISO weeks before this one (this week's newest is today)
                "2026-11-15", "2026-11-08",
                // monthly: the last day of the eleven months before this one (and today for this month)
                "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30",
                "2026-03-31", "2026-02-28", "2026-01-31", "2025-12-31"));
        assertThat(kept.get(LAST)).isEqualTo("kept: newest completed, daily 2026-11-25, weekly 2026-W48, monthly 2026-11");
        assertThat(kept.get(LocalDate.parse("2026-11-22"))).isEqualTo("kept: daily 2026-11-22, weekly 2026-W47");
        assertThat(kept.get(LocalDate.parse("2026-11-08"))).isEqualTo("kept: weekly 2026-W45");
        assertThat(kept.get(LocalDate.parse("2026-02-28"))).isEqualTo("kept: monthly 2026-02");
        assertThat(plan.stream().filter(d -> d.action() == Action.DELETE)).hasSize(365 - 20)
                .allSatisfy(d -> assertThat(d.reason()).isEqualTo("deleted: not the newest of a kept day, week, month or year"));
        // the first days of the year: November 2025 is outside the 12 months, so its snapshots go
        assertThat(kept).doesNotContainKey(LocalDate.parse("2025-11-30"));
    }

    @Test
    void gfsYearlyKeepsTheNewestOfEachOfTheLastYears() {
        List<Decision> plan = RetentionPlan.plan(year(), new Retention.Gfs(0, 0, 3, 2), NOW, UTC);

        Map<LocalDate, String> kept = kept(plan);
        assertThat(kept.keySet()).containsExactlyInAnyOrderElementsOf(days("2026-11-25", "2026-10-31", "2026-09-30",
                "2025-12-31"));
        assertThat(kept.get(LocalDate.parse("2025-12-31"))).isEqualTo("kept: yearly 2025");
        assertThat(kept.get(LAST)).isEqualTo("kept: newest completed, monthly 2026-11, yearly 2026");
    }

    @Test
    void gfsDaysAreCalendarDaysOfTheSchedulesTimeZone() {
        // 23:30 UTC on the 24th is 00:30 on the 25th in Paris
        Candidate lateEvening = at("shop", Instant.parse("2026-11-24T23:30:00Z"), Kind.COMPLETED, false);
        Candidate earlier = at("shop", Instant.parse("2026-11-24T22:00:00Z"), Kind.COMPLETED, false);
        List<Candidate> both = List.of(lateEvening, earlier);

        List<Decision> paris = RetentionPlan.plan(both, new Retention.Gfs(2, 0, 0, 0), NOW, ZoneId.of("Europe/Paris"));
        List<Decision> utc = RetentionPlan.plan(both, new Retention.Gfs(2, 0, 0, 0), NOW, UTC);

        assertThat(paris).extracting(Decision::reason)
                .containsExactly("kept: newest completed, daily 2026-11-25", "kept: daily 2026-11-24");
        assertThat(utc).extracting(Decision::reason).containsExactly("kept: newest completed, daily 2026-11-24",
                "deleted: not the newest of a kept day, week, month or year");
    }

    @Test
    void eachDatabaseIsPrunedOnItsOwn() {
        List<Candidate> snapshots = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            snapshots.add(at("shop", NOW.minusSeconds(3600L * (i + 1)), Kind.COMPLETED, false));
            snapshots.add(at("crm", NOW.minusSeconds(86_400L * (i + 1)), Kind.COMPLETED, false));
        }

        List<Decision> plan = RetentionPlan.plan(snapshots, new Retention.KeepLast(2), NOW, UTC);

        assertThat(plan.stream().filter(d -> d.action() == Action.KEEP).collect(
                Collectors.groupingBy(Decision::database, Collectors.counting()))).containsEntry("shop", 2L).containsEntry("crm", 2L);
        assertThat(plan).extracting(Decision::database).startsWith("crm").endsWith("shop");
    }

    @Test
    void aSnapshotBeingVerifiedIsKeptUntilItsVerificationEnds() {
        List<Candidate> snapshots = new ArrayList<>(year());
        Candidate verifying = new Candidate(UUID.randomUUID(), "shop", Instant.parse("2026-11-24T12:00:00Z"),
                Kind.COMPLETED, false, true);
        snapshots.add(verifying);

        Map<UUID, Decision> plan = RetentionPlan.plan(snapshots, new Retention.KeepLast(1), NOW, UTC).stream()
                .collect(Collectors.toMap(Decision::snapshotId, d -> d));

        assertThat(plan.get(verifying.snapshotId()).action()).isEqualTo(Action.KEEP);
        assertThat(plan.get(verifying.snapshotId()).reason()).isEqualTo("kept: verification in progress");
        assertThat(plan.values().stream().filter(d -> d.action() == Action.KEEP)).hasSize(2);
    }

    @Test
    void runningAndDeletingSnapshotsAreNeverDeletedAndNoPolicyKeepsEverything() {
        List<Candidate> snapshots = new ArrayList<>(year());
        Candidate running = at("shop", NOW, Kind.OPEN, false);
        Candidate deleting = daily(LocalDate.parse("2025-11-20"), Kind.DELETING, false);
        snapshots.add(running);
        snapshots.add(deleting);

        Map<UUID, Decision> plan = RetentionPlan.plan(snapshots, new Retention.KeepLast(1), NOW, UTC).stream()
                .collect(Collectors.toMap(Decision::snapshotId, d -> d));
        assertThat(plan.get(running.snapshotId()).action()).isEqualTo(Action.KEEP);
        assertThat(plan.get(running.snapshotId()).reason()).isEqualTo("kept: still pending or running");
        assertThat(plan.get(deleting.snapshotId()).action()).isEqualTo(Action.DELETING);
        assertThat(RetentionPlan.toDelete(List.copyOf(plan.values()))).doesNotContain(running.snapshotId(), deleting.snapshotId())
                .hasSize(364);

        List<Decision> keepAll = RetentionPlan.plan(year(), null, NOW, UTC);
        assertThat(keepAll).allSatisfy(d -> {
            assertThat(d.action()).isEqualTo(Action.KEEP);
            assertThat(d.reason()).isEqualTo("kept: the schedule keeps everything");
        });
    }
}
