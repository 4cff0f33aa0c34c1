package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.devstack.TestInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Recognisable secrets go in (a server password, an S3 secret key, API tokens, the stack's seal keys and service
 * token), snapshots, restores, verifications and failures run, and then every service's log, every record on every
 * topic (dead letters included) and every answer the API gave is searched for them: there must be no hit.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretLeakIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "dbm_it_leak_src_" + SUFFIX;
    private static final String TARGET = "dbm_it_leak_dst_" + SUFFIX;
    /** The machine's PostgreSQL trusts local connections, so any password works: this one must never show. */
    private static final String CANARY = "Canary-Pw-" + UUID.randomUUID();

    private final List<String> answers = new ArrayList<>();

    @AfterAll
    void drop() {
        Stack.dropPostgresDatabase(SOURCE);
        Stack.dropPostgresDatabase(TARGET);
    }

    @Test
    void noSecretShowsInALogAnEventOrAnAnswer() throws Exception {
        Api admin = Stack.get().api();
        var pg = TestInfrastructure.postgres();
        String password = pg.password() == null || pg.password().isEmpty() ? CANARY : pg.password();
        Stack.createPostgresDatabase(SOURCE);
        try (Connection c = Stack.postgres(SOURCE); Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key, v text)");
            s.execute("insert into t select g, 'v' || g from generate_series(1, 200) g");
        }
        Flows flows = new Flows(admin);
        String server = keep(admin.post("/api/v1/servers", Map.of("name", "leak-pg-" + SUFFIX, "type", "postgresql",
                "host", "127.0.0.1", "port", pg.port(), "username", pg.user(), "password", password)))
                .json().path("id").asText();
        String volume = flows.s3Volume("leak-s3-" + SUFFIX, "leak-" + SUFFIX);
        // the one answer that shows a token's secret, by design: not searched
        Api.Response created = admin.post("/api/v1/tokens", Map.of("name", "leak-ops-" + SUFFIX, "role", "operator"));
        String tokenSecret = created.json().path("token").asText();
        Api operator = admin.as(tokenSecret);

        // the happy path: snapshot, restore, verify
        JsonNode snapshot = new Flows(operator).snapshotAndWait(server, SOURCE, volume, null);
        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        String snapshotId = snapshot.path("id").asText();
        JsonNode restore = new Flows(operator).restoreAndWait(snapshotId, server, TARGET, null);
        assertThat(restore.path("status").asText()).as(restore.toString()).isEqualTo("COMPLETED");
        keep(operator.post("/api/v1/snapshots/" + snapshotId + "/verify", Map.of()));
        // failures: a server whose password is refused, a connection test, a refused overwrite, bad tokens
        var maria = TestInfrastructure.mariadb();
        String refusing = keep(admin.post("/api/v1/servers", Map.of("name", "leak-maria-" + SUFFIX, "type", "mariadb",
                "host", "127.0.0.1", "port", maria.port(), "username", maria.user(), "password", CANARY)))
                .json().path("id").asText();
        keep(admin.post("/api/v1/servers/" + refusing + "/test", Map.of()));
        JsonNode failed = new Flows(operator).snapshotAndWait(refusing, "mysql", volume, null);
        assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("FAILED");
        keep(new Flows(operator).requestRestore(snapshotId, server, TARGET, null));
        keep(admin.as(CANARY).get("/api/v1/snapshots"));
        keep(admin.as(Stack.SERVICE_TOKEN).get("/api/v1/servers"));
        keep(admin.delete("/api/v1/tokens/" + created.json().path("id").asText()));
        keep(operator.get("/api/v1/snapshots"));
        // what a user reads back
        for (String path : List.of("/api/v1/servers", "/api/v1/servers/" + server, "/api/v1/servers/" + refusing,
                "/api/v1/volumes", "/api/v1/snapshots?size=200", "/api/v1/snapshots/" + snapshotId,
                "/api/v1/restores?size=200", "/api/v1/tokens", "/api/v1/audit?limit=1000", "/api/v1/schedules")) {
            keep(admin.get(path));
        }

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("server password", password);
        secrets.put("refused server password", CANARY);
        secrets.put("S3 secret key", TestInfrastructure.s3().secretKey());
        secrets.put("API token", tokenSecret);
        secrets.put("admin token", Stack.ADMIN_TOKEN);
        secrets.put("service token", Stack.SERVICE_TOKEN);
        secrets.put("catalog seal key", Stack.SEAL_KEY);
        secrets.put("storage seal key", Stack.STORAGE_SEAL_KEY);
        secrets.put("encryption key", Stack.ENCRYPTION_KEY);

        Map<String, List<String>> haystacks = new LinkedHashMap<>();
        haystacks.put("API answers", answers);
        haystacks.putAll(logs(Stack.get().logDir()));
        for (String topic : topics()) {
            haystacks.put("topic " + topic, TopicRecords.read(topic));
        }
        assertThat(haystacks.keySet()).as("logs and topics were searched").anyMatch(k -> k.startsWith("log "))
                .anyMatch(k -> k.startsWith("topic dbm."));
        List<String> hits = new ArrayList<>();
        long lines = 0;
        for (var haystack : haystacks.entrySet()) {
            for (String line : haystack.getValue()) {
                lines++;
                secrets.forEach((what, secret) -> {
                    if (line.contains(secret)) {
                        hits.add(what + " in " + haystack.getKey() + ": " + line.substring(0, Math.min(line.length(), 300)));
                    }
                });
            }
        }
        assertThat(lines).as("lines searched").isGreaterThan(300);
        assertThat(hits).as("secrets found in logs, records or answers").isEmpty();
    }

    private Api.Response keep(Api.Response response) {
        answers.add(response.status() + " " + response.headers().map() + " " + response.text());
        return response;
    }

    private static Map<String, List<String>> logs(Path folder) {
        Map<String, List<String>> logs = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                logs.put("log " + file.getFileName(), Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs;
    }

    private static Set<String> topics() throws Exception {
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                Stack.get().kafkaBootstrapServers()))) {
            return kafka.listTopics().names().get();
        }
    }
}
