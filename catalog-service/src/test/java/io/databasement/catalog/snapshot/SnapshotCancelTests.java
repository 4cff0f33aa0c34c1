package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.BackupCancelled;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cancelling a snapshot: at once when no worker has it, through its worker when one does, never after its end. */
class SnapshotCancelTests {

    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration BACKOFF = Duration.ofSeconds(10);
    final Instant t0 = Instant.parse("2026-11-25T16:00:00Z");

    Snapshot pending() {
        return Snapshot.request(UUID.randomUUID(), UUID.randomUUID(), "srv", "shop", UUID.randomUUID(), "vol",
                "s3://b/p", "zstd", 3, t0);
    }

    Snapshot running(UUID attempt) {
        Snapshot s = pending();
        s.claim(attempt, t0, LEASE);
        s.started(new BackupStarted(s.id(), attempt, "srv/shop/k.sql.zst", "postgresql", "15.20", "pg_dump 15", t0), t0);
        return s;
    }

    @Test
    void aQueuedSnapshotIsCancelledAtOnceAndNoWorkerCanClaimItAfterwards() {
        Snapshot s = pending();
        assertThat(s.cancel("alice", t0.plusSeconds(1))).isEqualTo(Snapshot.Cancel.CANCELLED);
        assertThat(s.status()).isEqualTo(SnapshotStatus.CANCELLED);
        assertThat(s.error()).isEqualTo("cancelled by alice before a worker took it");
        assertThat(s.completedAt()).isEqualTo(t0.plusSeconds(1));
        assertThat(s.claim(UUID.randomUUID(), t0.plusSeconds(2), LEASE)).isEqualTo(Snapshot.Claim.REFUSED);
        assertThat(s.cancel("bob", t0.plusSeconds(3))).isEqualTo(Snapshot.Cancel.TOO_LATE);
    }

    @Test
    void aRunningSnapshotStaysRunningUntilItsWorkerReportsTheAttemptCancelled() {
        UUID a = UUID.randomUUID();
        Snapshot s = running(a);
        assertThat(s.cancel("alice", t0.plusSeconds(5))).isEqualTo(Snapshot.Cancel.REQUESTED);
        assertThat(s.status()).isEqualTo(SnapshotStatus.RUNNING);
        assertThat(s.cancelRequestedAt()).isEqualTo(t0.plusSeconds(5));
        assertThat(s.cancelledBy()).isEqualTo("cancelled by alice");
        assertThat(s.cancel("bob", t0.plusSeconds(6))).as("asking again sends the command again").isEqualTo(Snapshot.Cancel.REQUESTED);
        assertThat(s.cancelRequestedBy()).isEqualTo("alice");

        assertThat(s.cancelled(new BackupCancelled(s.id(), a, "cancelled by alice; pg_dump stopped", t0.plusSeconds(7)),
                t0.plusSeconds(8))).isTrue();
        assertThat(s.status()).isEqualTo(SnapshotStatus.CANCELLED);
        assertThat(s.error()).isEqualTo("cancelled by alice; pg_dump stopped");
        assertThat(s.durationMs()).isEqualTo(7_000L);
        assertThat(s.status().isTerminal()).isTrue();
    }

    @Test
    void aSnapshotThatCompletedBeforeItsWorkerHeardOfTheCancelStaysCompleted() {
        UUID a = UUID.randomUUID();
        Snapshot s = running(a);
        s.cancel("alice", t0.plusSeconds(5));
        assertThat(s.completed(new BackupCompleted(s.id(), a, UUID.randomUUID(), "k", 10, 20, "a".repeat(64), "zstd",
                "postgresql", "15.20", t0, t0.plusSeconds(6), null), t0.plusSeconds(6))).isTrue();
        assertThat(s.status()).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(s.cancelled(new BackupCancelled(s.id(), a, "late", t0.plusSeconds(7)), t0.plusSeconds(7))).isFalse();
        assertThat(s.cancel("alice", t0.plusSeconds(8))).isEqualTo(Snapshot.Cancel.TOO_LATE);
    }

    @Test
    void endedSnapshotsCannotBeCancelled() {
        UUID a = UUID.randomUUID();
        Snapshot s = running(a);
        s.failed(new BackupFailed(s.id(), a, "boom", t0.plusSeconds(1)), t0.plusSeconds(1));
        assertThat(s.cancel("alice", t0.plusSeconds(2))).isEqualTo(Snapshot.Cancel.TOO_LATE);
        assertThat(s.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(s.cancelRequestedAt()).isNull();
    }

    @Test
    void aCancellingSnapshotWhoseWorkerWentSilentIsCancelledNotRetried() {
        UUID a = UUID.randomUUID();
        Snapshot s = running(a);
        s.cancel(null, t0.plusSeconds(10));
        assertThat(s.claim(UUID.randomUUID(), t0.plusSeconds(61), LEASE)).as("no successor for a cancelled job")
                .isEqualTo(Snapshot.Claim.REFUSED);
        assertThat(s.expire(t0.plusSeconds(61), LEASE, 3, BACKOFF)).isEqualTo(Snapshot.Lost.CANCEL);
        assertThat(s.status()).isEqualTo(SnapshotStatus.CANCELLED);
        assertThat(s.error()).startsWith("cancelled; attempt " + a + " sent no heartbeat for 60 s");
    }

    @Test
    void aSnapshotWaitingForItsCommandToBeClaimedAgainIsCancelledAtOnce() {
        UUID a = UUID.randomUUID();
        Snapshot s = running(a);
        assertThat(s.expire(t0.plusSeconds(61), LEASE, 3, BACKOFF)).isEqualTo(Snapshot.Lost.REISSUE);
        assertThat(s.cancel("alice", t0.plusSeconds(62))).isEqualTo(Snapshot.Cancel.CANCELLED);
        assertThat(s.claim(UUID.randomUUID(), t0.plusSeconds(63), LEASE)).isEqualTo(Snapshot.Claim.REFUSED);
    }
}
