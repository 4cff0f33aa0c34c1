package io.databasement.catalog.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.CatalogTestSupport;
import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.volume.Volume;
import io.databasement.contracts.CloudEvents;
import io.databasement.contracts.MessageType;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.StorageDeleteFailed;
import io.databasement.contracts.StorageObjectDeleted;
import io.databasement.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.MediaType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

/** Deleting, locking and downloading snapshots over REST; storage-service's reports applied as they arrive. */
class SnapshotDeletionMvcTests extends CatalogTestSupport {

    private static final String PROBLEM = "https://databasement.io/problems/";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    StorageReportProjection reports;
    @Autowired
    SnapshotDeletions deletions;

    @Test
    void deletingACompletedSnapshotAnswers202DeletingAndKeepsTheRecordUntilStorageConfirms() throws Exception {
        UUID id = snapshot("COMPLETED", knownVolume(), "srv/shop/a.sql.zst");

        delete(id).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("DELETING"))
                .andExpect(jsonPath("$.deletionReason").value(SnapshotDeletions.BY_HAND))
                .andExpect(jsonPath("$.deletionAttempts").value(1))
                .andExpect(jsonPath("$.deletionRequestedAt").isNotEmpty());
        // asking again changes nothing and is still accepted
        delete(id).andExpect(status().isAccepted()).andExpect(jsonPath("$.deletionAttempts").value(1));
        mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("DELETING"));
        mvc.perform(get("/api/v1/snapshots?status=deleting&size=200")).andExpect(status().isOk())
                .andExpect(jsonPath("$.items[?(@.id == '" + id + "')].status").value("DELETING"));

        reports.apply(report(MessageTypes.STORAGE_OBJECT_DELETED,
                new StorageObjectDeleted(id, volumeOf(id), "srv/shop/a.sql.zst", true, Instant.now())));

        mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void aReportAboutAnotherObjectOrAnUnknownSnapshotChangesNothing() throws Exception {
        UUID id = snapshot("COMPLETED", knownVolume(), "srv/shop/b.sql.zst");
        delete(id).andExpect(status().isAccepted());

        reports.apply(report(MessageTypes.STORAGE_OBJECT_DELETED,
                new StorageObjectDeleted(id, volumeOf(id), "srv/shop/other.sql.zst", true, Instant.now())));
        reports.apply(report(MessageTypes.STORAGE_OBJECT_DELETED,
                new StorageObjectDeleted(UUID.randomUUID(), volumeOf(id), "srv/shop/b.sql.zst", true, Instant.now())));

        mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(jsonPath("$.status").value("DELETING"));
    }

    @Test
    void aFailedSnapshotWithoutAFileIsRemovedAtOnce() throws Exception {
        UUID id = snapshot("FAILED", knownVolume(), null);

        delete(id).andExpect(status().isAccepted()).andExpect(jsonPath("$.status").value("DELETING"));

        mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(status().isNotFound());
    }

    @Test
    void aRunningSnapshotALockedOneAndOneBeingRestoredCannotBeDeleted() throws Exception {
        Volume volume = knownVolume();
        UUID running = snapshot("RUNNING", volume, "srv/shop/r.sql.zst");
        expectProblem(delete(running), 409, "snapshot-running").andExpect(jsonPath("$.detail").value(
                org.hamcrest.Matchers.containsString("/cancel) or wait for it to finish")));

        UUID locked = snapshot("COMPLETED", volume, "srv/shop/l.sql.zst");
        mvc.perform(post("/api/v1/snapshots/" + locked + "/lock")).andExpect(status().isOk())
                .andExpect(jsonPath("$.locked").value(true));
        expectProblem(delete(locked), 409, "snapshot-locked");
        mvc.perform(post("/api/v1/snapshots/" + locked + "/unlock")).andExpect(status().isOk())
                .andExpect(jsonPath("$.locked").value(false));
        delete(locked).andExpect(status().isAccepted());
        expectProblem(mvc.perform(post("/api/v1/snapshots/" + locked + "/lock")), 409, "snapshot-deleting");

        UUID read = snapshot("COMPLETED", volume, "srv/shop/x.sql.zst");
        UUID restore = restore(read, "IN_PROGRESS");
        expectProblem(delete(read), 409, "snapshot-in-use");
        jdbc.sql("update restores set status = 'COMPLETED' where id = ?").param(restore).update();
        delete(read).andExpect(status().isAccepted());

        expectProblem(delete(UUID.randomUUID()), 404, "snapshot-not-found");
        expectProblem(mvc.perform(post("/api/v1/snapshots/" + UUID.randomUUID() + "/lock")), 404, "snapshot-not-found");
    }

    @Test
    void aFinishedRestoreKeepsItsHistoryWhenItsSnapshotIsRemoved() throws Exception {
        UUID id = snapshot("COMPLETED", knownVolume(), "srv/shop/h.sql.zst");
        UUID restore = restore(id, "COMPLETED");
        delete(id).andExpect(status().isAccepted());

        reports.apply(report(MessageTypes.STORAGE_OBJECT_DELETED,
                new StorageObjectDeleted(id, volumeOf(id), "srv/shop/h.sql.zst", false, Instant.now())));

        Map<String, Object> row = jdbc.sql("select snapshot_id, snapshot_server_name, snapshot_database from restores where id = ?")
                .param(restore).query().singleRow();
        assertThat(row.get("snapshot_id")).isNull();
        assertThat(row.get("snapshot_server_name")).isEqualTo("srv-del");
        assertThat(row.get("snapshot_database")).isEqualTo("shop");
        mvc.perform(get("/api/v1/restores/" + restore)).andExpect(status().isOk());
    }

    @Test
    void aDeletionStorageRefusesStaysVisibleAndIsOnlySentAgainWhenAskedAgain() throws Exception {
        UUID id = snapshot("COMPLETED", knownVolume(), "srv/shop/f.sql.zst");
        delete(id).andExpect(status().isAccepted());

        reports.apply(report(MessageTypes.STORAGE_DELETE_FAILED,
                new StorageDeleteFailed(id, volumeOf(id), "srv/shop/f.sql.zst", "volume is unknown", false, Instant.now())));

        mvc.perform(get("/api/v1/snapshots/" + id)).andExpect(jsonPath("$.status").value("DELETING"))
                .andExpect(jsonPath("$.error").value("deletion failed: volume is unknown"));
        assertThat(nextAttempt(id)).isNull();
        dueNow(id);
        deletions.resendDue();
        assertThat(attempts(id)).isEqualTo(1);

        delete(id).andExpect(status().isAccepted()).andExpect(jsonPath("$.deletionAttempts").value(2));
        assertThat(nextAttempt(id)).isNotNull();
    }

    @Test
    void theSweepSendsTheCommandAgainWithADoublingWait() throws Exception {
        UUID id = snapshot("COMPLETED", knownVolume(), "srv/shop/s.sql.zst");
        delete(id).andExpect(status().isAccepted());
        Instant firstDue = nextAttempt(id);
        assertThat(firstDue).isBetween(Instant.now().plusSeconds(25), Instant.now().plusSeconds(31));

        dueNow(id);
        Instant before = Instant.now();
        assertThat(deletions.resendDue()).isGreaterThanOrEqualTo(1);

        assertThat(attempts(id)).isEqualTo(2);
        assertThat(nextAttempt(id)).isBetween(before.plusSeconds(59), Instant.now().plusSeconds(61));
    }

    @Test
    void aLocalSnapshotStreamsWithItsNameTypeDigestAndRanges() throws Exception {
        Volume local = new Volume(UUID.randomUUID(), unique("local"), "local", "/var/backups", Instant.now());
        volumes.upsert(local);
        byte[] bytes = new byte[70_000];
        new java.util.Random(7).nextBytes(bytes);
        String key = "srv/shop/srv-shop-2026-11-25-120000-abcd1234.sql.zst";
        STORAGE.putObject(local.id(), key, bytes);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        UUID id = snapshot("COMPLETED", local, key, sha256);

        MockHttpServletResponse whole = mvc.perform(get("/api/v1/snapshots/" + id + "/download"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/zstd"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"srv-shop-2026-11-25-120000-abcd1234.sql.zst\""))
                .andExpect(header().string("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(
                        HexFormat.of().parseHex(sha256)) + ":"))
                .andExpect(header().string("Content-Length", String.valueOf(bytes.length)))
                .andReturn().getResponse();
        assertThat(whole.getContentAsByteArray()).isEqualTo(bytes);

        MockHttpServletResponse part = mvc.perform(get("/api/v1/snapshots/" + id + "/download").header("Range", "bytes=100-199"))
                .andExpect(status().isPartialContent())
                .andExpect(header().string("Content-Range", "bytes 100-199/" + bytes.length))
                .andReturn().getResponse();
        assertThat(part.getContentAsByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));

        mvc.perform(get("/api/v1/snapshots/" + id + "/download").header("Range", "bytes=90000-90099"))
                .andExpect(status().isRequestedRangeNotSatisfiable())
                .andExpect(header().string("Content-Range", "bytes */" + bytes.length))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/range-not-satisfiable"));

        mvc.perform(get("/api/v1/snapshots/" + id + "/download-url")).andExpect(status().isOk())
                .andExpect(jsonPath("$.url").value("/api/v1/snapshots/" + id + "/download"))
                .andExpect(jsonPath("$.expiresAt").isEmpty())
                .andExpect(jsonPath("$.fileName").value("srv-shop-2026-11-25-120000-abcd1234.sql.zst"))
                .andExpect(jsonPath("$.sha256").value(sha256));
    }

    @Test
    void anS3SnapshotRedirectsToAPresignedUrlValidFor15Minutes() throws Exception {
        UUID id = snapshot("COMPLETED", knownVolume(), "srv/shop/srv-shop-1.sql.zst");

        String location = mvc.perform(get("/api/v1/snapshots/" + id + "/download")).andExpect(status().isFound())
                .andReturn().getResponse().getHeader("Location");

        String request = java.net.URLDecoder.decode(location.substring(location.indexOf("request=") + 8), StandardCharsets.UTF_8);
        assertThat(json.readTree(request).get("ttlSeconds").asLong()).isEqualTo(900);
        assertThat(json.readTree(request).get("key").asString()).isEqualTo("srv/shop/srv-shop-1.sql.zst");
        assertThat(json.readTree(request).get("fileName").asString()).isEqualTo("srv-shop-1.sql.zst");
        mvc.perform(get("/api/v1/snapshots/" + id + "/download-url")).andExpect(status().isOk())
                .andExpect(jsonPath("$.url").value(location))
                .andExpect(jsonPath("$.expiresAt").value("2030-01-01T00:00:00Z"));
    }

    @Test
    void anEncryptedS3SnapshotStreamsThroughStorageInsteadOfRedirecting() throws Exception {
        Volume s3 = new Volume(UUID.randomUUID(), unique("s3-encrypted"), "s3", "s3://backups/enc", Instant.now());
        volumes.upsert(s3);
        STORAGE.encrypt(s3.id());
        byte[] bytes = "-- PostgreSQL database dump\n".repeat(100).getBytes(StandardCharsets.UTF_8);
        String key = "srv/shop/srv-shop-2026-11-26-010000-abcd1234.sql";
        STORAGE.putObject(s3.id(), key, bytes);
        UUID id = snapshot("COMPLETED", s3, key);

        MockHttpServletResponse whole = mvc.perform(get("/api/v1/snapshots/" + id + "/download"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Length", String.valueOf(bytes.length)))
                .andReturn().getResponse();
        assertThat(whole.getContentAsByteArray()).isEqualTo(bytes);
        mvc.perform(get("/api/v1/snapshots/" + id + "/download-url")).andExpect(status().isOk())
                .andExpect(jsonPath("$.url").value("/api/v1/snapshots/" + id + "/download"))
                .andExpect(jsonPath("$.expiresAt").isEmpty());
    }

    @Test
    void aFileStorageCannotDecryptIsABadGatewayProblemInStoragesWords() throws Exception {
        Volume s3 = new Volume(UUID.randomUUID(), unique("s3-rekeyed"), "s3", "s3://backups/enc", Instant.now());
        volumes.upsert(s3);
        STORAGE.encrypt(s3.id());
        String key = "srv/shop/srv-shop-2026-11-26-020000-abcd1234.sql";
        STORAGE.putUndecryptable(s3.id(), key);
        UUID id = snapshot("COMPLETED", s3, key);

        mvc.perform(get("/api/v1/snapshots/" + id + "/download"))
                .andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.type").value("https://databasement.io/problems/decryption-failed"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("encrypted with key 'k1'")));
    }

    @Test
    void onlyACompletedSnapshotCanBeDownloaded() throws Exception {
        UUID running = snapshot("RUNNING", knownVolume(), "srv/shop/r2.sql.zst");
        expectProblem(mvc.perform(get("/api/v1/snapshots/" + running + "/download")), 409, "snapshot-not-downloadable");
        expectProblem(mvc.perform(get("/api/v1/snapshots/" + running + "/download-url")), 409, "snapshot-not-downloadable");
        expectProblem(mvc.perform(get("/api/v1/snapshots/" + UUID.randomUUID() + "/download")), 404, "snapshot-not-found");
    }

    ResultActions delete(UUID id) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/v1/snapshots/" + id));
    }

    ResultActions expectProblem(ResultActions actions, int status, String slug) throws Exception {
        return actions.andExpect(status().is(status)).andExpect(jsonPath("$.type").value(PROBLEM + slug));
    }

    UUID snapshot(String status, Volume volume, String objectKey) {
        return snapshot(status, volume, objectKey, "cd".repeat(32));
    }

    UUID snapshot(String status, Volume volume, String objectKey, String sha256) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.sql("""
                        insert into snapshots (id, server_name, database_name, volume_id, volume_name, volume_location,
                            compression, compression_level, status, created_at, started_at, completed_at, size_bytes,
                            raw_size_bytes, sha256, object_key, database_type, database_version, version)
                        values (?, 'srv-del', 'shop', ?, ?, ?, 'zstd', 3, ?, ?, ?, ?, 1234, 5678, ?, ?, 'postgresql', '15.4', 1)""")
                .params(id, volume.id(), volume.name(), volume.location(), status, now, now, now, sha256, objectKey)
                .update();
        return id;
    }

    UUID restore(UUID snapshotId, String status) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into restores (id, snapshot_id, target_server_name, target_database, mode, target_exists, status,
                            requested_by, correlation_id, created_at, version)
                        values (?, ?, 'srv-del', 'shop_copy', 'OTHER_DATABASE', false, ?, 'test', 'corr', now(), 1)""")
                .params(id, snapshotId, status).update();
        return id;
    }

    UUID volumeOf(UUID snapshotId) {
        return jdbc.sql("select volume_id from snapshots where id = ?").param(snapshotId).query(UUID.class).single();
    }

    Instant nextAttempt(UUID id) {
        return jdbc.sql("select deletion_next_attempt_at from snapshots where id = ?").param(id)
                .query((rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant()).list().get(0);
    }

    int attempts(UUID id) {
        return jdbc.sql("select deletion_attempts from snapshots where id = ?").param(id).query(Integer.class).single();
    }

    void dueNow(UUID id) {
        jdbc.sql("update snapshots set deletion_next_attempt_at = case when deletion_next_attempt_at is null then null "
                + "else now() - interval '1 second' end where id = ?").param(id).update();
    }

    InboundMessage report(MessageType<?> type, Object report) {
        return InboundMessage.of(Topics.STORAGE_REPORTS, MessageBuilder.withPayload(json.writeValueAsBytes(report))
                .setHeader(CloudEvents.ID, UUID.randomUUID().toString())
                .setHeader(CloudEvents.TYPE, type.ceType())
                .build());
    }
}
