package io.databasement.catalog.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.messaging.OutboxMessage;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.RestoreJobCompleted;
import io.databasement.contracts.RestoreJobFailed;
import io.databasement.contracts.RestoreJobStarted;
import io.databasement.contracts.TableMismatch;
import io.databasement.contracts.TableStats;
import io.databasement.contracts.Verification;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.json.JsonMapper;

/** Verification as a user asks for it, and as the restore worker's reports settle it on the snapshot. */
@RecordApplicationEvents
class VerificationMvcTests extends CatalogTestSupport {

    @Autowired
    ApplicationEvents events;

    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    RestoreReportProjection projection;
    @Autowired
    RestoreService restores;

    RestoreFixtures fx;
    UUID server;
    UUID snapshot;
    final List<TableStats> tables = List.of(new TableStats("public.orders", 12, "00000000000000aa"),
            new TableStats("public.users", 3, "00000000000000bb"));

    @BeforeEach
    void completedSnapshotWithTableStatistics() throws Exception {
        fx = new RestoreFixtures(mvc, jdbc, json);
        server = fx.postgresServer();
        snapshot = fx.completedSnapshot(server, RestoreFixtures.unique("shop"), "postgresql", "15.20");
        jdbc.sql("update snapshots set table_stats = ? where id = ?").params(json.writeValueAsString(tables), snapshot).update();
    }

    UUID verify() throws Exception {
        String response = mvc.perform(post("/api/v1/snapshots/{id}/verify", snapshot))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", startsWith("/api/v1/restores/")))
                .andExpect(jsonPath("$.mode").value("VERIFY"))
                .andExpect(jsonPath("$.targetDatabase").value(startsWith("dbm_verify_")))
                .andExpect(jsonPath("$.targetServerId").value(server.toString()))
                .andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    void report(MessageType<?> type, Object payload) {
        var message = MessageBuilder.withPayload(json.writeValueAsBytes(payload))
                .setHeader(CloudEvents.ID, UUID.randomUUID().toString()).setHeader(CloudEvents.TYPE, type.ceType()).build();
        projection.apply(InboundMessage.of(type.topic(), message));
    }

    /** The worker claims, starts: the verification runs. */
    UUID start(UUID restore) {
        UUID attempt = UUID.randomUUID();
        restores.claim(restore, attempt);
        report(MessageTypes.RESTORE_JOB_STARTED, new RestoreJobStarted(restore, attempt, "dbm_verify_x", "15.20", "psql", Instant.now()));
        return attempt;
    }

    /** The JSON of the outbox messages of {@code type} (a simple class name) published about {@code about}. */
    String storedEvents(String type, UUID about) {
        return String.join("\n", events.stream(OutboxMessage.class)
                .filter(m -> m.getClass().getName().endsWith(type))
                .map(m -> json.writeValueAsString(m.payload()))
                .filter(payload -> payload.contains(about.toString())).toList());
    }

    @Test
    void aVerificationIsAVerifyRestoreIntoAScratchDatabaseCarryingTheSnapshotsTableStatistics() throws Exception {
        UUID restore = verify();

        mvc.perform(get("/api/v1/snapshots/{id}", snapshot))
                .andExpect(jsonPath("$.verified").value(false))
                .andExpect(jsonPath("$.verification.status").value("PENDING"))
                .andExpect(jsonPath("$.verification.restoreId").value(restore.toString()))
                .andExpect(jsonPath("$.tableCount").value(2))
                .andExpect(jsonPath("$.rowCount").value(15));
        String command = storedEvents("RestoreEvents$Command", restore);
        assertThat(command).contains("\"mode\":\"VERIFY\"").contains("public.orders").contains("00000000000000aa");
        // the public restore events are about users' restores; a verification goes public as snapshot.verified
        assertThat(storedEvents("RestoreEvents$Accepted", restore)).isEmpty();
        assertThat(storedEvents("RestoreEvents$Started", restore)).isEmpty();
    }

    long restoreDuration(UUID restore) throws Exception {
        String view = mvc.perform(get("/api/v1/restores/{id}", restore)).andReturn().getResponse().getContentAsString();
        return json.readTree(view).get("durationMs").asLong();
    }

    @Test
    void oneVerificationAtATime() throws Exception {
        verify();
        mvc.perform(post("/api/v1/snapshots/{id}/verify", snapshot))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(startsWith("https://databasement.io/problems/verification-under-way")));
    }

    @Test
    void matchingTablesMarkTheSnapshotVerifiedWithTheResultAndTiming() throws Exception {
        UUID restore = verify();
        UUID attempt = start(restore);
        mvc.perform(get("/api/v1/snapshots/{id}", snapshot)).andExpect(jsonPath("$.verification.status").value("RUNNING"));

        Instant t = Instant.now();
        report(MessageTypes.RESTORE_JOB_COMPLETED, new RestoreJobCompleted(restore, attempt, 1234, 5678, t.minusSeconds(3), t,
                new Verification(true, 2, 15, List.of(), 2900)));

        mvc.perform(get("/api/v1/snapshots/{id}", snapshot))
                .andExpect(jsonPath("$.verified").value(true))
                .andExpect(jsonPath("$.verification.status").value("PASSED"))
                .andExpect(jsonPath("$.verification.tablesCompared").value(2))
                .andExpect(jsonPath("$.verification.rowsCompared").value(15))
                .andExpect(jsonPath("$.verification.durationMs").value(restoreDuration(restore)))
                .andExpect(jsonPath("$.verification.verifiedAt").exists());
        assertThat(storedEvents("SnapshotPublicEvents$Verified", snapshot)).contains("\"passed\":true");
        // the scratch restore is done: another verification may start
        mvc.perform(post("/api/v1/snapshots/{id}/verify", snapshot)).andExpect(status().isAccepted());
    }

    @Test
    void aTableThatDiffersFailsTheVerificationNamingIt() throws Exception {
        UUID restore = verify();
        UUID attempt = start(restore);
        TableMismatch emptied = new TableMismatch("public.orders", 12L, 0L, "00000000000000aa", "0000000000000000");

        report(MessageTypes.RESTORE_JOB_COMPLETED, new RestoreJobCompleted(restore, attempt, 10, 20, Instant.now(), Instant.now(),
                new Verification(false, 2, 15, List.of(emptied), 100)));

        mvc.perform(get("/api/v1/snapshots/{id}", snapshot))
                .andExpect(jsonPath("$.verified").value(false))
                .andExpect(jsonPath("$.verification.status").value("FAILED"))
                .andExpect(jsonPath("$.verification.mismatches[0].table").value("public.orders"))
                .andExpect(jsonPath("$.verification.mismatches[0].expectedRows").value(12))
                .andExpect(jsonPath("$.verification.mismatches[0].actualRows").value(0));
        assertThat(storedEvents("SnapshotPublicEvents$Verified", snapshot)).contains("\"passed\":false").contains("public.orders");
    }

    @Test
    void aSnapshotThatDoesNotRestoreFailsTheVerificationWithTheWorkersReason() throws Exception {
        UUID restore = verify();
        UUID attempt = start(restore);

        report(MessageTypes.RESTORE_JOB_FAILED, new RestoreJobFailed(restore, attempt,
                "checksum mismatch: the artifact's SHA-256 is 00ff…, the snapshot says cdcd…", false, Instant.now()));

        mvc.perform(get("/api/v1/snapshots/{id}", snapshot))
                .andExpect(jsonPath("$.verification.status").value("FAILED"))
                .andExpect(jsonPath("$.verification.error").value(startsWith("checksum mismatch")));
        mvc.perform(get("/api/v1/restores/{id}", restore)).andExpect(jsonPath("$.status").value("FAILED"));
    }

    @Test
    void onlyACompletedSnapshotIsVerified() throws Exception {
        UUID running = fx.snapshot(server, RestoreFixtures.unique("shop"), "postgresql", "15.20", "RUNNING");
        mvc.perform(post("/api/v1/snapshots/{id}/verify", running)).andExpect(status().isUnprocessableContent());
        mvc.perform(post("/api/v1/snapshots/{id}/verify", UUID.randomUUID())).andExpect(status().isNotFound());
    }

    @Test
    void aScheduledVerificationThatCannotStartIsRecordedAsFailedWithTheReason() throws Exception {
        UUID unreachable = fx.unreachableServer();
        UUID orphan = fx.completedSnapshot(unreachable, RestoreFixtures.unique("shop"), "postgresql", "15.20");

        verificationService.requestQuietly(orphan);

        mvc.perform(get("/api/v1/snapshots/{id}", orphan))
                .andExpect(jsonPath("$.verification.status").value("FAILED"))
                .andExpect(jsonPath("$.verification.error").value(startsWith("verification could not start")));
    }

    @Autowired
    VerificationService verificationService;

}
