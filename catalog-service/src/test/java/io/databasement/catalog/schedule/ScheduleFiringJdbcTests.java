package io.databasement.catalog.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.snapshot.SnapshotService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two catalog replicas, each with its own connection pool and firing component, race on the same PostgreSQL
 * database for the same due schedule.
 */
class ScheduleFiringJdbcTests extends CatalogTestSupport {

    static final Instant T0 = Instant.parse("2036-01-01T00:00:00Z");

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

    final List<HikariDataSource> pools = new ArrayList<>();
    final MutableClock clock = new MutableClock(T0);
    ScheduleFiring replicaA;
    ScheduleFiring replicaB;

    @BeforeEach
    void replicas() {
        replicaA = replica();
        replicaB = replica();
    }

    ScheduleFiring replica() {
        HikariDataSource pool = ScheduleFixtures.replicaDataSource();
        pools.add(pool);
        return new ScheduleFiring(new ScheduleStore(JdbcClient.create(pool), json), snapshots, clock);
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    long snapshotsOf(UUID scheduleId, String database) {
        return jdbc.sql("select count(*) from snapshots where schedule_id = ? and database_name = ?")
                .params(scheduleId, database).query(Long.class).single();
    }

    @Test
    void twoReplicasFireEachTickExactlyOnce() throws Exception {
        UUID serverId = ScheduleFixtures.server(servers);
        Schedule schedule = ScheduleFixtures.schedule(serverId, knownVolume().id(), List.of("shop", "crm"), "0 * * * * *",
                T0.minusSeconds(30), T0, null, false, null);
        store.insert(schedule);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        int ticks = 25;
        try {
            for (int i = 0; i < ticks; i++) {
                Instant tick = T0.plus(Duration.ofMinutes(i));
                // both replicas poll a moment after the tick, at the same time
                clock.set(tick.plusMillis(300));
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<Boolean> a = () -> {
                    together.await();
                    return replicaA.fireDue().contains(schedule.id());
                };
                Callable<Boolean> b = () -> {
                    together.await();
                    return replicaB.fireDue().contains(schedule.id());
                };
                Future<Boolean> firedA = threads.submit(a);
                Future<Boolean> firedB = threads.submit(b);
                assertThat(firedA.get() ^ firedB.get()).as("exactly one replica fired tick %s", tick).isTrue();
                assertThat(snapshotsOf(schedule.id(), "shop")).as("snapshots of shop after tick %d", i).isEqualTo(i + 1);
                assertThat(snapshotsOf(schedule.id(), "crm")).as("snapshots of crm after tick %d", i).isEqualTo(i + 1);
                Schedule after = store.find(schedule.id()).orElseThrow();
                assertThat(after.nextFireAt()).isEqualTo(tick.plus(Duration.ofMinutes(1)));
                assertThat(after.lastFiredAt()).isEqualTo(tick);
            }
        } finally {
            threads.shutdownNow();
        }
        // a poll before the next tick fires nothing
        clock.set(T0.plus(Duration.ofMinutes(ticks)).minusSeconds(1));
        assertThat(replicaA.fireDue()).doesNotContain(schedule.id());
        assertThat(snapshotsOf(schedule.id(), "shop")).isEqualTo(ticks);
    }

    @Test
    void ticksMissedWhileEveryCatalogWasDownFireOnceAtStartUp() {
        UUID serverId = ScheduleFixtures.server(servers);
        Schedule schedule = ScheduleFixtures.schedule(serverId, knownVolume().id(), List.of("shop"), "0 * * * * *",
                T0.minusSeconds(30), T0, null, false, null);
        store.insert(schedule);

        // down from T0 to T0 + 10 min 20 s: eleven ticks passed
        clock.set(T0.plus(Duration.ofMinutes(10)).plusSeconds(20));
        assertThat(replicaA.fireDue()).contains(schedule.id());
        assertThat(replicaB.fireDue()).doesNotContain(schedule.id());

        assertThat(snapshotsOf(schedule.id(), "shop")).isEqualTo(1);
        assertThat(store.find(schedule.id()).orElseThrow().nextFireAt()).isEqualTo(T0.plus(Duration.ofMinutes(11)));
    }

    @Test
    void aDisabledScheduleDoesNotFire() {
        UUID serverId = ScheduleFixtures.server(servers);
        Schedule enabled = ScheduleFixtures.schedule(serverId, knownVolume().id(), List.of("shop"), "0 * * * * *",
                T0.minusSeconds(30), T0, null, false, null);
        store.insert(enabled);
        jdbc.sql("update schedules set enabled = false where id = ?").param(enabled.id()).update();

        clock.set(T0.plusSeconds(5));
        assertThat(replicaA.fireDue()).doesNotContain(enabled.id());
        assertThat(snapshotsOf(enabled.id(), "shop")).isZero();
    }
}
