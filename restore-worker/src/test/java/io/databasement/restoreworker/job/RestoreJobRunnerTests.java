package io.databasement.restoreworker.job;

import io.databasement.worker.metrics.JobMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.databasement.worker.intake.JobOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.contracts.RestoreJobCancelled;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobProgress;
import io.databasement.contracts.RestoreJobRequested;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.SecretSealer;
import io.databasement.contracts.ServerConnection;
import io.databasement.engines.DatabaseEngine;
import io.databasement.engines.EngineException;
import io.databasement.engines.Endpoint;
import io.databasement.engines.RestoreTarget;
import io.databasement.engines.ServerInfo;
import io.databasement.engines.SwapException;
import io.databasement.engines.ToolInvocation;
import io.databasement.engines.stats.MariaDbTableStats;
import io.databasement.engines.stats.TableStatsCollector;
import io.databasement.contracts.TableMismatch;
import io.databasement.contracts.TableStats;
import io.databasement.contracts.Verification;
import io.databasement.restoreworker.verify.ScratchVerifier;
import io.databasement.worker.cancel.RunningJobs;
import io.databasement.worker.catalog.AttemptClaims;
import io.databasement.worker.catalog.AttemptClaims.Claim;
import io.databasement.restoreworker.load.ArtifactLoader;
import io.databasement.worker.report.ReportPublisher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The job's decisions with stand-ins for the catalog, storage, Kafka and the database (collaborators). */
class RestoreJobRunnerTests {

    private static final String PASSWORD = "pa55-w0rd!";
    private static final byte[] ARTIFACT = "INSERT 1;\n-- Dump completed\n".getBytes(StandardCharsets.UTF_8);
    private final SecretSealer sealer = new SecretSealer(Base64.getEncoder().encodeToString(new byte[32]));
    private final List<Object> reports = new CopyOnWriteArrayList<>();
    private final List<String> targetCalls = new CopyOnWriteArrayList<>();
    private final Deque<Claim> claimAnswers = new ArrayDeque<>();
    private volatile SwapException swapFailure;
    private volatile String serverVersion = "10.11.19-MariaDB";
    private volatile boolean targetExisted = true;
    private volatile boolean stagingLeftBehind;
    /** What the stand-in restore tool does with its input. */
    private volatile String restoreScript = "cat > /dev/null";
    /** What the stand-in dump tool prints when the scratch copy is dumped again. */
    private volatile String redump = "LOCK TABLES `orders` WRITE;\nINSERT INTO `orders` VALUES (1,'a'),(2,'b');\nUNLOCK TABLES;\n"
            + "-- Dump completed\n";

    private final ReportPublisher publisher = new ReportPublisher(null, null, "/restore-worker", Duration.ofSeconds(1)) {
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
    private final AttemptClaims claims = (jobId, attemptId) -> {
        synchronized (claimAnswers) {
            return claimAnswers.isEmpty() ? Claim.GRANTED : claimAnswers.poll();
        }
    };
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();

    private final RestoreTarget target = new RestoreTarget() {
        @Override
        public String targetDatabase() {
            return "shop";
        }

        @Override
        public String stagingDatabase() {
            return "dbm_rst_1234_shop";
        }

        @Override
        public boolean targetExisted() {
            return targetExisted;
        }

        @Override
        public void createStaging() {
            targetCalls.add("createStaging");
        }

        @Override
        public void dropStaging() {
            targetCalls.add("dropStaging");
        }

        @Override
        public void swap() throws SwapException {
            targetCalls.add("swap");
            if (swapFailure != null) {
                throw swapFailure;
            }
        }

        @Override
        public void close() {
            targetCalls.add("close");
        }
    };

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
        public ServerInfo probe(Endpoint endpoint, String password) {
            return new ServerInfo("mariadb", serverVersion, Integer.parseInt(serverVersion.split("\\.")[0]));
        }

        @Override
        public boolean databaseExists(Endpoint endpoint, String password, String database) {
            targetCalls.add("exists " + database);
            return stagingLeftBehind;
        }

        @Override
        public ToolInvocation dump(Endpoint endpoint, String password, String database, ServerInfo server) {
            targetCalls.add("dump " + database);
            return new ToolInvocation(List.of("printf", "%s", redump), Map.of("MYSQL_PWD", password), "fake-dump 1.0");
        }

        @Override
        public TableStatsCollector tableStatsCollector() {
            return new MariaDbTableStats();
        }

        @Override
        public ToolInvocation restore(Endpoint endpoint, String password, String database, ServerInfo server) {
            return new ToolInvocation(List.of("sh", "-c", restoreScript), Map.of("MYSQL_PWD", password), "fake 1.0");
        }

        @Override
        public RestoreTarget restoreTarget(Endpoint endpoint, String password, String database, UUID attemptId) {
            targetCalls.add("lock");
            return target;
        }

        @Override
        public String dumpTrailer() {
            return "-- Dump completed";
        }
    };

    private final RunningJobs running = new RunningJobs();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RestoreJobRunner runner = new RestoreJobRunner(claims, (volumeId, key) -> new ByteArrayInputStream(ARTIFACT),
            new ArtifactLoader(), new ScratchVerifier(), publisher, sealer, type -> Optional.of(engine), heartbeat, Duration.ofMillis(50), Clock.systemUTC(),
            running, new JobMetrics(meters, "restore"));

    @AfterEach
    void stop() {
        heartbeat.shutdownNow();
    }

    private RestoreJobRequested command(String sourceVersion) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ARTIFACT));
        return new RestoreJobRequested(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "k/k/k.sql", sha, ARTIFACT.length, "none",
                "mariadb", sourceVersion, "shop", UUID.randomUUID(), "db1",
                new ServerConnection("mariadb", "db.example", 3306, "root", sealer.seal(PASSWORD)), "shop", "SAME_DATABASE", true,
                Instant.now());
    }

    private RestoreJobRequested verifyCommand(List<TableStats> expected) throws Exception {
        RestoreJobRequested c = command("10.6.1-MariaDB");
        return new RestoreJobRequested(c.jobId(), c.snapshotId(), c.volumeId(), c.objectKey(), c.sha256(), c.sizeBytes(), c.compression(),
                c.sourceDatabaseType(), c.sourceDatabaseVersion(), c.sourceDatabase(), c.targetServerId(), c.targetServerName(), c.target(),
                "dbm_verify_1a2b3c4d", "VERIFY", false, c.requestedAt(), expected);
    }

    /** The statistics of {@link #redump}, counted independently of the worker. */
    private List<TableStats> redumpStats() {
        MariaDbTableStats stats = new MariaDbTableStats();
        byte[] bytes = redump.getBytes(StandardCharsets.UTF_8);
        stats.feed(bytes, 0, bytes.length);
        return stats.finish();
    }

    private List<Class<?>> reportTypes() {
        return reports.stream().filter(r -> !(r instanceof RestoreJobProgress)).<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void aVerifiedLoadIsSwappedInAndReportedCompleted() throws Exception {
        assertThat(runner.run(command("10.6.1-MariaDB"), "c")).isEqualTo(JobOutcome.ACK);

        assertThat(reportTypes()).containsExactly(RestoreJobStarted.class, RestoreJobCompleted.class);
        assertThat(targetCalls).containsExactly("lock", "createStaging", "swap", "close");
        assertThat(reports).anyMatch(r -> r instanceof RestoreJobProgress p && p.phase().equals("swapping"));
        assertThat(meters.get("dbm.job.duration").tags("kind", "restore", "outcome", "completed").timer().count())
                .as("the attempt is in the duration histogram").isEqualTo(1);
        assertThat(meters.get("dbm.restore.bytes").counter().count()).isEqualTo(ARTIFACT.length);
        assertThat(meters.get("dbm.jobs.in.flight").gauge().value()).isZero();
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aCancelKillsTheRestoreToolAndItsChildrenDropsStagingAndReportsTheAttemptCancelled() throws Exception {
        java.nio.file.Path childPid = java.nio.file.Files.createTempFile("restore-child", ".pid");
        // a restore tool that never ends by itself, with a child process of its own
        restoreScript = "cat > /dev/null; sleep 300 & echo $! > " + childPid + "; wait";
        RestoreJobRequested command = command("10.6.1-MariaDB");
        CompletableFuture<JobOutcome> outcome = CompletableFuture.supplyAsync(() -> runner.run(command, "c"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (java.nio.file.Files.size(childPid) == 0 || reports.stream().noneMatch(RestoreJobStarted.class::isInstance)) {
            assertThat(System.nanoTime()).as("the restore tool started").isLessThan(deadline);
            Thread.sleep(20);
        }
        long child = Long.parseLong(java.nio.file.Files.readString(childPid).trim());

        assertThat(running.cancel(command.jobId(), "cancelled by alice")).isTrue();

        assertThat(outcome.get(20, TimeUnit.SECONDS)).as("the command is committed like any finished job").isEqualTo(JobOutcome.ACK);
        assertThat(killed(child)).as("the tool's child was killed too").isTrue();
        assertThat(targetCalls).containsExactly("lock", "createStaging", "dropStaging", "close");
        assertThat(reportTypes()).containsExactly(RestoreJobStarted.class, RestoreJobCancelled.class);
        assertThat(reports.get(reports.size() - 1)).isInstanceOfSatisfying(RestoreJobCancelled.class, c -> assertThat(c.reason())
                .isEqualTo("cancelled by alice; the staging database was dropped; the target was not touched"));
        assertThat(running.size()).isZero();
    }

    @Test
    void aCancelAfterTheSwapWasClaimedChangesNothing() throws Exception {
        RestoreJobRequested command = command("10.6.1-MariaDB");
        AttemptClaims cancelAtTheSwapClaim = new AttemptClaims() {
            int calls;

            @Override
            public Claim claim(UUID jobId, UUID attemptId) {
                if (++calls == 2) {
                    // the catalog granted the swap; a cancel that reaches the worker now must not stop it halfway
                    running.cancel(jobId, "cancelled by alice");
                }
                return Claim.GRANTED;
            }
        };
        RestoreJobRunner swapping = new RestoreJobRunner(cancelAtTheSwapClaim, (volumeId, key) -> new ByteArrayInputStream(ARTIFACT),
                new ArtifactLoader(), new ScratchVerifier(), publisher, sealer, type -> Optional.of(engine), heartbeat,
                Duration.ofMillis(50), Clock.systemUTC(), running, new JobMetrics(new SimpleMeterRegistry(), "restore"));

        swapping.run(command, "c");

        assertThat(targetCalls).containsExactly("lock", "createStaging", "swap", "close");
        assertThat(reportTypes()).containsExactly(RestoreJobStarted.class, RestoreJobCompleted.class);
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
    void anAttemptThatLostItsClaimBeforeTheSwapNeverSwapsAndReportsNothingMore() throws Exception {
        claimAnswers.add(Claim.GRANTED);
        claimAnswers.add(Claim.REFUSED);

        assertThat(runner.run(command("10.6.1-MariaDB"), "c")).isEqualTo(JobOutcome.ACK);

        assertThat(targetCalls).doesNotContain("swap").endsWith("close");
        assertThat(reportTypes()).containsExactly(RestoreJobStarted.class);
    }

    @Test
    void aRefusedClaimDropsTheCommandAndAnUnreachableCatalogHandsItBack() throws Exception {
        claimAnswers.add(Claim.REFUSED);
        assertThat(runner.run(command("10.6.1-MariaDB"), "c")).isEqualTo(JobOutcome.ACK);
        claimAnswers.add(Claim.UNREACHABLE);
        assertThat(runner.run(command("10.6.1-MariaDB"), "c")).isEqualTo(JobOutcome.REDELIVER);

        assertThat(reports).isEmpty();
        assertThat(targetCalls).isEmpty();
    }

    @Test
    void aSnapshotFromANewerMajorVersionIsRefusedBeforeTheTargetIsLocked() throws Exception {
        runner.run(command("11.4.2-MariaDB"), "c");

        assertThat(reportTypes()).containsExactly(RestoreJobFailed.class);
        assertThat(((RestoreJobFailed) reports.get(0)).reason()).contains("older major version");
        assertThat(((RestoreJobFailed) reports.get(0)).targetTouched()).isFalse();
        assertThat(targetCalls).isEmpty();
    }

    @Test
    void aSwapThatRolledBackReportsTheTargetUntouchedAndOneThatDidNotSaysItWasTouched() throws Exception {
        swapFailure = new SwapException("rename failed (rolled back)", false);
        runner.run(command("10.6.1-MariaDB"), "c");
        swapFailure = new SwapException("routines failed; the old tables are in dbm_old_x with " + PASSWORD, true);
        runner.run(command("10.6.1-MariaDB"), "c");

        List<RestoreJobFailed> failed = reports.stream().filter(RestoreJobFailed.class::isInstance).map(RestoreJobFailed.class::cast).toList();
        assertThat(failed).extracting(RestoreJobFailed::targetTouched).containsExactly(false, true);
        assertThat(failed.get(1).reason()).doesNotContain(PASSWORD).contains("***");
        assertThat(targetCalls.stream().filter("close"::equals)).hasSize(2);
    }

    @Test
    void aTargetThatAppearedAfterTheRestoreWasAcceptedAsNewIsNeverOverwritten() throws Exception {
        RestoreJobRequested c = command("10.6.1-MariaDB");
        RestoreJobRequested asNew = new RestoreJobRequested(c.jobId(), c.snapshotId(), c.volumeId(), c.objectKey(), c.sha256(),
                c.sizeBytes(), c.compression(), c.sourceDatabaseType(), c.sourceDatabaseVersion(), c.sourceDatabase(),
                c.targetServerId(), c.targetServerName(), c.target(), c.targetDatabase(), "CROSS_SERVER", false, c.requestedAt());

        runner.run(asNew, "c");

        assertThat(targetCalls).doesNotContain("createStaging", "swap").startsWith("lock").endsWith("close");
        RestoreJobFailed failed = (RestoreJobFailed) reports.get(reports.size() - 1);
        assertThat(failed.reason()).contains("was created after the restore was accepted");
        assertThat(failed.targetTouched()).isFalse();
    }

    @Test
    void aChecksumMismatchNeverSwaps() throws Exception {
        RestoreJobRequested good = command("10.6.1-MariaDB");
        RestoreJobRequested bad = new RestoreJobRequested(good.jobId(), good.snapshotId(), good.volumeId(), good.objectKey(), "00".repeat(32),
                good.sizeBytes(), good.compression(), good.sourceDatabaseType(), good.sourceDatabaseVersion(), good.sourceDatabase(),
                good.targetServerId(), good.targetServerName(), good.target(), good.targetDatabase(), good.mode(), good.targetExists(),
                good.requestedAt());

        runner.run(bad, "c");

        assertThat(targetCalls).doesNotContain("swap").contains("dropStaging").endsWith("close");
        RestoreJobFailed failed = (RestoreJobFailed) reports.get(reports.size() - 1);
        assertThat(failed.reason()).startsWith("checksum mismatch");
        assertThat(failed.targetTouched()).isFalse();
        assertThat(meters.get("dbm.job.duration").tag("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(meters.find("dbm.restore.bytes").counter()).as("a failed restore restored nothing").isNull();
    }

    @Test
    void aVerificationWhoseCopyMatchesTheSnapshotPassesAndDropsTheScratchCopyWithoutSwapping() throws Exception {
        targetExisted = false;

        runner.run(verifyCommand(redumpStats()), "c");

        assertThat(reportTypes()).containsExactly(RestoreJobStarted.class, RestoreJobCompleted.class);
        Verification v = ((RestoreJobCompleted) reports.get(reports.size() - 1)).verification();
        assertThat(v.passed()).isTrue();
        assertThat(v.tablesCompared()).isEqualTo(1);
        assertThat(v.rowsCompared()).isEqualTo(2);
        assertThat(v.mismatches()).isEmpty();
        // the copy is dumped, then dropped and checked gone before the report; never swapped
        assertThat(targetCalls).containsExactly("lock", "createStaging", "dump dbm_rst_1234_shop", "dropStaging",
                "exists dbm_rst_1234_shop", "close");
    }

    @Test
    void aVerificationWhoseSnapshotCountedMoreRowsFailsNamingTheTable() throws Exception {
        targetExisted = false;
        TableStats orders = redumpStats().get(0);

        runner.run(verifyCommand(List.of(new TableStats("customers", 0, "0000000000000000"),
                new TableStats("orders", 5, orders.checksum()))), "c");

        Verification v = ((RestoreJobCompleted) reports.get(reports.size() - 1)).verification();
        assertThat(v.passed()).isFalse();
        assertThat(v.tablesCompared()).isEqualTo(2);
        assertThat(v.rowsCompared()).isEqualTo(5);
        assertThat(v.mismatches()).containsExactly(
                new TableMismatch("customers", 0L, null, "0000000000000000", null),
                new TableMismatch("orders", 5L, 2L, orders.checksum(), orders.checksum()));
        assertThat(targetCalls).doesNotContain("swap").contains("dropStaging");
    }

    @Test
    void aVerificationOfASnapshotWithoutStatisticsPassesOnceItRestoresWithoutDumpingAgain() throws Exception {
        targetExisted = false;

        runner.run(verifyCommand(null), "c");

        Verification v = ((RestoreJobCompleted) reports.get(reports.size() - 1)).verification();
        assertThat(v.passed()).isTrue();
        assertThat(v.tablesCompared()).isZero();
        assertThat(targetCalls).noneMatch(c -> c.startsWith("dump")).doesNotContain("swap").contains("dropStaging");
    }

    @Test
    void aVerificationWhoseScratchCopyCannotBeDumpedFailsAndStillDropsIt() throws Exception {
        targetExisted = false;
        redump = "LOCK TABLES `orders` WRITE;\n"; // no trailer: a dump that stopped early

        runner.run(verifyCommand(redumpStats()), "c");

        RestoreJobFailed failed = (RestoreJobFailed) reports.get(reports.size() - 1);
        assertThat(failed.reason()).contains("could not be dumped again").contains("-- Dump completed");
        assertThat(failed.targetTouched()).isFalse();
        assertThat(targetCalls).contains("dropStaging", "close").doesNotContain("swap");
    }

    @Test
    void aVerificationNeverUsesAScratchDatabaseThatAlreadyExists() throws Exception {
        targetExisted = true;

        runner.run(verifyCommand(List.of()), "c");

        RestoreJobFailed failed = (RestoreJobFailed) reports.get(0);
        assertThat(failed.reason()).contains("dbm_verify_1a2b3c4d").contains("already exists");
        // only the attempt's own staging name is ever dropped, never the existing database
        assertThat(targetCalls).doesNotContain("createStaging", "swap").startsWith("lock").endsWith("close");
    }
}
