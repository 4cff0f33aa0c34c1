package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.BackupStarted;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SnapshotTests {

    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration BACKOFF = Duration.ofSeconds(10);
    final Instant t0 = Instant.parse("2026-11-25T16:00:00Z");

    Snapshot pending() {
        return Snapshot.request(UUID.randomUUID(), UUID.randomUUID(), "srv", "shop", UUID.randomUUID(), "vol",
                "s3://b/p", "zstd", 3, t0);
    }

    @Test
    void aSnapshotKeepsTheTraceOfItsRequestAndItsCommandCarriesIt() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Snapshot s;
        try (Scope request = Context.root().with(Span.wrap(SpanContext.create(trace, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault()))).makeCurrent()) {
            s = pending();
        }
        Snapshot untraced = pending();

        assertThat(s.traceParent()).isEqualTo("00-" + trace + "-00f067aa0ba902b7-01");
        assertThat(untraced.traceParent()).as("asked outside a trace").isNull();
        // sent later, from another trace (the report that released it from the queue): still its own
        try (Scope report = Context.root().with(Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault()))).makeCurrent()) {
            BackupRequestedEvent command = new BackupRequestedEvent(UUID.randomUUID().toString(), t0, backup(s), s.traceParent());
            assertThat(command.headers()).containsEntry("traceparent", s.traceParent()).containsKey("ce_id");
        }
        assertThat(new BackupRequestedEvent("ce", t0, backup(untraced), untraced.traceParent()).headers())
                .doesNotContainKey("traceparent").containsKey("ce_id");
    }

    private BackupRequested backup(Snapshot s) {
        return new BackupRequested(s.id(), s.serverId(), "srv", null, s.database(), s.volumeId(), "zstd", 3, t0);
    }

    @Test
    void aPendingJobGoesToTheFirstAttemptThatClaimsIt() {
        Snapshot s = pending();
        UUID a = UUID.randomUUID();
        assertThat(s.claim(a, t0, LEASE)).isEqualTo(Snapshot.Claim.GRANTED);
        assertThat(s.status()).isEqualTo(SnapshotStatus.RUNNING);
        assertThat(s.attemptId()).isEqualTo(a);
        assertThat(s.attempts()).isEqualTo(1);
        assertThat(s.claim(a, t0.plusSeconds(1), LEASE)).isEqualTo(Snapshot.Claim.ALREADY_HELD);
        assertThat(s.claim(UUID.randomUUID(), t0.plusSeconds(59), LEASE)).isEqualTo(Snapshot.Claim.REFUSED);
        assertThat(s.attemptId()).isEqualTo(a);
    }

    @Test
    void aSilentAttemptIsOfferedToAnotherWorkerThenTheSnapshotFails() {
        Snapshot s = pending();
        UUID a = UUID.randomUUID();
        s.claim(a, t0, LEASE);
        assertThat(s.expire(t0.plusSeconds(30), LEASE, 2, BACKOFF)).isEqualTo(Snapshot.Lost.ALIVE);
        assertThat(s.expire(t0.plusSeconds(61), LEASE, 2, BACKOFF)).isEqualTo(Snapshot.Lost.REISSUE);
        assertThat(s.attemptId()).isNull();
        assertThat(s.retryAt()).isEqualTo(t0.plusSeconds(71));
        UUID b = UUID.randomUUID();
        assertThat(s.claim(b, t0.plusSeconds(62), LEASE)).as("nobody claims during the backoff").isEqualTo(Snapshot.Claim.REFUSED);
        assertThat(s.retryDue(t0.plusSeconds(70))).isFalse();
        assertThat(s.retryDue(t0.plusSeconds(71))).as("the watch sends the command again").isTrue();
        assertThat(s.retryDue(t0.plusSeconds(72))).as("once").isFalse();
        assertThat(s.claim(b, t0.plusSeconds(72), LEASE)).isEqualTo(Snapshot.Claim.GRANTED);
        assertThat(s.attempts()).isEqualTo(2);
        assertThat(s.retryAt()).isNull();
        assertThat(s.expire(t0.plusSeconds(134), LEASE, 2, BACKOFF)).isEqualTo(Snapshot.Lost.FAIL);
        assertThat(s.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(s.error()).startsWith("lost: attempt " + b);
    }

    @Test
    void theBackoffDoublesWithEachLostAttempt() {
        Snapshot s = pending();
        s.claim(UUID.randomUUID(), t0, LEASE);
        assertThat(s.expire(t0.plusSeconds(61), LEASE, 3, BACKOFF)).isEqualTo(Snapshot.Lost.REISSUE);
        assertThat(s.retryAt()).isEqualTo(t0.plusSeconds(71));
        Instant t1 = t0.plusSeconds(71);
        assertThat(s.claim(UUID.randomUUID(), t1, LEASE)).as("a command still under way may claim once it is over")
                .isEqualTo(Snapshot.Claim.GRANTED);
        assertThat(s.expire(t1.plusSeconds(61), LEASE, 3, BACKOFF)).isEqualTo(Snapshot.Lost.REISSUE);
        assertThat(s.retryAt()).isEqualTo(t1.plusSeconds(81));
    }

    @Test
    void aSilentAttemptLosesTheJobToItsSuccessorOnceTheLeaseRunsOut() {
        Snapshot s = pending();
        UUID a = UUID.randomUUID();
        s.claim(a, t0, LEASE);
        s.progressed(new BackupProgress(s.id(), a, 10, 5, t0), t0.plusSeconds(30));
        assertThat(s.claim(UUID.randomUUID(), t0.plusSeconds(89), LEASE)).as("heartbeat at +30s keeps it alive").isEqualTo(Snapshot.Claim.REFUSED);
        UUID b = UUID.randomUUID();
        assertThat(s.claim(b, t0.plusSeconds(91), LEASE)).isEqualTo(Snapshot.Claim.GRANTED);
        assertThat(s.attemptId()).isEqualTo(b);
        assertThat(s.attempts()).isEqualTo(2);
        assertThat(s.isCurrent(a, false)).isFalse();
        assertThat(s.isCurrent(b, false)).isTrue();
    }

    @Test
    void finishedJobsCannotBeClaimed() {
        Snapshot s = pending();
        UUID a = UUID.randomUUID();
        s.claim(a, t0, LEASE);
        s.failed(new BackupFailed(s.id(), a, "boom", t0.plusSeconds(1)), t0.plusSeconds(1));
        assertThat(s.claim(UUID.randomUUID(), t0.plusSeconds(3600), LEASE)).isEqualTo(Snapshot.Claim.REFUSED);
        assertThat(s.claim(a, t0.plusSeconds(3600), LEASE)).isEqualTo(Snapshot.Claim.REFUSED);
    }

    @Test
    void completionRecordsSizesChecksumAndDuration() {
        Snapshot s = pending();
        UUID a = UUID.randomUUID();
        s.claim(a, t0, LEASE);
        assertThat(s.started(new BackupStarted(s.id(), a, "k.sql.zst", "postgresql", "15.20", "pg_dump 15", t0), t0)).isTrue();
        assertThat(s.completed(new BackupCompleted(s.id(), a, UUID.randomUUID(), "k.sql.zst", 100, 250, "ff", "zstd",
                "postgresql", "15.20", t0, t0.plusMillis(1234)), t0.plusSeconds(2))).isTrue();
        assertThat(s.status()).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(s.durationMs()).isEqualTo(1234);
        assertThat(s.sizeBytes()).isEqualTo(100);
        assertThat(s.rawSizeBytes()).isEqualTo(250);
        assertThat(s.sha256()).isEqualTo("ff");
        assertThat(s.completedAt()).isEqualTo(t0.plusMillis(1234));
    }

    @Test
    void statusNeverMovesBackward() {
        Snapshot s = pending();
        UUID a = UUID.randomUUID();
        s.claim(a, t0, LEASE);
        s.failed(new BackupFailed(s.id(), a, "disk full", t0), t0);
        assertThat(s.started(new BackupStarted(s.id(), a, "k", "postgresql", "15", "t", t0), t0)).isFalse();
        assertThat(s.progressed(new BackupProgress(s.id(), a, 1, 1, t0), t0)).isFalse();
        assertThat(s.completed(new BackupCompleted(s.id(), a, UUID.randomUUID(), "k", 1, 1, "x", "zstd", "p", "1", t0, t0), t0)).isFalse();
        assertThat(s.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(s.error()).isEqualTo("disk full");
    }

    @Test
    void anUnclaimedJobIsAdoptedOnlyByAStartReport() {
        Snapshot s = pending();
        UUID a = UUID.randomUUID();
        assertThat(s.isCurrent(a, false)).isFalse();
        assertThat(s.isCurrent(a, true)).isTrue();
        assertThat(s.started(new BackupStarted(s.id(), a, "k", "postgresql", "15", "t", t0), t0)).isTrue();
        assertThat(s.attemptId()).isEqualTo(a);
        assertThat(s.isCurrent(UUID.randomUUID(), true)).isFalse();
    }
}
