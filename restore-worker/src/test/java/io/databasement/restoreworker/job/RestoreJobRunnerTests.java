package io.databasement.restoreworker.job;

import io.databasement.worker.intake.JobOutcome;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
            return true;
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
            return true;
        }

        @Override
        public ToolInvocation dump(Endpoint endpoint, String password, String database, ServerInfo server) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ToolInvocation restore(Endpoint endpoint, String password, String database, ServerInfo server) {
            return new ToolInvocation(List.of("sh", "-c", "cat > /dev/null"), Map.of("MYSQL_PWD", password), "fake 1.0");
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

    private final RestoreJobRunner runner = new RestoreJobRunner(claims, (volumeId, key) -> new ByteArrayInputStream(ARTIFACT),
            new ArtifactLoader(), publisher, sealer, type -> Optional.of(engine), heartbeat, Duration.ofMillis(50), Clock.systemUTC());

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

    private List<Class<?>> reportTypes() {
        return reports.stream().filter(r -> !(r instanceof RestoreJobProgress)).<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void aVerifiedLoadIsSwappedInAndReportedCompleted() throws Exception {
        assertThat(runner.run(command("10.6.1-MariaDB"), "c")).isEqualTo(JobOutcome.ACK);

        assertThat(reportTypes()).containsExactly(RestoreJobStarted.class, RestoreJobCompleted.class);
        assertThat(targetCalls).containsExactly("lock", "createStaging", "swap", "close");
        assertThat(reports).anyMatch(r -> r instanceof RestoreJobProgress p && p.phase().equals("swapping"));
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
    }
}
