package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.catalog.volume.Volume;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SnapshotViewTests {

    final Instant t0 = Instant.parse("2026-11-25T16:00:00Z");

    Snapshot completed(long size, long raw) {
        Snapshot s = Snapshot.request(UUID.randomUUID(), UUID.randomUUID(), "srv", "shop", UUID.randomUUID(), "old-name",
                "/var/backups/", "zstd", 3, t0);
        UUID a = UUID.randomUUID();
        s.claim(a, t0, Duration.ofSeconds(60));
        s.started(new BackupStarted(s.id(), a, "srv/shop/x.sql.zst", "postgresql", "15.20", "t", t0), t0);
        s.completed(new BackupCompleted(s.id(), a, s.volumeId(), "srv/shop/x.sql.zst", size, raw, "aa", "zstd",
                "postgresql", "15.20", t0, t0.plusSeconds(1)), t0.plusSeconds(1));
        return s;
    }

    @Test
    void compressionRatioIsRawOverStoredToTwoDecimals() {
        assertThat(SnapshotView.of(completed(3, 10), null).compressionRatio()).isEqualByComparingTo("3.33");
        assertThat(SnapshotView.of(completed(1000, 2345), null).compressionRatio()).isEqualByComparingTo("2.35");
    }

    @Test
    void pathJoinsTheVolumeLocationAndTheObjectKey() {
        Snapshot s = completed(1, 1);
        assertThat(SnapshotView.of(s, null).path()).isEqualTo("/var/backups/srv/shop/x.sql.zst");
        Volume renamed = new Volume(s.volumeId(), "new-name", "s3", "s3://bucket/prefix", t0);
        SnapshotView view = SnapshotView.of(s, renamed);
        assertThat(view.path()).isEqualTo("s3://bucket/prefix/srv/shop/x.sql.zst");
        assertThat(view.volumeName()).isEqualTo("new-name");
    }

    @Test
    void aPendingSnapshotHasNoPathNorRatio() {
        Snapshot s = Snapshot.request(UUID.randomUUID(), UUID.randomUUID(), "srv", "shop", UUID.randomUUID(), "v",
                "/x", "gzip", 6, t0);
        SnapshotView view = SnapshotView.of(s, null);
        assertThat(view.path()).isNull();
        assertThat(view.compressionRatio()).isNull();
        assertThat(view.status()).isEqualTo(SnapshotStatus.PENDING);
    }
}
