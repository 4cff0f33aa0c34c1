package io.databasement.catalog.snapshot;

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
import io.databasement.catalog.volume.Volume;
import io.databasement.catalog.volume.VolumeDirectory;
import io.databasement.catalog.volume.VolumeRepository;
import io.databasement.catalog.web.CatalogException;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.Compression;
import io.databasement.engines.InvalidDatabaseNameException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
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
import org.springframework.transaction.support.TransactionTemplate;

@Service
public class SnapshotService {

    static final int MAX_PAGE_SIZE = 200;
    private static final Logger log = LoggerFactory.getLogger(SnapshotService.class);

    private final SnapshotRepository snapshots;
    private final JdbcAggregateOperations aggregates;
    private final ServerService servers;
    private final VolumeDirectory volumeDirectory;
    private final VolumeRepository volumes;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Admission admission;
    private final JobMetrics jobMetrics;
    private final HeartbeatTrust trust;
    private final JdbcClient jdbc;
    private final CatalogProperties properties;
    private final Clock clock;

    SnapshotService(SnapshotRepository snapshots, JdbcAggregateOperations aggregates, ServerService servers,
                    VolumeDirectory volumeDirectory, VolumeRepository volumes, ApplicationEventPublisher events,
                    TransactionTemplate tx, Admission admission, HeartbeatTrust trust, JdbcClient jdbc, CatalogProperties properties,
                    Clock clock, JobMetrics jobMetrics) {
        this.admission = admission;
        this.jobMetrics = jobMetrics;
        this.trust = trust;
        this.jdbc = jdbc;
        this.snapshots = snapshots;
        this.aggregates = aggregates;
        this.servers = servers;
        this.volumeDirectory = volumeDirectory;
        this.volumes = volumes;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Validates, then writes the snapshot and, if admission lets it run now, its backup command (the outbox
     * entry) in one transaction; the command reaches Kafka after commit. A queued snapshot's command is
     * written when the job it waits for ends.
     */
    public SnapshotView request(SnapshotRequest request) {
        return request(request, null);
    }

    /**
     * The same, for a schedule's tick: the snapshot remembers the schedule ({@code scheduleId}), so retention and
     * missed-backup checks find it.
     *
     * @param scheduleId null for a snapshot asked for by hand
     */
    public SnapshotView request(SnapshotRequest request, UUID scheduleId) {
        Compression compression = compression(request.compression());
        int level = level(compression, request.compressionLevel());
        Server server = servers.get(request.serverId());
        try {
            ServerService.engine(server.type()).validateDatabaseName(request.database());
        } catch (InvalidDatabaseNameException e) {
            throw CatalogException.invalidField("invalid-database-name", "database", e.getMessage());
        }
        Volume volume = volumeDirectory.require(request.volumeId()); // may call storage-service: outside the transaction
        Instant now = now();
        UUID id = UUID.randomUUID();
        Snapshot saved = tx.execute(status -> {
            Snapshot requested = Snapshot.request(id, server.id(), server.name(), request.database(),
                    volume.id(), volume.name(), volume.location(), compression.wireName(), level, now);
            requested.scheduledBy(scheduleId);
            Snapshot snapshot = snapshots.save(requested);
            events.publishEvent(SnapshotPublicEvents.created(snapshot, now));
            admission.enqueue(id, JobKind.BACKUP, server.id(), request.database(), now);
            return snapshot;
        });
        return SnapshotView.of(saved, volume, admission.queuedBehind(id).orElse(null));
    }

    /** Writes the backup command of an admitted snapshot (in admission's transaction). */
    void dispatch(UUID id, Instant now) {
        Snapshot snapshot = snapshots.findById(id).orElseThrow(() -> new IllegalStateException("no snapshot " + id));
        // the server's connection as it is now: it may have changed while the job was queued
        Server server = servers.get(snapshot.serverId());
        BackupRequested command = new BackupRequested(id, server.id(), server.name(), server.connection(),
                snapshot.database(), snapshot.volumeId(), snapshot.compression(), snapshot.compressionLevel(), now);
        // the trace of the request, not of whatever released the job from the queue or sends it again
        events.publishEvent(new BackupRequestedEvent(UUID.randomUUID().toString(), now, command, snapshot.traceParent()));
    }

    public SnapshotView get(UUID id) {
        Snapshot snapshot = snapshots.findById(id).orElseThrow(() -> CatalogException.notFound("snapshot", id));
        return SnapshotView.of(snapshot, volumes.find(snapshot.volumeId()).orElse(null), queuedBehind(snapshot));
    }

    private String queuedBehind(Snapshot snapshot) {
        return snapshot.status() == SnapshotStatus.PENDING ? admission.queuedBehind(snapshot.id()).orElse(null) : null;
    }

    /** The snapshot as stored (for restores, which read its artifact and source). */
    public Optional<Snapshot> find(UUID id) {
        return snapshots.findById(id);
    }

    /** Every snapshot a schedule made (any status), newest first. */
    public List<Snapshot> ofSchedule(UUID scheduleId) {
        return aggregates.findAll(Query.query(Criteria.where("scheduleId").is(scheduleId))
                .sort(Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"))), Snapshot.class);
    }

    /** What {@code GET /snapshots} narrows the list to; every part optional (null: any). */
    public record Filter(UUID serverId, String database, String status, UUID scheduleId, UUID volumeId) {

        public static Filter ofSchedule(UUID scheduleId, String status) {
            return new Filter(null, null, status, scheduleId, null);
        }
    }

    public SnapshotPage list(Filter filter, int page, int size) {
        UUID serverId = filter.serverId();
        String database = filter.database();
        String status = filter.status();
        UUID scheduleId = filter.scheduleId();
        if (page < 0) {
            throw CatalogException.invalidField("invalid-request", "page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw CatalogException.invalidField("invalid-request", "size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        Criteria criteria = Criteria.empty();
        if (serverId != null) {
            criteria = criteria.and("serverId").is(serverId);
        }
        if (database != null) {
            criteria = criteria.and("database").is(database);
        }
        if (scheduleId != null) {
            criteria = criteria.and("scheduleId").is(scheduleId);
        }
        if (filter.volumeId() != null) {
            criteria = criteria.and("volumeId").is(filter.volumeId());
        }
        if (status != null) {
            SnapshotStatus parsed = SnapshotStatus.parse(status).orElseThrow(() -> CatalogException.invalidField(
                    "invalid-request", "status", "must be one of PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, DELETING"));
            criteria = criteria.and("status").is(parsed.name());
        }
        PageRequest pageable = PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id")));
        Page<Snapshot> result = aggregates.findAll(Query.query(criteria), Snapshot.class, pageable);
        Map<UUID, Volume> known = volumes.findAll(result.stream().map(Snapshot::volumeId).distinct().toList())
                .stream().collect(Collectors.toMap(Volume::id, Function.identity()));
        return new SnapshotPage(result.stream().map(s -> SnapshotView.of(s, known.get(s.volumeId()), queuedBehind(s))).toList(),
                page, size, result.getTotalElements(), result.getTotalPages());
    }

    /** A worker claims the job for one attempt (see {@link Snapshot#claim}); empty if no snapshot has that id. */
    public Optional<Snapshot> claim(UUID jobId, UUID attemptId) {
        try {
            return tx.execute(status -> {
                Snapshot snapshot = snapshots.findById(jobId).orElse(null);
                if (snapshot == null) {
                    return Optional.<Snapshot>empty();
                }
                Snapshot.Claim claim = snapshot.claim(attemptId, now(), trust.lease(properties.catalog().lease()));
                switch (claim) {
                    case GRANTED -> snapshots.save(snapshot);
                    case ALREADY_HELD -> { }
                    case REFUSED -> throw CatalogException.conflict("attempt-rejected", "Job not available",
                            "job " + jobId + " is " + snapshot.status()
                                    + (snapshot.status().isTerminal() ? "" : " under a live attempt") + "; drop the command");
                }
                return Optional.of(snapshot);
            });
        } catch (OptimisticLockingFailureException e) {
            // another attempt claimed (or a report landed) between our read and write: that one wins
            throw CatalogException.conflict("attempt-rejected", "Job not available",
                    "job " + jobId + " was claimed concurrently; drop the command");
        }
    }

    /**
     * What {@code POST /api/v1/snapshots/{id}/cancel} does (see {@link Snapshot#cancel}): a queued snapshot is
     * CANCELLED at once and frees its admission slot; a running one keeps RUNNING (with {@code cancelRequestedAt})
     * and the cancel command goes to the workers through the outbox, in the same transaction.
     *
     * @param requestedBy the caller's token name (the gateway's {@code X-Requested-By}); null when unknown
     * @throws CatalogException 404 unknown; 409 {@code job-ended} when the snapshot already ended
     */
    public SnapshotView cancel(UUID id, String requestedBy) {
        Snapshot saved = OptimisticRetry.decide(tx, status -> cancelNow(id, requestedBy));
        return SnapshotView.of(saved, volumes.find(saved.volumeId()).orElse(null));
    }

    private Snapshot cancelNow(UUID id, String requestedBy) {
        Snapshot snapshot = snapshots.findById(id).orElseThrow(() -> CatalogException.notFound("snapshot", id));
        Instant now = now();
        return switch (snapshot.cancel(requestedBy, now)) {
            case TOO_LATE -> throw CatalogException.conflict("job-ended", "Snapshot already ended", "snapshot " + id
                    + " is " + snapshot.status() + "; only a PENDING or RUNNING snapshot can be cancelled");
            case CANCELLED -> {
                Snapshot saved = snapshots.save(snapshot);
                SnapshotPublicEvents.ended(saved, now).ifPresent(events::publishEvent);
                admission.release(id, now);
                jobMetrics.finished(JobKind.BACKUP, saved.status().name());
                log.info("snapshot {}: {}", id, saved.error());
                yield saved;
            }
            case REQUESTED -> {
                Snapshot saved = snapshots.save(snapshot);
                events.publishEvent(CancelCommand.of(id, JobKind.BACKUP, saved.cancelledBy(), requestedBy, now));
                log.info("snapshot {}: cancel requested, attempt {} told to stop", id, saved.attemptId());
                yield saved;
            }
        };
    }

    /** See {@link io.databasement.catalog.admission.JobHandler#expireLostAttempts()}. */
    int expireLostAttempts() {
        Instant cutoff = now().minus(properties.catalog().lease());
        List<UUID> silent = jdbc.sql("select id from snapshots where status = 'RUNNING' and attempt_id is not null "
                + "and last_heartbeat_at < ?").param(Timestamp.from(cutoff)).query(UUID.class).list();
        return JobSweep.each(tx, silent, this::expire);
    }

    /** See {@link io.databasement.catalog.admission.JobHandler#sendDueRetries()}. */
    int sendDueRetries() {
        List<UUID> due = jdbc.sql("select id from snapshots where status = 'RUNNING' and attempt_id is null "
                + "and retry_at <= ?").param(Timestamp.from(now())).query(UUID.class).list();
        return JobSweep.each(tx, due, id -> {
            Snapshot snapshot = snapshots.findById(id).orElse(null);
            Instant now = now();
            if (snapshot == null || !snapshot.retryDue(now)) {
                return false;
            }
            snapshots.save(snapshot);
            dispatch(id, now);
            return true;
        });
    }

    private boolean expire(UUID id) {
        Snapshot snapshot = snapshots.findById(id).orElse(null);
        if (snapshot == null) {
            return false;
        }
        Instant now = now();
        UUID lostAttempt = snapshot.attemptId();
        switch (snapshot.expire(now, properties.catalog().lease(), properties.catalog().maxAttempts(),
                properties.catalog().retryBackoff())) {
            case ALIVE -> {
                return false;
            }
            case REISSUE -> {
                Instant retryAt = snapshots.save(snapshot).retryAt();
                log.warn("snapshot {}: attempt {} lost (no heartbeat for {}); command sent again at {}", id, lostAttempt,
                        properties.catalog().lease(), retryAt);
            }
            case FAIL, CANCEL -> {
                Snapshot saved = snapshots.save(snapshot);
                SnapshotPublicEvents.ended(saved, now).ifPresent(events::publishEvent);
                admission.release(id, now);
                jobMetrics.finished(JobKind.BACKUP, saved.status().name());
                log.warn("snapshot {} {}: {}", id, saved.status(), saved.error());
            }
        }
        return true;
    }

    /** The compression a request names (zstd when absent), or 400 {@code unsupported-compression}. */
    public static Compression compression(String name) {
        if (name == null) {
            return Compression.ZSTD;
        }
        return Compression.fromWire(name).orElseThrow(() -> new CatalogException(HttpStatus.BAD_REQUEST,
                "unsupported-compression", "Invalid request", "compression: must be zstd, gzip or none", "compression"));
    }

    /** The level a request names (the default when absent), or 400 {@code invalid-compression-level}. */
    public static int level(Compression compression, Integer requested) {
        if (requested == null) {
            return compression.defaultLevel();
        }
        if (!compression.acceptsLevel(requested)) {
            throw CatalogException.invalidField("invalid-compression-level", "compressionLevel",
                    "must be between " + compression.minLevel() + " and " + compression.maxLevel() + " for "
                            + compression.wireName());
        }
        return requested;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
