package io.databasement.backupworker.job;

import io.databasement.worker.intake.JobOutcome;
import io.databasement.worker.timing.Phases;
import io.databasement.worker.cancel.JobCancellation;
import io.databasement.worker.cancel.RunningJobs;
import io.databasement.worker.catalog.AttemptClaims;
import io.databasement.backupworker.dump.DumpFailedException;
import io.databasement.backupworker.dump.DumpResult;
import io.databasement.backupworker.dump.DumpStreamer;
import io.databasement.backupworker.dump.StreamCounters;
import io.databasement.worker.report.ReportPublisher;
import io.databasement.backupworker.storage.ArtifactSink;
import io.databasement.backupworker.storage.ArtifactSink.StoredObject;
import io.databasement.backupworker.storage.StorageException;
import io.databasement.contracts.BackupCancelled;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.Compression;
import io.databasement.contracts.ObjectKeys;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.ServerConnection;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.EngineException;
import io.databasement.engines.Endpoint;
import io.databasement.engines.Secrets;
import io.databasement.engines.ServerInfo;
import io.databasement.engines.ToolInvocation;
import io.databasement.worker.metrics.JobMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup attempt from claim to report: claim → unseal → probe → key → upload → started → stream →
 * complete → completed; any failure kills the tool, aborts the upload and reports the reason. A cancel (see
 * {@link RunningJobs}) kills the tool the same way, and the end is reported as cancelled instead, unless the upload was
 * already complete: then the snapshot completed first and stays so.
 */
public class BackupJobRunner {

    private static final Logger log = LoggerFactory.getLogger(BackupJobRunner.class);

    private final AttemptClaims claims;
    private final ArtifactSink sink;
    private final DumpStreamer streamer;
    private final ReportPublisher reports;
    private final SecretSealer sealer;
    private final Function<String, Optional<DatabaseEngine>> engines;
    private final ScheduledExecutorService heartbeat;
    private final Duration progressInterval;
    private final MeterRegistry meters;
    private final JobMetrics metrics;
    private final Clock clock;
    private final RunningJobs running;

    public BackupJobRunner(AttemptClaims claims, ArtifactSink sink, DumpStreamer streamer, ReportPublisher reports, SecretSealer sealer,
                           Function<String, Optional<DatabaseEngine>> engines, ScheduledExecutorService heartbeat,
                           Duration progressInterval, MeterRegistry meters, Clock clock, RunningJobs running) {
        this.running = running;
        this.claims = claims;
        this.sink = sink;
        this.streamer = streamer;
        this.reports = reports;
        this.sealer = sealer;
        this.engines = engines;
        this.heartbeat = heartbeat;
        this.progressInterval = progressInterval;
        this.meters = meters;
        this.metrics = new JobMetrics(meters, "backup");
        this.clock = clock;
    }

    public JobOutcome run(BackupRequested command, String correlationId) {
        UUID jobId = command.jobId();
        UUID attemptId = UUID.randomUUID();
        long claimStarted = System.nanoTime();
        switch (claims.claim(jobId, attemptId)) {
            case REFUSED:
                meters.counter("dbm.backup.jobs", "outcome", "refused").increment();
                return JobOutcome.ACK;
            case UNREACHABLE:
                return JobOutcome.REDELIVER;
            case GRANTED:
                break;
        }
        log.info("job {}: attempt {} claimed in {} ms, backing up database of server {}", jobId, attemptId,
                (System.nanoTime() - claimStarted) / 1_000_000, command.serverName());
        metrics.started();
        String outcome = JobMetrics.FAILED;
        try (JobCancellation cancellation = running.register(jobId)) {
            Attempt attempt = new Attempt(command, attemptId, correlationId, cancellation);
            outcome = runAttempt(attempt, cancellation);
        } finally {
            metrics.ended(command.connection() == null ? null : command.connection().engine(), outcome,
                    Duration.ofNanos(System.nanoTime() - claimStarted));
        }
        return JobOutcome.ACK;
    }

    /** @return the outcome, as {@link JobMetrics} names it */
    private String runAttempt(Attempt attempt, JobCancellation cancellation) {
        UUID jobId = attempt.command.jobId();
        String outcome;
        try {
            attempt.run();
            outcome = JobMetrics.COMPLETED;
        } catch (JobFailedException e) {
            if (cancellation.cancelled()) {
                attempt.cancelled(e.getMessage());
                outcome = JobMetrics.CANCELLED;
            } else {
                attempt.fail(e.getMessage());
                outcome = JobMetrics.FAILED;
            }
        } catch (RuntimeException e) {
            // a bug of ours: still a clear end for the user, never a job stuck in RUNNING
            log.error("job {}: unexpected error", jobId, e);
            attempt.fail("internal error in the backup worker: " + e.getClass().getSimpleName());
            outcome = JobMetrics.FAILED;
        }
        meters.counter("dbm.backup.jobs", "outcome", outcome).increment();
        return outcome;
    }

    /** The state of one attempt, so cleanup knows what exists. */
    private final class Attempt {

        private final BackupRequested command;
        private final UUID attemptId;
        private final String correlationId;
        private final JobCancellation cancellation;
        private final StreamCounters counters = new StreamCounters();
        private final Phases phases = new Phases();
        private String password;
        private String uploadId;

        Attempt(BackupRequested command, UUID attemptId, String correlationId, JobCancellation cancellation) {
            this.command = command;
            this.attemptId = attemptId;
            this.correlationId = correlationId;
            this.cancellation = cancellation;
        }

        /** Between steps: a cancel that came while no tool ran stops the attempt here. */
        private void checkCancelled() throws JobFailedException {
            if (cancellation.cancelled()) {
                throw new JobFailedException(cancellation.reason());
            }
        }

        void run() throws JobFailedException {
            Instant startedAt = clock.instant();
            Compression compression = checkCommand();
            ServerConnection connection = command.connection();
            password = unseal(connection.sealedPassword());
            DatabaseEngine engine = engines.apply(connection.engine())
                    .orElseThrow(() -> new JobFailedException("unknown database type \"" + connection.engine() + "\""));
            Endpoint endpoint = new Endpoint(connection.engine(), connection.host(), connection.port(), connection.username());
            ServerInfo server;
            ToolInvocation tool;
            try {
                server = engine.probe(endpoint, password);
                tool = engine.dump(endpoint, password, command.database(), server);
                phases.mark("probe");
            } catch (EngineException e) {
                throw new JobFailedException(e.getMessage());
            }
            String key = ObjectKeys.snapshotKey(command.serverName(), command.database(), startedAt, attemptId, compression);
            checkCancelled();
            // the heartbeat runs from the upload's start to its end: a storage outage the calls wait out (up to a
            // minute) must not look like a lost attempt to the catalog; its first beat follows the started report
            ScheduledFuture<?> beat = heartbeat.scheduleAtFixedRate(this::progress, progressInterval.toMillis(),
                    progressInterval.toMillis(), TimeUnit.MILLISECONDS);
            DumpResult result;
            StoredObject stored;
            try {
                try (JobCancellation.Registration interruptible = cancellation.interruptOnCancel()) {
                    uploadId = sink.begin(command.volumeId(), key);
                } catch (StorageException e) {
                    throw new JobFailedException(e.getMessage());
                }
                phases.mark("begin upload");
                reports.publish(command.jobId(), new BackupStarted(command.jobId(), attemptId, key, server.databaseType(),
                        server.version(), tool.toolVersion(), startedAt), correlationId);
                phases.mark("started report");
                progress();
                try {
                    result = streamer.run(tool, engine, compression, command.compressionLevel(), uploadId, counters, password,
                            cancellation);
                } catch (DumpFailedException e) {
                    throw new JobFailedException(e.getMessage());
                }
                phases.mark("dump");
                checkCancelled();
                try (JobCancellation.Registration interruptible = cancellation.interruptOnCancel()) {
                    stored = sink.complete(uploadId, result.parts(), result.sha256());
                } catch (StorageException e) {
                    throw new JobFailedException(e.getMessage());
                }
                phases.mark("complete upload");
            } finally {
                beat.cancel(false);
            }
            if (stored.sizeBytes() != result.sizeBytes()) {
                throw new JobFailedException("storage holds " + stored.sizeBytes() + " bytes but " + result.sizeBytes() + " were sent");
            }
            uploadId = null;
            meters.counter("dbm.backup.raw.bytes").increment(result.rawBytes());
            metrics.bytes(command.connection().engine(), result.sizeBytes());
            log.info("job {}: attempt {} stored {} ({} bytes from {} raw, {} parts, {} tables; {})", command.jobId(), attemptId, key,
                    result.sizeBytes(), result.rawBytes(), result.parts().size(), result.tables().size(), phases);
            reports.publish(command.jobId(), new BackupCompleted(command.jobId(), attemptId, command.volumeId(), key, result.sizeBytes(),
                    result.rawBytes(), result.sha256(), compression.wireName(), server.databaseType(), server.version(), startedAt,
                    clock.instant(), result.tables()), correlationId);
        }

        private Compression checkCommand() throws JobFailedException {
            if (command.connection() == null || command.connection().engine() == null || command.connection().host() == null) {
                throw new JobFailedException("the command has no server connection");
            }
            if (command.database() == null || command.database().isEmpty()) {
                throw new JobFailedException("the command names no database");
            }
            if (command.volumeId() == null || command.serverName() == null) {
                throw new JobFailedException("the command names no volume or server");
            }
            Compression compression = Compression.fromWire(command.compression())
                    .orElseThrow(() -> new JobFailedException("unknown compression \"" + command.compression() + "\""));
            if (!compression.acceptsLevel(command.compressionLevel())) {
                throw new JobFailedException(compression.wireName() + " does not accept level " + command.compressionLevel()
                        + " (allowed " + compression.minLevel() + "–" + compression.maxLevel() + ")");
            }
            return compression;
        }

        private String unseal(String sealed) throws JobFailedException {
            try {
                return sealer.unseal(sealed);
            } catch (IllegalArgumentException e) {
                throw new JobFailedException("the server password could not be unsealed: is DBM_SEAL_KEY the catalog's key?");
            }
        }

        private void progress() {
            try {
                reports.publishLater(command.jobId(), new BackupProgress(command.jobId(), attemptId, counters.rawBytes(),
                        counters.storedBytes(), clock.instant()), correlationId);
            } catch (RuntimeException e) {
                log.warn("job {}: progress report failed: {}", command.jobId(), e.toString());
            }
        }

        void fail(String reason) {
            String clean = Secrets.scrub(Secrets.scrub(reason, password), command.connection() == null ? null : command.connection().sealedPassword());
            abortUpload();
            log.info("job {}: attempt {} failed: {}", command.jobId(), attemptId, clean);
            reports.publish(command.jobId(), new BackupFailed(command.jobId(), attemptId, clean, clock.instant()), correlationId);
        }

        /** The attempt was stopped by a cancel: nothing of it stays in storage. */
        void cancelled(String stoppedHow) {
            boolean hadUpload = uploadId != null;
            abortUpload();
            String reason = cancellation.reason() + (hadUpload ? "; the partial upload was removed" : "");
            log.info("job {}: attempt {} cancelled ({})", command.jobId(), attemptId,
                    Secrets.scrub(stoppedHow, password));
            reports.publish(command.jobId(), new BackupCancelled(command.jobId(), attemptId, reason, clock.instant()), correlationId);
        }

        private void abortUpload() {
            if (uploadId != null) {
                try {
                    sink.abort(uploadId);
                } catch (StorageException e) {
                    log.warn("job {}: aborting upload {} failed (storage sweeps it later): {}", command.jobId(), uploadId, e.getMessage());
                }
            }
        }
    }

    /** The attempt cannot go on; the message is the user-facing reason. */
    static final class JobFailedException extends Exception {
        JobFailedException(String reason) {
            super(reason);
        }
    }
}
