package io.databasement.catalog.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.RestoreJobCancelled;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreMode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cancelling a restore: at once when queued, through its worker while loading, never once it is swapping. */
class RestoreCancelTests {

    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration BACKOFF = Duration.ofSeconds(10);
    final Instant t0 = Instant.parse("2026-11-25T16:00:00Z");

    Restore pending() {
        return Restore.request(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "srv", "shop",
                RestoreMode.OTHER_DATABASE, false, "api", "corr", t0);
    }

    @Test
    void aQueuedRestoreIsCancelledAtOnceAndNoWorkerCanClaimItAfterwards() {
        Restore r = pending();
        assertThat(r.cancel("alice", t0.plusSeconds(1))).isEqualTo(Restore.Cancel.CANCELLED);
        assertThat(r.status()).isEqualTo(RestoreStatus.CANCELLED);
        assertThat(r.error()).isEqualTo("cancelled by alice before a worker took it");
        assertThat(r.claim(UUID.randomUUID(), t0.plusSeconds(2), LEASE)).isEqualTo(Restore.Claim.REFUSED);
        assertThat(r.cancel("alice", t0.plusSeconds(3))).isEqualTo(Restore.Cancel.TOO_LATE);
    }

    @Test
    void aLoadingRestoreIsCancelledByItsWorkersReport() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        assertThat(r.cancel("alice", t0.plusSeconds(5))).isEqualTo(Restore.Cancel.REQUESTED);
        assertThat(r.status()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(r.cancelled(new RestoreJobCancelled(r.id(), a, "cancelled by alice; psql stopped", t0.plusSeconds(6)),
                t0.plusSeconds(6))).isTrue();
        assertThat(r.status()).isEqualTo(RestoreStatus.CANCELLED);
        assertThat(r.status().isTerminal()).isTrue();
        assertThat(r.error()).isEqualTo("cancelled by alice; psql stopped");
    }

    @Test
    void aCancelBeforeTheSwapClaimEndsTheRestoreAtThatClaim() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        r.cancel("alice", t0.plusSeconds(5));
        assertThat(r.claim(a, t0.plusSeconds(6), LEASE)).as("the worker asks to swap").isEqualTo(Restore.Claim.CANCELLED_BEFORE_SWAP);
        assertThat(r.status()).isEqualTo(RestoreStatus.CANCELLED);
        assertThat(r.error()).isEqualTo("cancelled by alice before the swap; the target was not touched");
        assertThat(r.cancelled(new RestoreJobCancelled(r.id(), a, "late", t0.plusSeconds(7)), t0.plusSeconds(7))).isFalse();
    }

    @Test
    void onceItsWorkerClaimedTheSwapARestoreCannotBeCancelled() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        assertThat(r.claim(a, t0.plusSeconds(5), LEASE)).isEqualTo(Restore.Claim.ALREADY_HELD);
        assertThat(r.swapClaimedAt()).isEqualTo(t0.plusSeconds(5));
        assertThat(r.cancel("alice", t0.plusSeconds(6))).isEqualTo(Restore.Cancel.SWAPPING);
        assertThat(r.cancelRequestedAt()).isNull();
        r.completed(new RestoreJobCompleted(r.id(), a, 10, 20, t0, t0.plusSeconds(7)), t0.plusSeconds(7));
        assertThat(r.status()).isEqualTo(RestoreStatus.COMPLETED);
        assertThat(r.cancel("alice", t0.plusSeconds(8))).isEqualTo(Restore.Cancel.TOO_LATE);
    }

    @Test
    void aCancellingRestoreWhoseWorkerWentSilentIsCancelledNotRetried() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        r.cancel("alice", t0.plusSeconds(10));
        assertThat(r.claim(UUID.randomUUID(), t0.plusSeconds(61), LEASE)).isEqualTo(Restore.Claim.REFUSED);
        assertThat(r.expire(t0.plusSeconds(61), LEASE, 3, BACKOFF)).isEqualTo(Restore.Lost.CANCEL);
        assertThat(r.status()).isEqualTo(RestoreStatus.CANCELLED);
    }
}
