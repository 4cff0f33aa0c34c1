package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapshotStatusTests {

    @Test
    void statusesMoveOnlyForward() {
        assertThat(SnapshotStatus.PENDING.canMoveTo(SnapshotStatus.RUNNING)).isTrue();
        assertThat(SnapshotStatus.RUNNING.canMoveTo(SnapshotStatus.COMPLETED)).isTrue();
        assertThat(SnapshotStatus.RUNNING.canMoveTo(SnapshotStatus.FAILED)).isTrue();
        assertThat(SnapshotStatus.RUNNING.canMoveTo(SnapshotStatus.PENDING)).isFalse();
        assertThat(SnapshotStatus.FAILED.canMoveTo(SnapshotStatus.RUNNING)).isFalse();
        assertThat(SnapshotStatus.COMPLETED.canMoveTo(SnapshotStatus.FAILED)).isFalse();
    }

    @Test
    void completedFailedAndCancelledEndTheJobAndCanOnlyBeDeleted() {
        assertThat(SnapshotStatus.TERMINAL).containsExactlyInAnyOrder(SnapshotStatus.COMPLETED, SnapshotStatus.FAILED,
                SnapshotStatus.CANCELLED);
        for (SnapshotStatus s : SnapshotStatus.TERMINAL) {
            assertThat(s.next()).containsExactly(SnapshotStatus.DELETING);
            assertThat(s.isTerminal()).isTrue();
        }
        assertThat(SnapshotStatus.PENDING.isTerminal()).isFalse();
        assertThat(SnapshotStatus.RUNNING.canMoveTo(SnapshotStatus.DELETING)).isFalse();
        assertThat(SnapshotStatus.DELETING.next()).isEmpty();
    }

    @Test
    void statusFilterIsReadWhateverTheCase() {
        assertThat(SnapshotStatus.parse("completed")).contains(SnapshotStatus.COMPLETED);
        assertThat(SnapshotStatus.parse("DONE")).isEmpty();
        assertThat(SnapshotStatus.parse(null)).isEmpty();
    }
}
