package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.server.ServerRequest;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** {@code dbm.jobs.finished} counts a backup's end once: not per delivery, and not for a transaction that rolled back. */
class JobsFinishedJdbcTests extends CatalogTestSupport {

    @Autowired
    SnapshotService snapshots;
    @Autowired
    BackupReportProjection projection;
    @Autowired
    ServerService servers;
    @Autowired
    MeterRegistry meters;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JsonMapper json;

    double finished(String outcome) {
        return meters.get("dbm.jobs.finished").tag("kind", "backup").tag("outcome", outcome).counter().count();
    }

    UUID requested() {
        UUID server = servers.create(new ServerRequest(unique("srv"), "postgresql", "127.0.0.1", 5432, "postgres", "pw")).id();
        return snapshots.request(new SnapshotRequest(server, "shop", knownVolume().id(), null, null)).id();
    }

    /** A snapshot a worker claimed and started; returns the attempt. */
    UUID running(UUID id) {
        UUID attempt = UUID.randomUUID();
        snapshots.claim(id, attempt);
        report(UUID.randomUUID().toString(), MessageTypes.BACKUP_STARTED,
                new BackupStarted(id, attempt, "srv/shop/x.sql.zst", "postgresql", "15.20", "pg_dump 15.20", Instant.now()));
        return attempt;
    }

    void report(String ceId, MessageType<?> type, Object payload) {
        projection.apply(InboundMessage.of(type.topic(), MessageBuilder.withPayload(json.writeValueAsBytes(payload))
                .setHeader(CloudEvents.ID, ceId).setHeader(CloudEvents.TYPE, type.ceType()).build()));
    }

    static BackupCompleted completed(UUID id, UUID attempt) {
        Instant now = Instant.now();
        return new BackupCompleted(id, attempt, UUID.randomUUID(), "srv/shop/x.sql.zst", 42, 4200, "ab".repeat(32), "zstd",
                "postgresql", "15.20", now.minusSeconds(5), now);
    }

    @Test
    void aCompletionIsCountedOnceWhetherItIsRedeliveredOrReportedAgain() {
        UUID id = requested();
        UUID attempt = running(id);
        double completedBefore = finished("completed");
        double failedBefore = finished("failed");

        String ceId = UUID.randomUUID().toString();
        report(ceId, MessageTypes.BACKUP_COMPLETED, completed(id, attempt));
        report(ceId, MessageTypes.BACKUP_COMPLETED, completed(id, attempt));
        report(UUID.randomUUID().toString(), MessageTypes.BACKUP_COMPLETED, completed(id, attempt));
        report(UUID.randomUUID().toString(), MessageTypes.BACKUP_FAILED, new BackupFailed(id, attempt, "late", Instant.now()));

        assertThat(snapshots.find(id).orElseThrow().status()).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(finished("completed") - completedBefore).isEqualTo(1);
        assertThat(finished("failed") - failedBefore).isZero();
    }

    @Test
    void anEndWhoseTransactionRolledBackIsNotCounted() {
        UUID id = requested();
        UUID attempt = running(id);
        double before = finished("failed");
        String ceId = UUID.randomUUID().toString();

        tx.executeWithoutResult(status -> {
            report(ceId, MessageTypes.BACKUP_FAILED, new BackupFailed(id, attempt, "pg_dump: refused", Instant.now()));
            status.setRollbackOnly();
        });

        assertThat(snapshots.find(id).orElseThrow().status()).isEqualTo(SnapshotStatus.RUNNING);
        assertThat(finished("failed") - before).isZero();

        report(ceId, MessageTypes.BACKUP_FAILED, new BackupFailed(id, attempt, "pg_dump: refused", Instant.now()));
        assertThat(finished("failed") - before).isEqualTo(1);
    }

    @Test
    void aQueuedSnapshotCancelledAtOnceIsCountedCancelledOnce() {
        UUID id = requested();
        double before = finished("cancelled");

        snapshots.cancel(id, "alice");
        assertThatThrownBy(() -> snapshots.cancel(id, "bob")).isInstanceOf(CatalogException.class);

        assertThat(finished("cancelled") - before).isEqualTo(1);
    }
}
