package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.messaging.Housekeeping;
import io.databasement.catalog.messaging.ProcessedMessages;
import io.databasement.catalog.volume.Volume;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupStarted;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Persistence against the real catalog schema (Flyway) on a real PostgreSQL. */
class SnapshotJdbcTests extends CatalogTestSupport {

    @Autowired
    SnapshotRepository snapshots;
    @Autowired
    ProcessedMessages processed;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Housekeeping housekeeping;

    final Instant t0 = Instant.parse("2026-11-25T16:00:00.123456Z");

    Snapshot newSnapshot(String database) {
        return Snapshot.request(UUID.randomUUID(), null, "srv", database, UUID.randomUUID(), "vol", "/var/backups",
                "zstd", 3, t0);
    }

    @Test
    void aCompletedSnapshotReadsBackWithEveryField() {
        Snapshot s = newSnapshot("it's; \"odd\" name");
        UUID a = UUID.randomUUID();
        s.claim(a, t0, Duration.ofSeconds(60));
        s.started(new BackupStarted(s.id(), a, "srv/x.sql.zst", "postgresql", "15.20", "pg_dump 15.20", t0), t0);
        s.completed(new BackupCompleted(s.id(), a, s.volumeId(), "srv/x.sql.zst", 42, 4200, "ab".repeat(32), "zstd",
                "postgresql", "15.20", t0, t0.plusSeconds(5)), t0.plusSeconds(5));
        snapshots.save(s);

        Snapshot read = snapshots.findById(s.id()).orElseThrow();
        assertThat(read).usingRecursiveComparison().ignoringFields("version").isEqualTo(s);
        assertThat(read.database()).isEqualTo("it's; \"odd\" name");
        assertThat(read.startedAt()).isEqualTo(t0);
        assertThat(read.status()).isEqualTo(SnapshotStatus.COMPLETED);
    }

    @Test
    void concurrentChangesToOneSnapshotDoNotBothWin() {
        Snapshot s = snapshots.save(newSnapshot("shop"));
        Snapshot first = snapshots.findById(s.id()).orElseThrow();
        Snapshot second = snapshots.findById(s.id()).orElseThrow();
        first.claim(UUID.randomUUID(), t0, Duration.ofSeconds(60));
        second.claim(UUID.randomUUID(), t0, Duration.ofSeconds(60));
        snapshots.save(first);
        assertThatThrownBy(() -> snapshots.save(second)).isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(snapshots.findById(s.id()).orElseThrow().attemptId()).isEqualTo(first.attemptId());
    }

    @Test
    void aMessageIdIsProcessedOnlyOnce() {
        String id = UUID.randomUUID().toString();
        Boolean first = tx.execute(status -> processed.markProcessed(id, "t", Instant.now()));
        Boolean again = tx.execute(status -> processed.markProcessed(id, "t", Instant.now()));
        assertThat(first).isTrue();
        assertThat(again).isFalse();
    }

    @Test
    void housekeepingForgetsOnlyMessageIdsOlderThanTheRetention() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        tx.executeWithoutResult(status -> {
            processed.markProcessed(old, "t", Instant.now().minus(Duration.ofDays(8)));
            processed.markProcessed(recent, "t", Instant.now().minus(Duration.ofDays(6)));
        });
        housekeeping.purge();
        Boolean oldAgain = tx.execute(status -> processed.markProcessed(old, "t", Instant.now()));
        Boolean recentAgain = tx.execute(status -> processed.markProcessed(recent, "t", Instant.now()));
        assertThat(oldAgain).as("forgotten, so it would be applied again").isTrue();
        assertThat(recentAgain).as("still remembered").isFalse();
    }

    @Test
    void anOlderVolumeStateNeverOverwritesANewerOne() {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        volumes.upsert(new Volume(id, "new", "local", "/new", now));
        volumes.upsert(new Volume(id, "old", "local", "/old", now.minusSeconds(10)));
        assertThat(volumes.find(id).orElseThrow().name()).isEqualTo("new");
        volumes.upsert(new Volume(id, "newer", "local", "/newer", now.plusSeconds(10)));
        assertThat(volumes.find(id).orElseThrow().location()).isEqualTo("/newer");
        volumes.delete(id);
        assertThat(volumes.find(id)).isEmpty();
    }

    @Test
    void theSchemaRefusesAnUnknownStatus() {
        Snapshot s = snapshots.save(newSnapshot("shop"));
        assertThatThrownBy(() -> jdbc.sql("update snapshots set status = 'DONE' where id = ?").param(s.id()).update())
                .hasMessageContaining("check");
    }
}
