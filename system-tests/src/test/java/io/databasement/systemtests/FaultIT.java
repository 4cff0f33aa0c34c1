package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7's fault suite, first form: a service is killed with SIGKILL in the middle of a snapshot and started
 * again. Every snapshot must end COMPLETED or FAILED with a reason within 90 s of the restart, and a COMPLETED one
 * must download with exactly the size and SHA-256 the catalog recorded. Prints a table of trials and outcomes.
 * CI runs one trial per service; {@code -Ddbm.faults.trials=5} is the full form.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultIT {

    private static final int TRIALS = Integer.getInteger("dbm.faults.trials", 1);
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "dbm_it_fault_src_" + SUFFIX;

    private Api api;
    private String server;
    private String volume;

    private record Trial(String killed, int number, String status, String reason, long recoveryMillis,
                         boolean intact, int attempt) {
    }

    @BeforeAll
    void aSourceBigEnoughToKillSomethingInTheMiddle() throws Exception {
        api = Stack.get().api();
        Stack.createPostgresDatabase(SOURCE);
        try (Connection c = Stack.postgres(SOURCE); Statement s = c.createStatement()) {
            s.execute("create table orders (id bigint primary key, note text, total numeric(12,2))");
            s.execute("insert into orders select g, repeat(md5(g::text), 6), g / 7.0 from generate_series(1, 1500000) g");
        }
        Flows flows = new Flows(api);
        server = flows.postgresServer("pg-fault-" + SUFFIX);
        Path folder = Files.createTempDirectory("dbm-sys-fault-");
        volume = flows.localVolume("fault-vol-" + SUFFIX, folder);
    }

    @AfterAll
    void drop() {
        Stack.dropPostgresDatabase(SOURCE);
    }

    @Test
    void aServiceKilledMidSnapshotLeavesNoJobHangingAndNoBadSnapshot() throws Exception {
        List<Trial> trials = new ArrayList<>();
        for (String victim : List.of("backup-worker", "storage-service", "catalog-service")) {
            for (int i = 1; i <= TRIALS; i++) {
                trials.add(trial(victim, i));
            }
        }
        print(trials);
        assertThat(trials).allSatisfy(t -> {
            assertThat(t.status()).as(t.toString()).isIn("COMPLETED", "FAILED");
            assertThat(t.recoveryMillis()).as(t.toString()).isLessThanOrEqualTo(RECOVERY.toMillis());
            assertThat(t.intact()).as("a COMPLETED snapshot downloads as recorded: " + t).isTrue();
            if (t.status().equals("FAILED")) {
                assertThat(t.reason()).as(t.toString()).isNotBlank();
            }
        });
    }

    private Trial trial(String victim, int number) throws Exception {
        Api.Response accepted = api.post("/api/v1/snapshots", Map.of("serverId", server, "database", SOURCE,
                "volumeId", volume, "compression", "gzip", "compressionLevel", 9));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String id = accepted.json().path("id").asText();
        // in the middle: running, with bytes already on their way to storage
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/v1/snapshots/" + id).json().path("status").asText().equals("RUNNING"));
        Thread.sleep(1_500);
        Stack.Running stack = Stack.get();
        stack.kill(victim);
        stack.restart(victim);
        long restarted = System.nanoTime();
        JsonNode[] last = new JsonNode[1];
        await().atMost(RECOVERY.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Api.Response response = api.get("/api/v1/snapshots/" + id);
            last[0] = response.json();
            String status = response.status() == 200 ? last[0].path("status").asText() : "";
            return status.equals("COMPLETED") || status.equals("FAILED");
        });
        long recovery = (System.nanoTime() - restarted) / 1_000_000;
        JsonNode snapshot = last[0];
        boolean intact = true;
        if (snapshot.path("status").asText().equals("COMPLETED")) {
            HttpResponse<byte[]> file = api.getBytes("/api/v1/snapshots/" + id + "/download", null);
            intact = file.statusCode() == 200 && file.body().length == snapshot.path("sizeBytes").asLong()
                    && HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.body()))
                    .equals(snapshot.path("sha256").asText());
        }
        return new Trial(victim, number, snapshot.path("status").asText(), snapshot.path("error").asText(""),
                recovery, intact, snapshot.path("attempt").asInt());
    }

    private static void print(List<Trial> trials) {
        Map<String, List<Trial>> byVictim = new LinkedHashMap<>();
        trials.forEach(t -> byVictim.computeIfAbsent(t.killed(), k -> new ArrayList<>()).add(t));
        StringBuilder table = new StringBuilder("\nfault suite: SIGKILL mid-snapshot, then restart\n");
        table.append(String.format("%-16s | %6s | %9s | %6s | %5s | %13s | %17s | %s%n", "killed", "trials", "completed",
                "failed", "stuck", "bad checksum", "max recovery (s)", "attempts"));
        byVictim.forEach((victim, list) -> table.append(String.format("%-16s | %6d | %9d | %6d | %5d | %13d | %17.1f | %s%n",
                victim, list.size(), list.stream().filter(t -> t.status().equals("COMPLETED")).count(),
                list.stream().filter(t -> t.status().equals("FAILED")).count(),
                list.stream().filter(t -> !t.status().equals("COMPLETED") && !t.status().equals("FAILED")).count(),
                list.stream().filter(t -> !t.intact()).count(),
                list.stream().mapToLong(Trial::recoveryMillis).max().orElse(0) / 1000.0,
                list.stream().map(t -> Integer.toString(t.attempt())).toList())));
        trials.stream().filter(t -> t.status().equals("FAILED"))
                .forEach(t -> table.append("  FAILED after killing ").append(t.killed()).append(": ").append(t.reason()).append('\n'));
        System.out.println(table);
    }
}
