package io.databasement.restoreworker.job;

import io.databasement.worker.timing.Phases;
import io.databasement.worker.intake.JobOutcome;
import io.databasement.contracts.Compression;
import io.databasement.contracts.RestoreJobCancelled;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobRequested;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.RestoreMode;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.ServerConnection;
import io.databasement.contracts.Verification;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.EngineException;
import io.databasement.engines.Endpoint;
import io.databasement.engines.RestoreTarget;
import io.databasement.engines.Secrets;
import io.databasement.engines.ServerInfo;
import io.databasement.engines.SwapException;
import io.databasement.engines.ToolInvocation;
import io.databasement.worker.cancel.JobCancellation;
import io.databasement.worker.cancel.RunningJobs;
import io.databasement.worker.catalog.AttemptClaims;
import io.databasement.restoreworker.load.ArtifactLoader;
import io.databasement.restoreworker.load.LoadCounters;
import io.databasement.restoreworker.load.LoadResult;
import io.databasement.worker.report.ReportPublisher;
import io.databasement.restoreworker.storage.ArtifactSource;
import io.databasement.restoreworker.storage.StorageException;
import io.databasement.restoreworker.verify.ScratchVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import io.databasement.worker.metrics.JobMetrics;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore attempt from claim to report: claim → unseal → probe and version check → lock → staging →
 * started → stream, verify and load → re-claim → swap → completed. Nothing touches the target before the
 * checksum matched, the tool exited 0 and the dump's trailer was seen; the lock and the staging database are
 * always released.
 * <p>
 * A cancel (see {@link RunningJobs}) before the swap kills the restore tool, stops the download, drops the staging
 * database and reports the attempt cancelled; the target is never touched. Once the catalog granted the claim before
 * the swap (it refuses that claim when a cancel came first), the swap runs to its end whatever comes.
 * <p>
 * A VERIFY job (a snapshot's verification) names a scratch database that must not exist. Its staging database is
 * the scratch copy: loaded like any restore, then dumped again and compared table by table with the snapshot's
 * statistics, then dropped. Nothing is swapped, so no other database is ever touched.
 */
public class RestoreJobRunner {

    private static final Logger log = LoggerFactory.getLogger(RestoreJobRunner.class);

    private final AttemptClaims claims;
    private final ArtifactSource source;
    private final ArtifactLoader loader;
    private final ScratchVerifier verifier;
    private final ReportPublisher reports;
    private final SecretSealer sealer;
    private final Function<String, Optional<DatabaseEngine>> engines;
    private final ScheduledExecutorService heartbeat;
    private final Duration progressInterval;
    private final Clock clock;
    private final RunningJobs running;
    private final JobMetrics metrics;

    public RestoreJobRunner(AttemptClaims claims, ArtifactSource source, ArtifactLoader loader, ScratchVerifier verifier,
                            ReportPublisher reports, SecretSealer sealer, Function<String, Optional<DatabaseEngine>> engines,
                            ScheduledExecutorService heartbeat, Duration progressInterval, Clock clock, RunningJobs running,
                            JobMetrics metrics) {
        this.running = running;
        this.metrics = metrics;
        this.claims = claims;
        this.source = source;
        this.loader = loader;
        this.verifier = verifier;
        this.reports = reports;
        this.sealer = sealer;
        this.engines = engines;
        this.heartbeat = heartbeat;
        this.progressInterval = progressInterval;
        this.clock = clock;
    }

    public JobOutcome run(RestoreJobRequested command, String correlationId) {
        UUID jobId = command.jobId();
        UUID attemptId = UUID.randomUUID();
        switch (claims.claim(jobId, attemptId)) {
            case REFUSED:
                return JobOutcome.ACK;
            case UNREACHABLE:
                return JobOutcome.REDELIVER;
            case GRANTED:
                break;
        }
        log.info("job {}: attempt {} claimed, restoring snapshot {} into database of server {}", jobId, attemptId,
                command.snapshotId(), command.targetServerName());
        long claimed = System.nanoTime();
        metrics.started();
        String outcome = JobMetrics.FAILED;
        try (JobCancellation cancellation = running.register(jobId)) {
            outcome = runAttempt(new Attempt(command, attemptId, correlationId, cancellation));
        } finally {
            metrics.ended(command.target() == null ? null : command.target().engine(), outcome,
                    Duration.ofNanos(System.nanoTime() - claimed));
        }
        return JobOutcome.ACK;
    }

    /** @return the outcome as {@link JobMetrics} names it, or {@code superseded} when a newer attempt took the job */
    private String runAttempt(Attempt attempt) {
        UUID jobId = attempt.command.jobId();
        UUID attemptId = attempt.attemptId;
        String outcome = JobMetrics.FAILED;
        try {
            attempt.run();
            outcome = JobMetrics.COMPLETED;
        } catch (JobFailedException e) {
            if (attempt.stoppedByCancel(e)) {
                attempt.cancelled(e.getMessage());
                outcome = JobMetrics.CANCELLED;
            } else {
                attempt.fail(e.getMessage(), e.targetTouched);
            }
        } catch (SupersededException e) {
            outcome = "superseded";
            log.info("job {}: attempt {} is no longer the job's current one; its staging database is dropped, the target untouched",
                    jobId, attemptId);
        } catch (RuntimeException e) {
            // a bug of ours: still a clear end for the user, never a job stuck in IN_PROGRESS
            log.error("job {}: unexpected error", jobId, e);
            attempt.fail("internal error in the restore worker: " + e.getClass().getSimpleName(), attempt.swapping);
        } finally {
            attempt.release();
        }
        return outcome;
    }

    /** The state of one attempt, so cleanup knows what exists. */
    private final class Attempt {

        private final RestoreJobRequested command;
        private final UUID attemptId;
        private final String correlationId;
        private final JobCancellation cancellation;
        private final LoadCounters counters = new LoadCounters();
        private final boolean verify;
        private volatile String phase = "loading";
        private String password;
        private DatabaseEngine engine;
        private Endpoint endpoint;
        private RestoreTarget target;
        private boolean swapping;
        /** The catalog granted the claim before the swap: a cancel no longer stops this attempt. */
        private boolean swapClaimed;
        /** The final report is being sent: the heartbeat stays silent. */
        private boolean ended;

        Attempt(RestoreJobRequested command, UUID attemptId, String correlationId, JobCancellation cancellation) {
            this.command = command;
            this.attemptId = attemptId;
            this.correlationId = correlationId;
            this.cancellation = cancellation;
            this.verify = RestoreMode.VERIFY.name().equals(command.mode());
        }

        /** Between steps: a cancel that came while no tool ran stops the attempt here. */
        private void checkCancelled() throws JobFailedException {
            if (cancellation.cancelled()) {
                throw new JobFailedException(cancellation.reason(), false);
            }
        }

        /** The snapshot's bytes; a cancel interrupts the storage call while it waits out an outage. */
        private InputStream open() throws StorageException {
            try (JobCancellation.Registration interruptible = cancellation.interruptOnCancel()) {
                return source.open(command.volumeId(), command.objectKey());
            }
        }

        /** Whether the attempt ended because of a cancel (and not in the swap, which a cancel never interrupts). */
        boolean stoppedByCancel(JobFailedException e) {
            return cancellation.cancelled() && !swapClaimed && !e.targetTouched;
        }

        void run() throws JobFailedException, SupersededException {
            Instant startedAt = clock.instant();
            Phases phases = new Phases();
            Compression compression = checkCommand();
            ServerConnection connection = command.target();
            password = unseal(connection.sealedPassword());
            engine = engines.apply(connection.engine())
                    .orElseThrow(() -> new JobFailedException("unknown database type \"" + connection.engine() + "\"", false));
            endpoint = new Endpoint(connection.engine(), connection.host(), connection.port(), connection.username());
            ServerInfo server;
            ToolInvocation tool;
            try {
                engine.validateDatabaseName(command.targetDatabase());
                server = engine.probe(endpoint, password);
                engine.checkRestorable(command.sourceDatabaseType(), command.sourceDatabaseVersion(), server);
                target = engine.restoreTarget(endpoint, password, command.targetDatabase(), attemptId);
                if (target.targetExisted() && verify) {
                    throw new JobFailedException("the verification's scratch database \"" + command.targetDatabase()
                            + "\" already exists; a verification never touches an existing database", false);
                }
                if (target.targetExisted() && !command.targetExists()) {
                    // accepted as a restore into a new database: nobody confirmed overwriting the one that appeared since
                    throw new JobFailedException("database \"" + command.targetDatabase() + "\" was created after the restore was"
                            + " accepted; it was not overwritten (request the restore again to confirm overwriting it)", false);
                }
                checkCancelled();
                phases.mark("probe");
                target.createStaging();
                tool = engine.restore(endpoint, password, target.stagingDatabase(), server);
                phases.mark("create staging");
            } catch (EngineException e) {
                throw new JobFailedException(e.getMessage(), false);
            } catch (IllegalArgumentException e) {
                // InvalidDatabaseNameException: the catalog should have refused it; say why all the same
                throw new JobFailedException("invalid target database name: " + e.getMessage(), false);
            }
            reports.publish(command.jobId(), new RestoreJobStarted(command.jobId(), attemptId, target.stagingDatabase(), server.version(),
                    tool.toolVersion(), startedAt), correlationId);
            phases.mark("started report");

            ScheduledFuture<?> beat = heartbeat.scheduleAtFixedRate(this::progress, progressInterval.toMillis(),
                    progressInterval.toMillis(), TimeUnit.MILLISECONDS);
            try {
                long loadStarted = System.nanoTime();
                LoadResult result;
                // the loader closes the artifact on a cancel, which also ends a download that waits out a storage outage
                try (InputStream artifact = open()) {
                    result = loader.load(artifact, compression, tool, engine,
                            engine.restoreLineRewrites(command.sourceDatabase(), target.stagingDatabase()), counters, password,
                            cancellation);
                } catch (StorageException | ArtifactLoader.LoadFailedException e) {
                    throw new JobFailedException(e.getMessage(), false);
                } catch (IOException e) {
                    throw new JobFailedException("reading the artifact failed: " + e.getMessage(), false);
                }
                phases.mark("load");
                checkCancelled();
                phase = "verifying";
                String problem = result.problem(command.sha256(), command.sizeBytes(), toolName(tool), engine.dumpTrailer());
                if (problem != null) {
                    throw new JobFailedException(problem, false);
                }
                if (verify) {
                    Verification verification = compareScratchCopy(server, loadStarted);
                    checkCancelled();
                    dropScratchCopy();
                    log.info("job {}: attempt {} verified snapshot {}: {} ({} tables, {} rows, {} ms)", command.jobId(), attemptId,
                            command.snapshotId(), verification.passed() ? "passed" : "FAILED " + verification.mismatches(),
                            verification.tablesCompared(), verification.rowsCompared(), verification.durationMs());
                    end();
                    metrics.bytes(connection.engine(), result.bytesRead());
                    reports.publish(command.jobId(), new RestoreJobCompleted(command.jobId(), attemptId, result.bytesRead(),
                            result.rawBytes(), startedAt, clock.instant(), verification), correlationId);
                    return;
                }
                checkCancelled();
                // a duplicate delivery with a newer attempt must never overwrite the target a second time; the catalog
                // also refuses this claim once the restore was cancelled (and then records it CANCELLED itself)
                switch (claims.claim(command.jobId(), attemptId)) {
                    case REFUSED -> throw new SupersededException();
                    case UNREACHABLE -> throw new JobFailedException(
                            "the catalog could not confirm this attempt before the swap; the target was not touched", false);
                    case GRANTED -> swapClaimed = true;
                }
                phases.mark("claim swap");
                phase = "swapping";
                progress();
                swapping = true;
                try {
                    target.swap();
                } catch (SwapException e) {
                    throw new JobFailedException(e.getMessage(), e.targetTouched());
                }
                swapping = false;
                phases.mark("swap");
                log.info("job {}: attempt {} restored {} bytes ({} raw) into the target ({})", command.jobId(), attemptId,
                        result.bytesRead(), result.rawBytes(), phases);
                end();
                metrics.bytes(connection.engine(), result.bytesRead());
                reports.publish(command.jobId(), new RestoreJobCompleted(command.jobId(), attemptId, result.bytesRead(), result.rawBytes(),
                        startedAt, clock.instant()), correlationId);
            } finally {
                beat.cancel(false);
            }
        }

        /** Dumps the scratch copy (the staging database) with the backup's own dump command and compares its tables. */
        private Verification compareScratchCopy(ServerInfo server, long loadStarted) throws JobFailedException {
            if (command.expectedTables() == null) {
                // A snapshot taken before backups counted table statistics: there is nothing to compare with. It has
                // just restored completely (checksum, tool exit 0, trailer), which is all such a snapshot can prove.
                return new Verification(true, 0, 0, List.of(), (System.nanoTime() - loadStarted) / 1_000_000);
            }
            try {
                ToolInvocation dump = engine.dump(endpoint, password, target.stagingDatabase(), server);
                return verifier.verify(dump, engine, command.expectedTables(), loadStarted, password);
            } catch (EngineException | ScratchVerifier.VerificationFailedException e) {
                throw new JobFailedException(e.getMessage(), false);
            }
        }

        /** Drops the scratch copy and makes sure it is gone: a leftover copy of production data must not go unnoticed. */
        private void dropScratchCopy() {
            String scratch = target.stagingDatabase();
            target.dropStaging();
            boolean gone;
            try {
                gone = !engine.databaseExists(endpoint, password, scratch);
            } catch (EngineException e) {
                gone = false;
            }
            if (!gone) {
                log.error("job {}: THE VERIFICATION'S SCRATCH DATABASE \"{}\" ON SERVER {} COULD NOT BE DROPPED: it holds a copy of"
                        + " snapshot {}; drop it by hand", command.jobId(), scratch, command.targetServerName(), command.snapshotId());
            }
        }

        private Compression checkCommand() throws JobFailedException {
            ServerConnection t = command.target();
            if (t == null || t.engine() == null || t.host() == null) {
                throw new JobFailedException("the command has no target server connection", false);
            }
            if (command.targetDatabase() == null || command.targetDatabase().isEmpty()) {
                throw new JobFailedException("the command names no target database", false);
            }
            if (command.volumeId() == null || command.objectKey() == null || command.sha256() == null) {
                throw new JobFailedException("the command names no artifact (volume, key and checksum)", false);
            }
            return Compression.fromWire(command.compression())
                    .orElseThrow(() -> new JobFailedException("unknown compression \"" + command.compression() + "\"", false));
        }

        private String unseal(String sealed) throws JobFailedException {
            try {
                return sealer.unseal(sealed);
            } catch (IllegalArgumentException e) {
                throw new JobFailedException("the server password could not be unsealed: is DBM_SEAL_KEY the catalog's key?", false);
            }
        }

        private void progress() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                sendProgress();
            }
        }

        /**
         * No progress report is sent after this returns, and none is still being handed to the producer: the final
         * report is then the job's last (reports of one job share a partition, so they arrive in send order).
         */
        private synchronized void end() {
            ended = true;
        }

        private void sendProgress() {
            try {
                reports.publishLater(command.jobId(), new RestoreJobProgress(command.jobId(), attemptId, counters.bytesRead(),
                        command.sizeBytes(), counters.rawBytes(), phase, clock.instant()), correlationId);
            } catch (RuntimeException e) {
                log.warn("job {}: progress report failed: {}", command.jobId(), e.toString());
            }
        }

        void fail(String reason, boolean targetTouched) {
            String clean = Secrets.scrub(reason, password);
            if (command.target() != null) {
                clean = Secrets.scrub(clean, command.target().sealedPassword());
            }
            if (target != null && verify) {
                dropScratchCopy();
            } else if (target != null) {
                target.dropStaging();
            }
            log.info("job {}: attempt {} failed (target touched: {}): {}", command.jobId(), attemptId, targetTouched, clean);
            end();
            reports.publish(command.jobId(), new RestoreJobFailed(command.jobId(), attemptId, clean, targetTouched, clock.instant()),
                    correlationId);
        }

        /** Stopped by a cancel before the swap: the staging database (or scratch copy) goes, the target was never touched. */
        void cancelled(String stoppedHow) {
            if (target != null && verify) {
                dropScratchCopy();
            } else if (target != null) {
                target.dropStaging();
            }
            String reason = cancellation.reason() + (target != null ? "; the staging database was dropped" : "")
                    + "; the target was not touched";
            log.info("job {}: attempt {} cancelled ({})", command.jobId(), attemptId, Secrets.scrub(stoppedHow, password));
            end();
            reports.publish(command.jobId(), new RestoreJobCancelled(command.jobId(), attemptId, reason, clock.instant()),
                    correlationId);
        }

        /** Drops staging (and old, if the swap left it behind) and releases the target's lock. */
        void release() {
            if (target != null) {
                try {
                    target.close();
                } catch (RuntimeException e) {
                    log.warn("job {}: cleanup after attempt {} failed: {}", command.jobId(), attemptId, e.toString());
                }
            }
        }
    }

    private static String toolName(ToolInvocation tool) {
        String path = tool.command().get(0);
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The attempt cannot go on; the message is the user-facing reason. */
    static final class JobFailedException extends Exception {
        private final boolean targetTouched;

        JobFailedException(String reason, boolean targetTouched) {
            super(reason);
            this.targetTouched = targetTouched;
        }
    }

    /** The catalog gave the job to a newer attempt: stop without a report (it would be ignored) and never swap. */
    static final class SupersededException extends Exception {
    }
}
