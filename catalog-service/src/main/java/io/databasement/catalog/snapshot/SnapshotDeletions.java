package io.databasement.catalog.snapshot;

import io.databasement.catalog.volume.VolumeRepository;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.StorageDeleteRequested;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deleting snapshots, and locks that prevent it. A snapshot with a file becomes DELETING and its delete command
 * goes to storage-service through the outbox in the same transaction; the record is removed only when storage
 * reports the file gone ({@link StorageReportProjection}), so there is never a record without a file or a file
 * without a record. Until then the sweep sends the command again with backoff.
 */
@Service
public class SnapshotDeletions {

    public static final String BY_HAND = "deleted by hand";
    private static final Logger log = LoggerFactory.getLogger(SnapshotDeletions.class);

    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final SnapshotLifecycleProperties properties;
    private final Clock clock;

    SnapshotDeletions(SnapshotRepository snapshots, VolumeRepository volumes, JdbcClient jdbc,
                      ApplicationEventPublisher events, TransactionTemplate tx, SnapshotLifecycleProperties properties,
                      Clock clock) {
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.jdbc = jdbc;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * What {@code DELETE /api/v1/snapshots/{id}} does; retention calls it too. Idempotent: a snapshot already
     * DELETING is answered as it is (and its command sent again if storage had refused it for good).
     *
     * @param reason why, kept on the snapshot and in the public {@code snapshot.deleted}
     * @return the snapshot as DELETING (a snapshot without a file is removed at once and returned as it was last)
     * @throws CatalogException 404 unknown; 409 still running, locked, or read by a restore or verification
     */
    public SnapshotView requestDeletion(UUID snapshotId, String reason) {
        try {
            return tx.execute(status -> {
                // row lock: a concurrent delete, lock or restore request on this snapshot waits for our decision
                lockRow(snapshotId);
                Snapshot snapshot = require(snapshotId);
                Instant now = now();
                if (snapshot.status() == SnapshotStatus.DELETING) {
                    if (snapshot.deletionStalled()) {
                        snapshot.deletionResent(now.plus(properties.deletion().retryAfter(snapshot.deletionAttempts() + 1)));
                        sendCommand(snapshots.save(snapshot), now);
                    }
                    return view(snapshot);
                }
                if (SnapshotStatus.OPEN.contains(snapshot.status())) {
                    throw CatalogException.conflict("snapshot-running", "Snapshot still running", "snapshot " + snapshotId
                            + " is " + snapshot.status() + "; cancel it first (POST /api/v1/snapshots/" + snapshotId
                            + "/cancel) or wait for it to finish");
                }
                if (snapshot.locked()) {
                    throw CatalogException.conflict("snapshot-locked", "Snapshot locked", "snapshot " + snapshotId
                            + " is locked; unlock it (POST /api/v1/snapshots/" + snapshotId + "/unlock) to delete it");
                }
                long readers = jdbc.sql("select count(*) from restores where snapshot_id = ? and status in ('PENDING', 'IN_PROGRESS')")
                        .param(snapshotId).query(Long.class).single();
                if (readers > 0) {
                    throw CatalogException.conflict("snapshot-in-use", "Snapshot in use", "snapshot " + snapshotId
                            + " is being read by " + readers + " restore(s) or verification(s); delete it when they end");
                }
                snapshot.markDeleting(reason, now, now.plus(properties.deletion().retryAfter(1)));
                if (snapshot.objectKey() == null) {
                    // failed before anything was uploaded: there is no file to wait for
                    SnapshotView last = view(snapshot);
                    remove(snapshot, now);
                    return last;
                }
                Snapshot saved = snapshots.save(snapshot);
                sendCommand(saved, now);
                log.info("snapshot {} is DELETING ({}): storage asked to delete {}", snapshotId, reason, saved.objectKey());
                return view(saved);
            });
        } catch (OptimisticLockingFailureException e) {
            throw CatalogException.conflict("snapshot-changed", "Snapshot changed", "snapshot " + snapshotId
                    + " changed while it was being deleted; try again");
        }
    }

    /** {@code POST .../lock} ({@code true}) and {@code .../unlock}: a DELETING snapshot cannot be locked any more. */
    public SnapshotView lock(UUID snapshotId, boolean lock) {
        try {
            return tx.execute(status -> {
                lockRow(snapshotId);
                Snapshot snapshot = require(snapshotId);
                if (lock && snapshot.status() == SnapshotStatus.DELETING) {
                    throw CatalogException.conflict("snapshot-deleting", "Snapshot being deleted",
                            "snapshot " + snapshotId + " is already being deleted; it cannot be locked");
                }
                return view(snapshot.lock(lock) ? snapshots.save(snapshot) : snapshot);
            });
        } catch (OptimisticLockingFailureException e) {
            throw CatalogException.conflict("snapshot-changed", "Snapshot changed",
                    "snapshot " + snapshotId + " changed meanwhile; try again");
        }
    }

    /**
     * Sends the delete command again for DELETING snapshots whose next try is due: storage-service was down,
     * lost the command, or gave up on a failing backend. Safe on every replica (optimistic-locked saves).
     *
     * @return how many commands were sent
     */
    int resendDue() {
        List<UUID> due = jdbc.sql("select id from snapshots where status = 'DELETING' and deletion_next_attempt_at <= ? "
                        + "order by deletion_next_attempt_at limit 500")
                .param(Timestamp.from(now())).query(UUID.class).list();
        int sent = 0;
        for (UUID id : due) {
            try {
                Boolean resent = tx.execute(status -> {
                    Snapshot snapshot = snapshots.findById(id).orElse(null);
                    Instant now = now();
                    if (snapshot == null || snapshot.status() != SnapshotStatus.DELETING
                            || snapshot.deletionNextAttemptAt() == null || snapshot.deletionNextAttemptAt().isAfter(now)) {
                        return false;
                    }
                    snapshot.deletionResent(now.plus(properties.deletion().retryAfter(snapshot.deletionAttempts() + 1)));
                    sendCommand(snapshots.save(snapshot), now);
                    return true;
                });
                sent += Boolean.TRUE.equals(resent) ? 1 : 0;
            } catch (OptimisticLockingFailureException e) {
                // a report or another replica's sweep got there first
            }
        }
        return sent;
    }

    /**
     * Removes the record and writes the public {@code snapshot.deleted}, in the caller's transaction. Finished
     * restores keep their history: the foreign key sets their snapshot id to null (V6), and they keep the
     * snapshot's server and database names.
     */
    void remove(Snapshot snapshot, Instant now) {
        jdbc.sql("update restores set snapshot_server_name = ?, snapshot_database = ? where snapshot_id = ?")
                .params(snapshot.serverName(), snapshot.database(), snapshot.id()).update();
        snapshots.delete(snapshot);
        events.publishEvent(SnapshotPublicEvents.deleted(snapshot, now));
        log.info("snapshot {} deleted ({})", snapshot.id(), snapshot.deletionReason());
    }

    private void sendCommand(Snapshot snapshot, Instant now) {
        events.publishEvent(new StorageDeleteRequestedEvent(UUID.randomUUID().toString(), now, new StorageDeleteRequested(
                snapshot.id(), snapshot.volumeId(), snapshot.objectKey(), snapshot.deletionReason(), now)));
    }

    private void lockRow(UUID snapshotId) {
        jdbc.sql("select id from snapshots where id = ? for update").param(snapshotId).query(UUID.class).optional()
                .orElseThrow(() -> CatalogException.notFound("snapshot", snapshotId));
    }

    private Snapshot require(UUID snapshotId) {
        return snapshots.findById(snapshotId).orElseThrow(() -> CatalogException.notFound("snapshot", snapshotId));
    }

    private SnapshotView view(Snapshot snapshot) {
        return SnapshotView.of(snapshot, volumes.find(snapshot.volumeId()).orElse(null));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
