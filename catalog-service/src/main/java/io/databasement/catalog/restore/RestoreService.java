package io.databasement.catalog.restore;

import io.databasement.catalog.CatalogProperties;
import io.databasement.catalog.admission.Admission;
import io.databasement.catalog.admission.HeartbeatTrust;
import io.databasement.catalog.admission.JobSweep;
import io.databasement.catalog.admission.CancelCommand;
import io.databasement.catalog.admission.JobKind;
import io.databasement.catalog.admission.JobMetrics;
import io.databasement.catalog.admission.OptimisticRetry;
import io.databasement.catalog.server.Server;
import io.databasement.catalog.server.ServerService;
import io.databasement.catalog.snapshot.Snapshot;
import io.databasement.catalog.snapshot.SnapshotService;
import io.databasement.catalog.snapshot.SnapshotVerifications;
import io.databasement.catalog.snapshot.SnapshotStatus;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.RestoreJobRequested;
import io.databasement.contracts.RestoreMode;
import io.databasement.contracts.SecretSealer;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.EngineException;
import io.databasement.engines.Engines;
import io.databasement.engines.InvalidDatabaseNameException;
import io.databasement.engines.ServerInfo;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Restores: the rules a request must pass (shared by REST and {@code dbm.restore.requests}), acceptance with
 * admission, the command on dispatch, reads and claims.
 */
@Service
public class RestoreService {

    /** The product page's warning, in every refusal of an unconfirmed overwrite. */
    public static final String OVERWRITE_WARNING = "This will overwrite all current data in the target database!";
    static final int MAX_PAGE_SIZE = 200;
    private static final Logger log = LoggerFactory.getLogger(RestoreService.class);
    private static final Pattern MAJOR = Pattern.compile("^\\D*(\\d+)");

    private final RestoreRepository restores;
    private final JdbcAggregateOperations aggregates;
    private final SnapshotService snapshots;
    private final ServerService servers;
    private final SecretSealer sealer;
    private final Admission admission;
    private final JobMetrics jobMetrics;
    private final HeartbeatTrust trust;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final CatalogProperties properties;
    private final Clock clock;
    private final SnapshotVerifications verifications;
    private final VerificationProgress verificationProgress;

    RestoreService(RestoreRepository restores, JdbcAggregateOperations aggregates, SnapshotService snapshots,
                   ServerService servers, SecretSealer sealer, Admission admission, HeartbeatTrust trust, ApplicationEventPublisher events,
                   TransactionTemplate tx, JdbcClient jdbc, CatalogProperties properties, Clock clock,
                   SnapshotVerifications verifications, VerificationProgress verificationProgress, JobMetrics jobMetrics) {
        this.jobMetrics = jobMetrics;
        this.verifications = verifications;
        this.verificationProgress = verificationProgress;
        this.jdbc = jdbc;
        this.restores = restores;
        this.aggregates = aggregates;
        this.snapshots = snapshots;
        this.servers = servers;
        this.sealer = sealer;
        this.admission = admission;
        this.trust = trust;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    /** A request that passed every rule: what acceptance needs. */
    record Checked(RestoreOrder order, Snapshot snapshot, Server target, RestoreMode mode, boolean targetExists) {
    }

    /**
     * Applies every rule, in the order a user fixes them: the ids, the name, the snapshot's state, the engine
     * family, the target's version (a live probe), then the overwrite confirmation. Talks to the target server,
     * so it runs outside any transaction.
     *
     * @throws CatalogException the refusal (404, 400, 422, 503, 409)
     */
    Checked check(RestoreOrder order) {
        Snapshot snapshot = snapshots.find(order.snapshotId())
                .orElseThrow(() -> CatalogException.notFound("snapshot", order.snapshotId()));
        Server target = servers.get(order.targetServerId());
        DatabaseEngine engine = ServerService.engine(target.type());
        try {
            engine.validateDatabaseName(order.targetDatabase());
        } catch (InvalidDatabaseNameException e) {
            throw CatalogException.invalidField("invalid-database-name", "targetDatabase", e.getMessage());
        }
        if (snapshot.status() != SnapshotStatus.COMPLETED) {
            throw unprocessable("snapshot-not-completed", "Snapshot not restorable", "snapshot " + snapshot.id() + " is "
                    + snapshot.status() + "; only a COMPLETED snapshot can be restored");
        }
        String sourceType = snapshot.databaseType() != null ? snapshot.databaseType() : engine.types().iterator().next();
        DatabaseEngine source = Engines.forType(sourceType).orElseThrow(() -> unprocessable("engine-mismatch",
                "Engines differ", "the snapshot's engine '" + sourceType + "' is unknown"));
        if (!source.family().equals(engine.family())) {
            throw unprocessable("engine-mismatch", "Engines differ", "cannot restore a " + familyName(source.family())
                    + " snapshot into " + familyName(engine.family()));
        }
        String password;
        try {
            password = sealer.unseal(target.sealedPassword());
        } catch (IllegalArgumentException e) {
            // sealed under another DBM_SEAL_KEY: no retry helps until the password is entered again
            throw unprocessable("server-password-unreadable", "Server password unreadable", "the stored password of server "
                    + target.name() + " cannot be opened with this catalog's seal key (" + e.getMessage()
                    + "); set it again with PUT /api/v1/servers/" + target.id());
        }
        ServerInfo info = probe(target, () -> engine.probe(target.endpoint(), password));
        OptionalInt snapshotMajor = major(snapshot.databaseVersion());
        // majors only compare within one product: MariaDB 10 and MySQL 8 are not older/newer than each other
        if (sourceType.equals(info.databaseType()) && snapshotMajor.isPresent() && info.majorVersion() < snapshotMajor.getAsInt()) {
            throw unprocessable("target-version-older", "Target server too old", "the snapshot was taken from "
                    + sourceType + " " + snapshot.databaseVersion() + "; target server " + target.name() + " runs "
                    + info.version() + ", an older major version");
        }
        RestoreMode mode = mode(snapshot, target.id(), order.targetDatabase());
        boolean exists = probe(target, () -> engine.databaseExists(target.endpoint(), password, order.targetDatabase()));
        if ((mode == RestoreMode.SAME_DATABASE || exists) && !order.confirmOverwrite()) {
            String what = "database '" + order.targetDatabase() + "' on server '" + target.name() + "'";
            String why = mode == RestoreMode.SAME_DATABASE
                    ? "restoring snapshot " + snapshot.id() + " into its own " + what + " rolls it back"
                    : what + " exists";
            throw CatalogException.conflict("overwrite-not-confirmed", "Overwrite not confirmed",
                    why + ". " + OVERWRITE_WARNING + " Send confirmOverwrite: true to proceed.");
        }
        return new Checked(order, snapshot, target, mode, exists);
    }

    /** Records an accepted restore, tells the public, and dispatches it if admission lets it run now. */
    @Transactional(propagation = Propagation.MANDATORY)
    Restore accept(Checked checked) {
        return accept(checked, UUID.randomUUID());
    }

    /** As {@link #accept(Checked)}, under an id chosen by the caller (a verification names its scratch database by it). */
    @Transactional(propagation = Propagation.MANDATORY)
    Restore accept(Checked checked, UUID id) {
        Instant now = now();
        RestoreOrder order = checked.order();
        // row lock, as a deletion takes it: either the deletion sees this restore reading the snapshot and refuses,
        // or this restore sees the snapshot DELETING (or gone) and refuses
        String status = jdbc.sql("select status from snapshots where id = ? for update").param(order.snapshotId())
                .query(String.class).optional().orElseThrow(() -> CatalogException.notFound("snapshot", order.snapshotId()));
        if (!SnapshotStatus.COMPLETED.name().equals(status)) {
            throw unprocessable("snapshot-not-completed", "Snapshot not restorable", "snapshot " + order.snapshotId()
                    + " is " + status + "; only a COMPLETED snapshot can be restored");
        }
        String correlationId = order.correlationId() != null ? order.correlationId() : id.toString();
        Restore restore = restores.save(Restore.request(id, checked.snapshot().id(), checked.target().id(),
                checked.target().name(), order.targetDatabase(), checked.mode(), checked.targetExists(),
                order.requestedBy(), correlationId, now));
        if (checked.mode() != RestoreMode.VERIFY) {
            // a verification is the catalog's own business: the public hears of it as snapshot.verified
            events.publishEvent(RestoreEvents.accepted(restore, order.channel(), now));
        }
        admission.enqueue(id, JobKind.RESTORE, checked.target().id(), order.targetDatabase(), now);
        return restore;
    }

    /** {@code POST /api/v1/restores}: check, then accept in one transaction. */
    public RestoreView request(RestoreOrder order) {
        Checked checked = check(order);
        Restore restore = tx.execute(status -> accept(checked));
        return view(Objects.requireNonNull(restore));
    }

    /** Writes the restore command of an admitted restore (in admission's transaction). */
    void dispatch(UUID id, Instant now) {
        Restore r = restores.findById(id).orElseThrow(() -> new IllegalStateException("no restore " + id));
        Snapshot s = snapshots.find(r.snapshotId()).orElseThrow(() -> new IllegalStateException("no snapshot " + r.snapshotId()));
        // the target's connection as it is now: it may have changed while the restore was queued
        Server target = servers.get(r.targetServerId());
        RestoreJobRequested command = new RestoreJobRequested(r.id(), s.id(), s.volumeId(), s.objectKey(), s.sha256(),
                s.sizeBytes() == null ? 0 : s.sizeBytes(), s.compression(), s.databaseType(), s.databaseVersion(),
                s.database(), target.id(), target.name(), target.connection(), r.targetDatabase(), r.mode().name(),
                r.targetExists(), now, r.mode() == RestoreMode.VERIFY ? verifications.expectedTables(s) : null);
        // the trace of the request, not of whatever released the job from the queue or sends it again
        events.publishEvent(new RestoreEvents.Command(UUID.randomUUID().toString(), now, r.correlationId(), command,
                r.traceParent()));
    }

    public RestoreView get(UUID id) {
        return view(restores.findById(id).orElseThrow(() -> CatalogException.notFound("restore", id)));
    }

    public RestorePage list(UUID snapshotId, UUID targetServerId, String targetDatabase, String status, int page, int size) {
        if (page < 0) {
            throw CatalogException.invalidField("invalid-request", "page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw CatalogException.invalidField("invalid-request", "size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        Criteria criteria = Criteria.empty();
        if (snapshotId != null) {
            criteria = criteria.and("snapshotId").is(snapshotId);
        }
        if (targetServerId != null) {
            criteria = criteria.and("targetServerId").is(targetServerId);
        }
        if (targetDatabase != null) {
            criteria = criteria.and("targetDatabase").is(targetDatabase);
        }
        if (status != null) {
            RestoreStatus parsed = RestoreStatus.parse(status).orElseThrow(() -> CatalogException.invalidField(
                    "invalid-request", "status", "must be one of PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED"));
            criteria = criteria.and("status").is(parsed.name());
        }
        PageRequest pageable = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
        Page<Restore> result = aggregates.findAll(Query.query(criteria), Restore.class, pageable);
        return new RestorePage(result.stream().map(this::view).toList(), page, size, result.getTotalElements(),
                result.getTotalPages());
    }

    /**
     * A worker claims the restore for one attempt; empty if no restore has that id. A claim that collides with a
     * concurrent change (a progress report, another claim) is decided again on the restore as it is then: a
     * heartbeat landing at the same moment must not make a worker abandon its swap.
     */
    Optional<Restore> claim(UUID jobId, UUID attemptId) {
        ClaimResult result;
        try {
            result = OptimisticRetry.decide(tx, status -> claimNow(jobId, attemptId));
        } catch (OptimisticLockingFailureException e) {
            throw CatalogException.conflict("attempt-rejected", "Job not available",
                    "job " + jobId + " was claimed concurrently; drop the command");
        }
        if (result.restore() != null && result.claim() == Restore.Claim.CANCELLED_BEFORE_SWAP) {
            // committed: the restore is CANCELLED; the worker is refused, drops its staging database and never swaps
            throw CatalogException.conflict("job-cancelled", "Job cancelled",
                    "restore " + jobId + " was cancelled before its swap; drop the staging database and the command");
        }
        return Optional.ofNullable(result.restore());
    }

    private record ClaimResult(Restore restore, Restore.Claim claim) {
    }

    private ClaimResult claimNow(UUID jobId, UUID attemptId) {
        Restore restore = restores.findById(jobId).orElse(null);
        if (restore == null) {
            return new ClaimResult(null, null);
        }
        Instant now = now();
        Restore.Claim claim = restore.claim(attemptId, now, trust.lease(properties.catalog().lease()));
        switch (claim) {
            case GRANTED -> restores.save(restore);
            // the claim before the swap: from now on the restore is not cancellable
            case ALREADY_HELD -> restores.save(restore);
            case CANCELLED_BEFORE_SWAP -> ended(restores.save(restore), now);
            case REFUSED -> throw CatalogException.conflict("attempt-rejected", "Job not available",
                    "job " + jobId + " is " + restore.status()
                            + (restore.status().isTerminal() ? "" : " under a live attempt") + "; drop the command");
        }
        return new ClaimResult(restore, claim);
    }

    /** A restore the catalog itself ended: public event, its verification's end, and its admission slot freed. */
    private void ended(Restore saved, Instant now) {
        RestoreEvents.changed(saved, now).ifPresent(events::publishEvent);
        verificationProgress.follow(saved, null, now);
        admission.release(saved.id(), now);
        jobMetrics.finished(JobKind.RESTORE, saved.status().name());
    }

    /**
     * What {@code POST /api/v1/restores/{id}/cancel} does (see {@link Restore#cancel}): a queued restore is
     * CANCELLED at once and frees its admission slot; a running one keeps IN_PROGRESS (with {@code cancelRequestedAt})
     * and the cancel command goes to the workers through the outbox, in the same transaction.
     *
     * @param requestedBy the caller's token name (the gateway's {@code X-Requested-By}); null when unknown
     * @throws CatalogException 404 unknown; 409 {@code job-ended} when it already ended, {@code restore-swapping}
     *                          once its worker is swapping the target (it runs to its end)
     */
    public RestoreView cancel(UUID id, String requestedBy) {
        return view(OptimisticRetry.decide(tx, status -> cancelNow(id, requestedBy)));
    }

    private Restore cancelNow(UUID id, String requestedBy) {
        Restore restore = restores.findById(id).orElseThrow(() -> CatalogException.notFound("restore", id));
        Instant now = now();
        return switch (restore.cancel(requestedBy, now)) {
            case TOO_LATE -> throw CatalogException.conflict("job-ended", "Restore already ended", "restore " + id
                    + " is " + restore.status() + "; only a PENDING or IN_PROGRESS restore can be cancelled");
            case SWAPPING -> throw CatalogException.conflict("restore-swapping", "Restore is swapping", "restore " + id
                    + " is replacing the target database with the restored copy; that step cannot be stopped halfway, "
                    + "so the restore runs to its end");
            case CANCELLED -> {
                Restore saved = restores.save(restore);
                ended(saved, now);
                log.info("restore {}: {}", id, saved.error());
                yield saved;
            }
            case REQUESTED -> {
                Restore saved = restores.save(restore);
                events.publishEvent(CancelCommand.of(id, JobKind.RESTORE, saved.cancelledBy(), requestedBy, now));
                log.info("restore {}: cancel requested, attempt {} told to stop", id, saved.attemptId());
                yield saved;
            }
        };
    }

    /** See {@link io.databasement.catalog.admission.JobHandler#expireLostAttempts()}. */
    int expireLostAttempts() {
        Instant cutoff = now().minus(properties.catalog().lease());
        List<UUID> silent = jdbc.sql("select id from restores where status = 'IN_PROGRESS' and attempt_id is not null "
                + "and last_heartbeat_at < ?").param(Timestamp.from(cutoff)).query(UUID.class).list();
        return JobSweep.each(tx, silent, this::expire);
    }

    /** See {@link io.databasement.catalog.admission.JobHandler#sendDueRetries()}. */
    int sendDueRetries() {
        List<UUID> due = jdbc.sql("select id from restores where status = 'IN_PROGRESS' and attempt_id is null "
                + "and retry_at <= ?").param(Timestamp.from(now())).query(UUID.class).list();
        return JobSweep.each(tx, due, id -> {
            Restore restore = restores.findById(id).orElse(null);
            Instant now = now();
            if (restore == null || !restore.retryDue(now)) {
                return false;
            }
            restores.save(restore);
            dispatch(id, now);
            return true;
        });
    }

    private boolean expire(UUID id) {
        Restore restore = restores.findById(id).orElse(null);
        if (restore == null) {
            return false;
        }
        Instant now = now();
        UUID lostAttempt = restore.attemptId();
        switch (restore.expire(now, properties.catalog().lease(), properties.catalog().maxAttempts(),
                properties.catalog().retryBackoff())) {
            case ALIVE -> {
                return false;
            }
            case REISSUE -> {
                Instant retryAt = restores.save(restore).retryAt();
                log.warn("restore {}: attempt {} lost (no heartbeat for {}); command sent again at {}", id, lostAttempt,
                        properties.catalog().lease(), retryAt);
            }
            case FAIL, CANCEL -> {
                Restore saved = restores.save(restore);
                ended(saved, now);
                log.warn("restore {} {}: {}", id, saved.status(), saved.error());
            }
        }
        return true;
    }

    private RestoreView view(Restore r) {
        return RestoreView.of(r, r.status() == RestoreStatus.PENDING ? admission.queuedBehind(r.id()).orElse(null) : null);
    }

    static RestoreMode mode(Snapshot snapshot, UUID targetServerId, String targetDatabase) {
        if (!targetServerId.equals(snapshot.serverId())) {
            return RestoreMode.CROSS_SERVER;
        }
        return snapshot.database().equals(targetDatabase) ? RestoreMode.SAME_DATABASE : RestoreMode.OTHER_DATABASE;
    }

    /** The major version of a version string such as {@code 15.20} or {@code 10.11.19-MariaDB}. */
    static OptionalInt major(String version) {
        Matcher m = version == null ? null : MAJOR.matcher(version);
        return m != null && m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static String familyName(String family) {
        return "postgresql".equals(family) ? "PostgreSQL" : "MySQL/MariaDB";
    }

    private interface EngineCall<T> {
        T call() throws EngineException;
    }

    private static <T> T probe(Server target, EngineCall<T> call) {
        try {
            return call.call();
        } catch (EngineException e) {
            // the driver's words, already without the password (engines strips it)
            throw new CatalogException(HttpStatus.SERVICE_UNAVAILABLE, "target-unavailable", "Target server unreachable",
                    "could not check target server " + target.name() + ": " + e.getMessage());
        }
    }

    private static CatalogException unprocessable(String slug, String title, String detail) {
        return new CatalogException(HttpStatus.UNPROCESSABLE_CONTENT, slug, title, detail);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
