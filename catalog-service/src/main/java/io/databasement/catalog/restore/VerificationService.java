package io.databasement.catalog.restore;

import io.databasement.catalog.CatalogProperties;
import io.databasement.catalog.server.Server;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.snapshot.Snapshot;
import io.databasement.catalog.snapshot.SnapshotService;
import io.databasement.catalog.snapshot.SnapshotVerifications;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.RestoreMode;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verifies snapshots: a VERIFY restore into a scratch database ({@code dbm_verify_<restore id first 8>}) on the
 * snapshot's server, or the configured verification server, or one named in the request. The restore worker
 * restores, dumps the scratch copy again, compares every table's rows and checksum with those the backup counted,
 * and drops the scratch database. It goes through admission like any restore.
 */
@Service
public class VerificationService {

    static final String SCRATCH_PREFIX = "dbm_verify_";

    private final RestoreService restores;
    private final SnapshotService snapshots;
    private final SnapshotVerifications verifications;
    private final ServerService servers;
    private final TransactionTemplate tx;
    private final CatalogProperties properties;
    private final Clock clock;

    VerificationService(RestoreService restores, SnapshotService snapshots, SnapshotVerifications verifications,
                        ServerService servers, TransactionTemplate tx, CatalogProperties properties, Clock clock) {
        this.restores = restores;
        this.snapshots = snapshots;
        this.verifications = verifications;
        this.servers = servers;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * {@code POST /api/v1/snapshots/{id}/verify}.
     *
     * @param serverId where to restore the scratch copy; null for the configured verification server, else the
     *                 snapshot's own server
     * @return the VERIFY restore, PENDING
     * @throws CatalogException 404, 409 (a verification under way), 422 (not COMPLETED, no server, engines differ),
     *                          503 (the server is unreachable)
     */
    public RestoreView request(UUID snapshotId, UUID serverId) {
        Snapshot snapshot = snapshots.find(snapshotId).orElseThrow(() -> CatalogException.notFound("snapshot", snapshotId));
        UUID server = serverId != null ? serverId : defaultServer(snapshot);
        UUID id = UUID.randomUUID();
        String scratch = SCRATCH_PREFIX + id.toString().substring(0, 8);
        RestoreService.Checked checked = restores.check(new RestoreOrder(snapshotId, server, scratch, false,
                "verification", id.toString(), null));
        if (checked.targetExists()) {
            throw CatalogException.conflict("scratch-database-exists", "Scratch database exists", "database " + scratch
                    + " already exists on server " + checked.target().name() + "; ask again for a new name");
        }
        RestoreService.Checked verify = new RestoreService.Checked(checked.order(), checked.snapshot(), checked.target(),
                RestoreMode.VERIFY, false);
        Restore restore = tx.execute(status -> {
            verifications.requested(snapshotId, id);
            return restores.accept(verify, id);
        });
        return RestoreView.of(Objects.requireNonNull(restore), null);
    }

    /**
     * A verification nobody waits on (a schedule's): a refusal is recorded on the snapshot as a failed
     * verification with its reason, and goes public, instead of being thrown at nobody.
     */
    public void requestQuietly(UUID snapshotId) {
        try {
            request(snapshotId, null);
        } catch (CatalogException e) {
            if ("verification-under-way".equals(e.slug())) {
                return;
            }
            tx.executeWithoutResult(status -> verifications.refused(snapshotId, null,
                    "verification could not start: " + e.getMessage(), clock.instant()));
        }
    }

    private UUID defaultServer(Snapshot snapshot) {
        String configured = properties.catalog().verificationServer();
        if (configured != null && !configured.isBlank()) {
            return servers.list().stream().filter(s -> s.name().equals(configured)).map(Server::id).findFirst()
                    .orElseThrow(() -> new CatalogException(HttpStatus.UNPROCESSABLE_CONTENT, "verification-server-unknown",
                            "Verification server unknown", "the configured verification server '" + configured
                            + "' (DBM_VERIFICATION_SERVER) is not a registered server"));
        }
        if (snapshot.serverId() == null) {
            throw new CatalogException(HttpStatus.UNPROCESSABLE_CONTENT, "server-deleted", "Source server deleted",
                    "snapshot " + snapshot.id() + "'s server " + snapshot.serverName()
                            + " was deleted; give a serverId to verify it on");
        }
        return snapshot.serverId();
    }
}
