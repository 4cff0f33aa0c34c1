package io.databasement.catalog.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.snapshot.SnapshotEnded;
import io.databasement.catalog.snapshot.SnapshotVerificationEnded;
import io.databasement.contracts.SnapshotVerified;
import io.databasement.contracts.TableMismatch;
import io.databasement.catalog.snapshot.SnapshotRequest;
import io.databasement.catalog.snapshot.SnapshotService;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.ScheduleMissed;
import io.databasement.contracts.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.stream.binder.test.InputDestination;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dead-man's switch on a controllable clock, with two replicas racing, and what a schedule does when its
 * snapshots end: health, webhooks, verification and retention.
 */
class ScheduleAlertsJdbcTests extends CatalogTestSupport {

    static final Instant ARMED = Instant.parse("2036-01-01T10:00:00Z");
    static final String HOOK = "http://127.0.0.1:9/never-called";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    ServerService servers;
    @Autowired
    SnapshotService snapshots;
    @Autowired
    ScheduleStore store;
    @Autowired
    WebhookOutbox webhooks;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    InputDestination input;

    final MutableClock clock = new MutableClock(ARMED);
    final List<HikariDataSource> pools = new ArrayList<>();
    final List<Object> published = new CopyOnWriteArrayList<>();
    final List<UUID> verified = new CopyOnWriteArrayList<>();
    final List<String> deletions = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    /** A replica's watch: its own pool, transactions and meter registry. */
    MissedBackupWatch replicaWatch(MeterRegistry meters) {
        HikariDataSource pool = ScheduleFixtures.replicaDataSource();
        pools.add(pool);
        JdbcClient replicaJdbc = JdbcClient.create(pool);
        return new MissedBackupWatch(new ScheduleStore(replicaJdbc, json), servers, new WebhookOutbox(replicaJdbc, json),
                published::add, new TransactionTemplate(new DataSourceTransactionManager(pool)), clock, meters);
    }

    ScheduleSnapshotListener listener() {
        ScheduleRetention retention = new ScheduleRetention(snapshots, store, ScheduleFixtures.provider(SnapshotDeleter.class,
                (id, reason) -> deletions.add(id + " " + reason)), clock);
        return new ScheduleSnapshotListener(snapshots, store, webhooks, retention,
                ScheduleFixtures.provider(SnapshotVerifier.class, verified::add), tx, clock);
    }

    Schedule daily(Retention retention, boolean verify) {
        Schedule schedule = ScheduleFixtures.schedule(ScheduleFixtures.server(servers), knownVolume().id(),
                List.of("shop"), "0 0 2 * * *", ARMED, Instant.parse("2036-01-02T02:00:00Z"), retention, verify, HOOK);
        store.insert(schedule);
        return schedule;
    }

    /** A snapshot of the schedule that ended as {@code status} at {@code at} (created a minute before). */
    UUID ended(Schedule schedule, String database, String status, Instant at) {
        UUID id = snapshots.request(new SnapshotRequest(schedule.serverId(), database, schedule.volumeId(), null, null),
                schedule.id()).id();
        jdbc.sql("update snapshots set status = ?, created_at = ?, completed_at = ?, error = ? where id = ?")
                .params(status, Timestamp.from(at.minusSeconds(60)), Timestamp.from(at),
                        "FAILED".equals(status) ? "pg_dump: connection refused" : null, id)
                .update();
        return id;
    }

    static SnapshotEnded event(UUID snapshotId, boolean completed) {
        return new TestEnded(snapshotId, completed);
    }

    record TestEnded(UUID snapshotId, boolean completed) implements SnapshotEnded {
        @Override
        public String ceId() {
            return UUID.randomUUID().toString();
        }

        @Override
        public Instant occurredAt() {
            return Instant.now();
        }

        @Override
        public Object payload() {
            return Map.of();
        }

        @Override
        public String key() {
            return snapshotId.toString();
        }

        @Override
        public MessageType<?> messageType() {
            return completed ? MessageTypes.SNAPSHOT_COMPLETED : MessageTypes.SNAPSHOT_FAILED;
        }
    }

    List<JsonNode> deliveries(UUID scheduleId) {
        return jdbc.sql("select body from webhook_deliveries where schedule_id = ? order by created_at, event_type")
                .param(scheduleId).query(String.class).list().stream().map(json::readTree).toList();
    }

    static double episodes(MeterRegistry a, MeterRegistry b) {
        return a.get("dbm.schedule.missed.episodes").counter().count() + b.get("dbm.schedule.missed.episodes").counter().count();
    }

    List<ScheduleMissed> missedEvents(Schedule schedule) {
        return published.stream().map(e -> ((ScheduleMissedEvent) e).payload())
                .filter(m -> m.scheduleId().equals(schedule.id())).toList();
    }

    static double gauge(MeterRegistry meters, Schedule schedule) {
        return meters.get("dbm.schedule.missed").tag("schedule", schedule.name()).gauge().value();
    }

    @Test
    void theLastSuccessGaugeHasTheLastCompletionOfEachScheduleThatHadOne() {
        Schedule succeeded = daily(null, false);
        Schedule never = daily(null, false);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MissedBackupWatch watch = replicaWatch(meters);
        watch.refreshGauge();
        assertThat(meters.find("dbm.schedule.last.success").tag("schedule", succeeded.name()).gauge()).isNull();

        store.completed(succeeded.id(), Instant.parse("2036-01-02T02:04:05Z"));
        store.completed(succeeded.id(), Instant.parse("2036-01-02T01:00:00Z"));
        watch.refreshGauge();

        assertThat(meters.get("dbm.schedule.last.success").tag("schedule", succeeded.name()).gauge().value())
                .isEqualTo(Instant.parse("2036-01-02T02:04:05Z").getEpochSecond());
        assertThat(meters.find("dbm.schedule.last.success").tag("schedule", never.name()).gauge())
                .as("no row rather than a success in 1970").isNull();
        assertThat(meters.scrape()).contains("dbm_schedule_last_success_timestamp_seconds{schedule=\"" + succeeded.name() + "\"} 2.082852245E9");
    }

    @Test
    void aMissedBackupIsAlertedOncePerEpisodeByOneOfTwoReplicasAndEndsWhenASnapshotCompletes() throws Exception {
        Schedule schedule = daily(null, true);
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        MissedBackupWatch a = replicaWatch(metersA);
        MissedBackupWatch b = replicaWatch(metersB);

        // first tick 2036-01-02 02:00 + 30 min grace: not missed yet at 02:29
        clock.set(Instant.parse("2036-01-02T02:29:00Z"));
        assertThat(a.check()).doesNotContain(schedule.id());
        assertThat(store.find(schedule.id()).orElseThrow().health()).isEqualTo(ScheduleHealth.NEW);
        assertThat(gauge(metersA, schedule)).isZero();

        // (the replicas also see other tests' schedules in this database: counts below are of this schedule, or deltas)
        double episodesBefore = episodes(metersA, metersB);
        clock.set(Instant.parse("2036-01-02T02:31:00Z"));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CyclicBarrier together = new CyclicBarrier(2);
        Future<List<UUID>> byA = threads.submit(() -> {
            together.await();
            return a.check();
        });
        Future<List<UUID>> byB = threads.submit(() -> {
            together.await();
            return b.check();
        });
        List<UUID> raisedByA = byA.get();
        List<UUID> raisedByB = byB.get();
        threads.shutdown();
        assertThat(raisedByA.contains(schedule.id()) ^ raisedByB.contains(schedule.id()))
                .as("exactly one replica raised the alert").isTrue();
        assertThat(episodes(metersA, metersB) - episodesBefore).as("one episode counted per alert raised")
                .isEqualTo(raisedByA.size() + raisedByB.size());

        List<ScheduleMissed> missed = missedEvents(schedule);
        assertThat(missed).hasSize(1);
        assertThat(missed.get(0).scheduleName()).isEqualTo(schedule.name());
        assertThat(missed.get(0).databases()).containsExactly("shop");
        assertThat(missed.get(0).serverName()).startsWith("srv-");
        assertThat(missed.get(0).lastCompletedAt()).isNull();
        assertThat(missed.get(0).expectedBy()).isEqualTo(Instant.parse("2036-01-02T02:30:00Z"));
        assertThat(missed.get(0).detectedAt()).isEqualTo(Instant.parse("2036-01-02T02:31:00Z"));

        Schedule state = store.find(schedule.id()).orElseThrow();
        assertThat(state.health()).isEqualTo(ScheduleHealth.MISSED);
        assertThat(state.missedSince()).isEqualTo(Instant.parse("2036-01-02T02:31:00Z"));
        assertThat(ScheduleView.of(state).expectedBy()).isEqualTo(Instant.parse("2036-01-02T02:30:00Z"));
        assertThat(gauge(metersA, schedule)).isEqualTo(1.0);
        assertThat(gauge(metersB, schedule)).as("every replica exports the state from the database").isEqualTo(1.0);

        List<JsonNode> hooks = deliveries(schedule.id());
        assertThat(hooks).hasSize(1);
        JsonNode hook = hooks.get(0);
        assertThat(hook.get("specversion").asString()).isEqualTo("1.0");
        assertThat(hook.get("type").asString()).isEqualTo("io.databasement.schedule.missed.v1");
        assertThat(hook.get("source").asString()).isEqualTo("/catalog-service");
        assertThat(hook.get("subject").asString()).isEqualTo(schedule.id().toString());
        assertThat(hook.get("data").get("expectedBy").asString()).isEqualTo("2036-01-02T02:30:00Z");
        assertThat(hook.toString()).doesNotContainIgnoringCase("password").doesNotContain("v1:");

        // still missed ten minutes later: no second alert
        clock.set(Instant.parse("2036-01-02T02:41:00Z"));
        assertThat(a.check()).doesNotContain(schedule.id());
        assertThat(b.check()).doesNotContain(schedule.id());
        assertThat(missedEvents(schedule)).hasSize(1);

        // the backup completes at 02:45: OK again, recovery told, verification asked for
        UUID done = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-02T02:45:00Z"));
        listener().on(event(done, true));
        state = store.find(schedule.id()).orElseThrow();
        assertThat(state.health()).isEqualTo(ScheduleHealth.OK);
        assertThat(state.missedSince()).isNull();
        assertThat(state.lastCompletedAt()).isEqualTo(Instant.parse("2036-01-02T02:45:00Z"));
        assertThat(verified).containsExactly(done);
        assertThat(deliveries(schedule.id())).extracting(h -> h.get("type").asString())
                .containsExactly("io.databasement.schedule.missed.v1", "io.databasement.schedule.recovered.v1");
        a.check();
        assertThat(gauge(metersA, schedule)).isZero();

        // next deadline: 02:45 + one day + 30 min grace
        clock.set(Instant.parse("2036-01-03T03:14:00Z"));
        assertThat(a.check()).doesNotContain(schedule.id());
        clock.set(Instant.parse("2036-01-03T03:16:00Z"));
        assertThat(a.check()).contains(schedule.id());
        assertThat(store.find(schedule.id()).orElseThrow().missedDeadline()).isEqualTo(Instant.parse("2036-01-03T03:15:00Z"));
        assertThat(missedEvents(schedule)).as("a new episode, a new alert").hasSize(2);
    }

    @Test
    void aFailedScheduledSnapshotMakesTheScheduleFailingAndTellsTheWebhook() {
        Schedule schedule = daily(null, false);
        UUID failed = ended(schedule, "shop", "FAILED", Instant.parse("2036-01-02T02:05:00Z"));

        listener().on(event(failed, false));

        Schedule state = store.find(schedule.id()).orElseThrow();
        assertThat(state.health()).isEqualTo(ScheduleHealth.FAILING);
        assertThat(state.lastFailedAt()).isEqualTo(Instant.parse("2036-01-02T02:05:00Z"));
        JsonNode hook = deliveries(schedule.id()).get(0);
        assertThat(hook.get("type").asString()).isEqualTo("io.databasement.snapshot.failed.v1");
        assertThat(hook.get("data").get("snapshotId").asString()).isEqualTo(failed.toString());
        assertThat(hook.get("data").get("reason").asString()).isEqualTo("pg_dump: connection refused");
        assertThat(verified).isEmpty();

        // a completion afterwards is OK again
        UUID done = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-03T02:05:00Z"));
        listener().on(event(done, true));
        assertThat(store.find(schedule.id()).orElseThrow().health()).isEqualTo(ScheduleHealth.OK);
    }

    @Test
    void aScheduledSnapshotThatFailsVerificationMakesTheScheduleFailingAndTellsTheWebhookWhichTables() {
        Schedule schedule = daily(null, true);
        UUID done = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-02T02:05:00Z"));
        listener().on(event(done, true));
        assertThat(verified).containsExactly(done);
        Instant verifiedAt = Instant.parse("2036-01-02T02:07:00Z");
        TableMismatch emptied = new TableMismatch("public.orders", 12L, 0L, "00000000000000aa", "0000000000000000");

        listener().on(new TestVerified(new SnapshotVerified(done, schedule.serverId(), "srv", "shop", "srv", false, 2, 15,
                List.of(emptied), null, verifiedAt, 900)));

        Schedule state = store.find(schedule.id()).orElseThrow();
        assertThat(state.health()).isEqualTo(ScheduleHealth.FAILING);
        assertThat(state.lastFailedAt()).isEqualTo(verifiedAt);
        JsonNode hook = deliveries(schedule.id()).get(0);
        assertThat(hook.get("type").asString()).isEqualTo("io.databasement.snapshot.verified.v1");
        assertThat(hook.get("data").get("passed").asBoolean()).isFalse();
        assertThat(hook.get("data").get("mismatches").get(0).get("table").asString()).isEqualTo("public.orders");
    }

    @Test
    void aPassedVerificationChangesNothing() {
        Schedule schedule = daily(null, true);
        UUID done = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-02T02:05:00Z"));
        listener().on(event(done, true));

        listener().on(new TestVerified(new SnapshotVerified(done, schedule.serverId(), "srv", "shop", "srv", true, 2, 15,
                List.of(), null, Instant.parse("2036-01-02T02:07:00Z"), 900)));

        assertThat(store.find(schedule.id()).orElseThrow().health()).isEqualTo(ScheduleHealth.OK);
        assertThat(deliveries(schedule.id())).isEmpty();
    }

    record TestVerified(SnapshotVerified payload) implements SnapshotVerificationEnded {
        @Override
        public String ceId() {
            return UUID.randomUUID().toString();
        }

        @Override
        public Instant occurredAt() {
            return Instant.now();
        }

        @Override
        public String key() {
            return payload.snapshotId().toString();
        }

        @Override
        public MessageType<?> messageType() {
            return MessageTypes.SNAPSHOT_VERIFIED;
        }
    }

    @Test
    void retentionDeletesWhatThePreviewSaidAfterACompletedSnapshot() {
        Schedule schedule = daily(new Retention.KeepLast(2), false);
        clock.set(Instant.parse("2036-01-06T12:00:00Z"));
        UUID day1 = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-02T02:05:00Z"));
        UUID day2 = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-03T02:05:00Z"));
        UUID day3failed = ended(schedule, "shop", "FAILED", Instant.parse("2036-01-04T02:05:00Z"));
        UUID day4 = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-05T02:05:00Z"));
        jdbc.sql("update snapshots set locked = true where id = ?").param(day1).update();
        UUID day5 = ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-06T02:05:00Z"));

        ScheduleRetention retention = new ScheduleRetention(snapshots, store, ScheduleFixtures.provider(SnapshotDeleter.class,
                (id, reason) -> deletions.add(id + " " + reason)), clock);
        List<RetentionPlan.Decision> preview = retention.plan(store.find(schedule.id()).orElseThrow(), clock.instant());
        assertThat(preview).extracting(RetentionPlan.Decision::snapshotId).containsExactly(day5, day4, day3failed, day2, day1);
        assertThat(preview).extracting(RetentionPlan.Decision::reason).containsExactly(
                "kept: newest completed, one of the last 2", "kept: one of the last 2",
                "deleted: failed, a newer completed snapshot exists", "deleted: beyond the last 2",
                "kept: locked");

        listener().on(event(day5, true));

        String name = schedule.name();
        assertThat(deletions).containsExactlyInAnyOrder(
                day3failed + " retention of schedule '" + name + "': deleted: failed, a newer completed snapshot exists",
                day2 + " retention of schedule '" + name + "': deleted: beyond the last 2");
    }

    @Test
    void withoutADeleterRetentionIsSkippedAndNothingBreaks() {
        Schedule schedule = daily(new Retention.KeepLast(1), false);
        ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-02T02:05:00Z"));
        ended(schedule, "shop", "COMPLETED", Instant.parse("2036-01-03T02:05:00Z"));
        ScheduleRetention none = new ScheduleRetention(snapshots, store, ScheduleFixtures.provider(SnapshotDeleter.class, null), clock);

        assertThat(none.apply(store.find(schedule.id()).orElseThrow())).isEmpty();
        assertThat(none.plan(store.find(schedule.id()).orElseThrow(), Instant.parse("2036-01-04T00:00:00Z")))
                .extracting(RetentionPlan.Decision::action).containsExactly(RetentionPlan.Action.KEEP, RetentionPlan.Action.DELETE);
    }

    @Test
    void theApplicationsListenerMarksTheScheduleOkWhenABackupReportCompletesItsSnapshot() throws Exception {
        Schedule schedule = daily(null, false);
        UUID snapshotId = snapshots.request(new SnapshotRequest(schedule.serverId(), "shop", schedule.volumeId(), null, null),
                schedule.id()).id();
        UUID attempt = UUID.randomUUID();
        Instant started = Instant.parse("2036-01-02T02:00:05Z");
        Instant completed = Instant.parse("2036-01-02T02:03:00Z");
        report(MessageTypes.BACKUP_STARTED, new BackupStarted(snapshotId, attempt, "srv/shop/x.sql.zst", "postgresql",
                "15.20", "pg_dump 15.20", started));
        report(MessageTypes.BACKUP_COMPLETED, new BackupCompleted(snapshotId, attempt, schedule.volumeId(),
                "srv/shop/x.sql.zst", 42, 4200, "ab".repeat(32), "zstd", "postgresql", "15.20", started, completed, List.of()));

        assertThat(snapshots.find(snapshotId).orElseThrow().status().name()).isEqualTo("COMPLETED");
        // the listener runs after the projection's commit (on Modulith's async executor)
        Schedule state = store.find(schedule.id()).orElseThrow();
        for (int i = 0; i < 100 && state.health() != ScheduleHealth.OK; i++) {
            Thread.sleep(100);
            state = store.find(schedule.id()).orElseThrow();
        }
        assertThat(state.health()).isEqualTo(ScheduleHealth.OK);
        assertThat(state.lastCompletedAt()).isNotNull();
    }

    void report(MessageType<?> type, Object payload) {
        input.send(MessageBuilder.withPayload(json.writeValueAsBytes(payload))
                .setHeader("ce_id", UUID.randomUUID().toString())
                .setHeader("ce_type", type.ceType())
                .setHeader("ce_specversion", "1.0")
                .setHeader("ce_source", "/test")
                .build(), Topics.BACKUP_REPORTS);
    }
}
