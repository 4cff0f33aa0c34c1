package io.databasement.backupworker.job;

import io.databasement.worker.intake.JobOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.backupworker.InMemorySink;
import io.databasement.worker.cancel.RunningJobs;
import io.databasement.worker.catalog.AttemptClaims;
import io.databasement.backupworker.dump.DumpStreamer;
import io.databasement.worker.report.ReportPublisher;
import io.databasement.contracts.BackupCancelled;
import io.databasement.contracts.BackupCompleted;
import io.databasement.contracts.TableStats;
import io.databasement.contracts.BackupFailed;
import io.databasement.contracts.BackupProgress;
import io.databasement.contracts.BackupRequested;
import io.databasement.contracts.BackupStarted;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.ServerConnection;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.EngineException;
import io.databasement.engines.Endpoint;
import io.databasement.engines.ServerInfo;
import io.databasement.engines.ToolInvocation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The job's decisions with stand-ins for the catalog, storage, Kafka and the database (collaborators). */
class BackupJobRunnerTests {

    private static final String PASSWORD = "pa55-w0rd!";
    private final SecretSealer sealer = new SecretSealer(Base64.getEncoder().encodeToString(new byte[32]));
    private final InMemorySink sink = new InMemorySink();
    private final List<Object> reports = new CopyOnWriteArrayList<>();
    private final ReportPublisher publisher = new ReportPublisher(null, null, "/backup-worker", Duration.ofSeconds(1)) {
        @Override
        public <T> boolean publish(UUID jobId, T report, String correlationId) {
            reports.add(report);
            return true;
        }

        @Override
        public <T> void publishLater(UUID jobId, T report, String correlationId) {
            reports.add(report);
        }
    };
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
    private final List<UUID> claimed = new CopyOnWriteArrayList<>();
    private volatile AttemptClaims.Claim answer = AttemptClaims.Claim.GRANTED;
    private volatile String toolScript = "echo 'INSERT 1;'; echo '-- Dump completed'";
    private volatile String probeFailure;

    private final DatabaseEngine engine = new DatabaseEngine() {
        @Override
        public String family() {
            return "mysql";
        }

        @Override
        public Set<String> types() {
            return Set.of("mariadb");
        }

        @Override
        public void validateDatabaseName(String name) {
        }

        @Override
        public ServerInfo probe(Endpoint endpoint, String password) throws EngineException {
            if (probeFailure != null) {
                throw new EngineException(probeFailure.replace("{pw}", password));
            }
            return new ServerInfo("mariadb", "10.11.19-MariaDB", 10);
        }

        @Override
        public boolean databaseExists(Endpoint endpoint, String password, String database) {
            throw new UnsupportedOperationException("a backup never asks");
        }

        @Override
        public ToolInvocation restore(Endpoint endpoint, String password, String database, ServerInfo target) {
            throw new UnsupportedOperationException("a backup never restores");
        }

        @Override
        public io.databasement.engines.RestoreTarget restoreTarget(Endpoint endpoint, String password, String database, UUID attemptId) {
            throw new UnsupportedOperationException("a backup never restores");
        }

        @Override
        public ToolInvocation dump(Endpoint endpoint, String password, String database, ServerInfo server) {
            return new ToolInvocation(List.of("sh", "-c", toolScript), Map.of("MYSQL_PWD", password), "fake-dump 1.0");
        }

        @Override
        public io.databasement.engines.stats.TableStatsCollector tableStatsCollector() {
            return new io.databasement.engines.stats.MariaDbTableStats();
        }

        @Override
        public String dumpTrailer() {
            return "-- Dump completed";
        }
    };

    private final RunningJobs running = new RunningJobs();
    private final BackupJobRunner runner = new BackupJobRunner((job, attempt) -> {
        claimed.add(attempt);
        return answer;
    }, sink, new DumpStreamer(sink, new DumpStreamer.Settings(64 * 1024, 2)), publisher, sealer,
            type -> Optional.of(engine), heartbeat, Duration.ofMillis(50), new SimpleMeterRegistry(), Clock.systemUTC(), running);

    @AfterEach
    void stop() {
        heartbeat.shutdownNow();
    }

    private BackupRequested command() {
        return new BackupRequested(UUID.randomUUID(), UUID.randomUUID(), "prod db", new ServerConnection("mariadb", "10.0.0.5", 3306,
                "backup", sealer.seal(PASSWORD)), "shop", UUID.randomUUID(), "zstd", 3, Instant.now());
    }

    @Test
    void aCompletedBackupReportsStartedProgressAndCompletedWithTheStoredSizeAndChecksum() {
        BackupRequested command = command();

        assertThat(runner.run(command, "corr-1")).isEqualTo(JobOutcome.ACK);

        assertThat(reports.get(0)).isInstanceOf(BackupStarted.class);
        assertThat(reports).anyMatch(BackupProgress.class::isInstance);
        BackupCompleted completed = (BackupCompleted) reports.get(reports.size() - 1);
        InMemorySink.Upload upload = sink.only();
        assertThat(completed.sizeBytes()).isEqualTo(upload.object.length);
        assertThat(completed.sha256()).isEqualTo(InMemorySink.sha256(upload.object));
        assertThat(completed.attemptId()).isEqualTo(claimed.get(0));
        assertThat(completed.objectKey()).isEqualTo(upload.key).startsWith("prod_db/shop/prod_db-shop-").endsWith(".sql.zst");
        assertThat(completed.databaseType()).isEqualTo("mariadb");
    }

    @Test
    void aCompletedBackupReportsEveryTablesRowsCountedFromTheDumpSortedByName() {
        toolScript = "printf 'LOCK TABLES `orders` WRITE;\\nINSERT INTO `orders` VALUES (1,\\047a\\047),(2,NULL);\\nUNLOCK TABLES;\\n"
                + "LOCK TABLES `empty` WRITE;\\nUNLOCK TABLES;\\n-- Dump completed\\n'";

        runner.run(command(), null);

        BackupCompleted completed = (BackupCompleted) reports.get(reports.size() - 1);
        assertThat(completed.tables()).extracting(TableStats::table, TableStats::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("empty", 0L), org.assertj.core.groups.Tuple.tuple("orders", 2L));
        assertThat(completed.tables().get(0).checksum()).isEqualTo("0000000000000000");
        assertThat(completed.tables().get(1).checksum()).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
    }

    @Test
    void aCommandTheCatalogRefusesIsDroppedWithoutDumping() {
        answer = AttemptClaims.Claim.REFUSED;

        assertThat(runner.run(command(), null)).isEqualTo(JobOutcome.ACK);

        assertThat(sink.uploads).isEmpty();
        assertThat(reports).isEmpty();
    }

    @Test
    void aCommandIsHandedBackWhenTheCatalogCannotBeReached() {
        answer = AttemptClaims.Claim.UNREACHABLE;

        assertThat(runner.run(command(), null)).isEqualTo(JobOutcome.REDELIVER);

        assertThat(sink.uploads).isEmpty();
        assertThat(reports).isEmpty();
    }

    @Test
    void aProbeFailureIsReportedInTheServersWordsWithoutThePassword() {
        probeFailure = "(conn=7) Access denied for user 'backup'@'10.0.0.9' (using password: YES) [{pw}]";

        runner.run(command(), null);

        BackupFailed failed = (BackupFailed) reports.get(0);
        assertThat(failed.reason()).startsWith("(conn=7) Access denied for user 'backup'").doesNotContain(PASSWORD).contains("***");
        assertThat(sink.uploads).isEmpty();
    }

    @Test
    void aToolFailureAbortsTheUploadAndReportsTheToolsWordsWithoutThePassword() {
        toolScript = "echo 'CREATE TABLE'; echo \"mariadb-dump: Got error: 1045: Access denied (pw $MYSQL_PWD)\" >&2; exit 2";

        runner.run(command(), null);

        assertThat(sink.aborted).hasSize(1);
        BackupFailed failed = (BackupFailed) reports.get(reports.size() - 1);
        assertThat(failed.reason()).isEqualTo("mariadb-dump: Got error: 1045: Access denied (pw ***)");
        assertThat(reports).noneMatch(BackupCompleted.class::isInstance);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aCancelKillsTheRunningDumpAndItsChildrenAbortsTheUploadAndReportsTheAttemptCancelled() throws Exception {
        java.nio.file.Path childPid = java.nio.file.Files.createTempFile("dump-child", ".pid");
        // a dump that never ends by itself, with a child process of its own (as a real tool may have)
        toolScript = "echo 'INSERT 1;'; sleep 300 & echo $! > " + childPid + "; wait";
        BackupRequested command = command();
        java.util.concurrent.CompletableFuture<JobOutcome> outcome =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> runner.run(command, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (java.nio.file.Files.size(childPid) == 0 || reports.stream().noneMatch(BackupStarted.class::isInstance)) {
            assertThat(System.nanoTime()).as("the dump started").isLessThan(deadline);
            Thread.sleep(20);
        }
        long child = Long.parseLong(java.nio.file.Files.readString(childPid).trim());
        assertThat(ProcessHandle.of(child)).as("the tool's child runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        assertThat(running.cancel(command.jobId(), "cancelled by alice")).isTrue();

        assertThat(outcome.get(20, java.util.concurrent.TimeUnit.SECONDS)).as("the command is committed like any finished job")
                .isEqualTo(JobOutcome.ACK);
        assertThat(killed(child)).as("the tool's child was killed too").isTrue();
        assertThat(sink.aborted).as("the partial upload is removed").hasSize(1);
        assertThat(reports.get(reports.size() - 1)).isInstanceOfSatisfying(BackupCancelled.class, c -> {
            assertThat(c.jobId()).isEqualTo(command.jobId());
            assertThat(c.reason()).isEqualTo("cancelled by alice; the partial upload was removed");
        });
        assertThat(reports).noneMatch(r -> r instanceof BackupFailed || r instanceof BackupCompleted);
        assertThat(running.size()).as("the ended job left the registry").isZero();
    }

    /** Gone, or a zombie waiting for whoever adopted it to reap it: either way it no longer runs. */
    private static boolean killed(long pid) throws Exception {
        java.nio.file.Path stat = java.nio.file.Path.of("/proc", Long.toString(pid), "stat");
        for (int i = 0; i < 250; i++) {
            if (!java.nio.file.Files.exists(stat)) {
                return true;
            }
            String s = java.nio.file.Files.readString(stat);
            if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void aCancelThatCameBeforeTheCommandStopsTheJobBeforeItDumpsAnything() {
        BackupRequested command = command();
        assertThat(running.cancel(command.jobId(), "cancelled by bob")).as("not running here yet").isFalse();

        runner.run(command, null);

        assertThat(sink.uploads).isEmpty();
        assertThat(reports).hasSize(1).first().isInstanceOfSatisfying(BackupCancelled.class,
                c -> assertThat(c.reason()).isEqualTo("cancelled by bob"));
    }

    @Test
    void aPasswordSealedWithAnotherKeyFailsWithAHintAndNeverTheSealedValue() {
        BackupRequested good = command();
        String foreign = new SecretSealer(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})).seal(PASSWORD);
        BackupRequested command = new BackupRequested(good.jobId(), good.serverId(), good.serverName(), new ServerConnection("mariadb",
                "h", 3306, "u", foreign), good.database(), good.volumeId(), "zstd", 3, good.requestedAt());

        runner.run(command, null);

        BackupFailed failed = (BackupFailed) reports.get(0);
        assertThat(failed.reason()).contains("could not be unsealed").doesNotContain(foreign);
    }

    @Test
    void anUnknownCompressionFailsTheJobWithAReason() {
        BackupRequested good = command();
        BackupRequested command = new BackupRequested(good.jobId(), good.serverId(), good.serverName(), good.connection(),
                good.database(), good.volumeId(), "brotli", 3, good.requestedAt());

        runner.run(command, null);

        assertThat(((BackupFailed) reports.get(0)).reason()).isEqualTo("unknown compression \"brotli\"");
    }
}
