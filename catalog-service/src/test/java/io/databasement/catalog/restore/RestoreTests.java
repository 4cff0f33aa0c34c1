package io.databasement.catalog.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.RestoreMode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A restore's life: claims, leases, reports of the current attempt only, status forward only. */
class RestoreTests {

    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration BACKOFF = Duration.ofSeconds(10);
    final Instant t0 = Instant.parse("2026-11-25T16:00:00Z");

    Restore pending() {
        return Restore.request(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "srv", "shop",
                RestoreMode.OTHER_DATABASE, false, "api", "corr", t0);
    }

    @Test
    void theFirstAttemptToClaimRunsTheRestoreAndMayClaimAgainBeforeItsSwap() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        assertThat(r.claim(a, t0, LEASE)).isEqualTo(Restore.Claim.GRANTED);
        assertThat(r.status()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(r.claim(a, t0.plusSeconds(30), LEASE)).isEqualTo(Restore.Claim.ALREADY_HELD);
        assertThat(r.claim(UUID.randomUUID(), t0.plusSeconds(30), LEASE)).isEqualTo(Restore.Claim.REFUSED);
    }

    @Test
    void aSilentAttemptLosesTheRestoreToItsSuccessorOnceTheLeaseRunsOut() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        r.progressed(new RestoreJobProgress(r.id(), a, 10, 100, 20, "loading", t0), t0.plusSeconds(30));
        assertThat(r.claim(UUID.randomUUID(), t0.plusSeconds(89), LEASE)).isEqualTo(Restore.Claim.REFUSED);
        UUID b = UUID.randomUUID();
        assertThat(r.claim(b, t0.plusSeconds(91), LEASE)).isEqualTo(Restore.Claim.GRANTED);
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.isCurrent(a, false)).isFalse();
        assertThat(r.isCurrent(b, false)).isTrue();
    }

    @Test
    void aLostAttemptReopensTheRestoreForTheNextClaimUntilTooManyWereLost() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        assertThat(r.expire(t0.plusSeconds(59), LEASE, 2, BACKOFF)).isEqualTo(Restore.Lost.ALIVE);
        assertThat(r.expire(t0.plusSeconds(61), LEASE, 2, BACKOFF)).isEqualTo(Restore.Lost.REISSUE);
        assertThat(r.status()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(r.isCurrent(a, false)).as("the lost attempt's reports no longer count").isFalse();
        assertThat(r.expire(t0.plusSeconds(200), LEASE, 2, BACKOFF)).as("nobody to blame until the next claim").isEqualTo(Restore.Lost.ALIVE);

        UUID b = UUID.randomUUID();
        assertThat(r.claim(b, t0.plusSeconds(62), LEASE)).as("not during the backoff").isEqualTo(Restore.Claim.REFUSED);
        Instant t1 = t0.plusSeconds(71);
        assertThat(r.retryDue(t1)).isTrue();
        assertThat(r.claim(b, t1, LEASE)).as("the re-sent command is claimed").isEqualTo(Restore.Claim.GRANTED);
        assertThat(r.expire(t1.plusSeconds(61), LEASE, 2, BACKOFF)).isEqualTo(Restore.Lost.FAIL);
        assertThat(r.status()).isEqualTo(RestoreStatus.FAILED);
        assertThat(r.error()).contains("lost").contains(b.toString()).contains("2 attempt(s)");
        assertThat(r.claim(UUID.randomUUID(), t1.plusSeconds(300), LEASE)).isEqualTo(Restore.Claim.REFUSED);
    }

    @Test
    void aRestoreLostAfterItsSwapWasClaimedFailsInsteadOfStartingOverOnATargetThatMayHaveChanged() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        assertThat(r.claim(a, t0.plusSeconds(10), LEASE)).isEqualTo(Restore.Claim.ALREADY_HELD);
        assertThat(r.claim(UUID.randomUUID(), t0.plusSeconds(100), LEASE))
                .as("a redelivered command may not start over once the swap began").isEqualTo(Restore.Claim.REFUSED);
        assertThat(r.expire(t0.plusSeconds(100), LEASE, 3, BACKOFF)).isEqualTo(Restore.Lost.FAIL);
        assertThat(r.status()).isEqualTo(RestoreStatus.FAILED);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.error()).contains("lost during the swap").contains("shop").contains("not retried");
    }

    @Test
    void anUnclaimedRestoreIsAdoptedOnlyByAStartReport() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        assertThat(r.isCurrent(a, false)).isFalse();
        assertThat(r.isCurrent(a, true)).isTrue();
        assertThat(r.started(new RestoreJobStarted(r.id(), a, "stage", "15.20", "psql", t0), t0)).isTrue();
        assertThat(r.status()).isEqualTo(RestoreStatus.IN_PROGRESS);
        assertThat(r.attemptId()).isEqualTo(a);
        assertThat(r.started(new RestoreJobStarted(r.id(), a, "stage", "15.20", "psql", t0.plusSeconds(1)), t0))
                .as("a second start changes nothing").isFalse();
    }

    @Test
    void aFinishedRestoreNeverMovesAgain() {
        Restore r = pending();
        UUID a = UUID.randomUUID();
        r.claim(a, t0, LEASE);
        r.started(new RestoreJobStarted(r.id(), a, "stage", "15.20", "psql", t0), t0);
        assertThat(r.completed(new RestoreJobCompleted(r.id(), a, 100, 300, t0, t0.plusSeconds(3)), t0.plusSeconds(3))).isTrue();
        assertThat(r.durationMs()).isEqualTo(3000);
        assertThat(r.bytesRestored()).isEqualTo(100);
        assertThat(r.failed(new RestoreJobFailed(r.id(), a, "late", false, t0.plusSeconds(4)), t0.plusSeconds(4))).isFalse();
        assertThat(r.progressed(new RestoreJobProgress(r.id(), a, 1, 1, 1, "loading", t0), t0.plusSeconds(5))).isFalse();
        assertThat(r.status()).isEqualTo(RestoreStatus.COMPLETED);
        assertThat(r.error()).isNull();
        assertThat(RestoreStatus.COMPLETED.next()).isEmpty();
        assertThat(RestoreStatus.IN_PROGRESS.canMoveTo(RestoreStatus.PENDING)).isFalse();
    }

    @Test
    void aMajorVersionIsReadFromEitherEnginesVersionString() {
        assertThat(RestoreService.major("15.20").getAsInt()).isEqualTo(15);
        assertThat(RestoreService.major("10.11.19-MariaDB").getAsInt()).isEqualTo(10);
        assertThat(RestoreService.major("PostgreSQL 17.6 on x86_64").getAsInt()).isEqualTo(17);
        assertThat(RestoreService.major(null)).isEmpty();
        assertThat(RestoreService.major("unknown")).isEmpty();
    }
}
