package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5, a schedule end to end on the real services: its snapshots are verified, and retention really deletes
 * what its preview said (record and file), keeping the newest.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "dbm_it_sch_" + SUFFIX;

    private Api api;
    private Flows flows;
    private Path volumeDir;
    private String volume;
    private String server;

    @BeforeAll
    void source() throws Exception {
        api = Stack.get().api();
        flows = new Flows(api);
        volumeDir = Files.createTempDirectory("dbm-sys-schedule-");
        volume = flows.localVolume("schedule-vol-" + SUFFIX, volumeDir);
        server = flows.postgresServer("pg-sch-" + SUFFIX);
        Stack.createPostgresDatabase(SOURCE);
        try (Connection c = Stack.postgres(SOURCE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE readings (id int PRIMARY KEY, v double precision)");
            s.execute("INSERT INTO readings SELECT g, g / 3.0 FROM generate_series(1, 1000) g");
        }
    }

    @AfterAll
    void drop() {
        Stack.dropPostgresDatabase(SOURCE);
    }

    @Test
    void aVerifyingScheduleKeepsItsLastSnapshotAndReallyDeletesTheOneBeforeAsThePreviewSaid() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "nightly-" + SUFFIX);
        body.put("serverId", server);
        body.put("databases", List.of(SOURCE));
        body.put("volumeId", volume);
        body.put("cron", "0 3 1 1 *"); // once a year: the test fires its ticks by hand
        body.put("retention", Map.of("type", "KEEP_LAST", "count", 1));
        body.put("verify", true);
        Api.Response created = api.post("/api/v1/schedules", body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String schedule = created.json().path("id").asText();

        String first = runAndAwaitVerified(schedule);
        Path firstFile = volumeDir.resolve(api.get("/api/v1/snapshots/" + first).json().path("objectKey").asText());
        assertThat(firstFile).exists();
        JsonNode preview = api.get("/api/v1/schedules/" + schedule + "/retention-preview").json();
        assertThat(preview.path("decisions")).hasSize(1);
        assertThat(preview.path("decisions").get(0).path("action").asText()).isEqualTo("KEEP");

        String second = runAndAwaitVerified(schedule);

        // the first is no longer the newest: retention asks storage to delete it, then the record goes
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/api/v1/snapshots/" + first).status() == 404);
        assertThat(firstFile).doesNotExist();
        JsonNode kept = api.get("/api/v1/snapshots/" + second).json();
        assertThat(kept.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(kept.path("scheduleId").asText()).isEqualTo(schedule);
        JsonNode after = api.get("/api/v1/schedules/" + schedule + "/retention-preview").json();
        assertThat(after.path("decisions")).hasSize(1);
        assertThat(after.path("decisions").get(0).path("snapshotId").asText()).isEqualTo(second);
        JsonNode state = api.get("/api/v1/schedules/" + schedule).json();
        assertThat(state.path("health").asText()).isEqualTo("OK");
        assertThat(state.path("lastCompletedAt").isNull()).isFalse();
    }

    @Test
    void twoCatalogReplicasOnOneDatabaseFireEachTickOnce() throws Exception {
        Stack.Running stack = Stack.get();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(stack.env());
        env.put("DBM_CATALOG_URL", "http://127.0.0.1:" + port);
        try (ServiceProcess second = ServiceProcess.start("catalog-service", "catalog-service-2", port, env, stack.logDir())) {
            second.awaitHealthy(Duration.ofSeconds(300));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", "every-minute-" + SUFFIX);
            body.put("serverId", server);
            body.put("databases", List.of(SOURCE));
            body.put("volumeId", volume);
            body.put("cron", "* * * * *");
            Api.Response created = api.post("/api/v1/schedules", body);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String schedule = created.json().path("id").asText();
            try {
                // two ticks, each raced for by both replicas polling every second
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> api.get("/api/v1/snapshots?scheduleId=" + schedule).json().path("totalItems").asInt() >= 2);
                Thread.sleep(3_000); // a duplicate of the second tick would be in by now
                Map<String, Integer> perTick = new TreeMap<>();
                api.get("/api/v1/snapshots?scheduleId=" + schedule).json().path("items")
                        .forEach(s -> perTick.merge(s.path("createdAt").asText().substring(0, 16), 1, Integer::sum));
                assertThat(perTick).as("snapshots per tick (minute)").hasSizeGreaterThanOrEqualTo(2).allSatisfy((tick, n) -> assertThat(n).isEqualTo(1));
            } finally {
                api.delete("/api/v1/schedules/" + schedule);
            }
        }
    }

    /** Fires a tick by hand; returns the snapshot once it is COMPLETED and its verification PASSED. */
    private String runAndAwaitVerified(String schedule) {
        Api.Response run = api.post("/api/v1/schedules/" + schedule + "/run", Map.of());
        assertThat(run.status()).as(run.text()).isEqualTo(202);
        String id = run.json().path("snapshotIds").get(0).asText();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = api.get("/api/v1/snapshots/" + id).json();
            String verification = last[0].path("verification").path("status").asText();
            return last[0].path("status").asText().equals("FAILED") || verification.equals("PASSED")
                    || verification.equals("FAILED");
        });
        assertThat(last[0].path("status").asText()).as(last[0].toString()).isEqualTo("COMPLETED");
        assertThat(last[0].path("verified").asBoolean()).as(last[0].toString()).isTrue();
        assertThat(last[0].path("verification").path("rowsCompared").asLong()).isEqualTo(1000);
        return id;
    }
}
