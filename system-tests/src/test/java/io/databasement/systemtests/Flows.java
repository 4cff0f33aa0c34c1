package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.databasement.devstack.TestInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What a user does through the gateway, one call each: register, snapshot, restore, and wait for the end. */
final class Flows {

    private final Api api;

    Flows(Api api) {
        this.api = api;
    }

    String postgresServer(String name) {
        var pg = TestInfrastructure.postgres();
        return server(name, "postgresql", "127.0.0.1", pg.port(), pg.user(), pg.password() == null ? "" : pg.password());
    }

    String mariadbServer(String name) {
        var db = TestInfrastructure.mariadb();
        return server(name, "mariadb", "127.0.0.1", db.port(), db.user(), db.password() == null ? "" : db.password());
    }

    String server(String name, String type, String host, int port, String username, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("host", host);
        body.put("port", port);
        body.put("username", username);
        if (!password.isEmpty()) {
            body.put("password", password);
        }
        Api.Response response = api.post("/api/v1/servers", body);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        assertThat(response.text()).doesNotContain("\"password\"");
        return response.json().path("id").asText();
    }

    String s3Volume(String name, String prefix) {
        return s3Volume(name, prefix, Map.of());
    }

    /** @param more further fields of the request, e.g. {@code encryptionKeyId} */
    String s3Volume(String name, String prefix, Map<String, Object> more) {
        var s3 = TestInfrastructure.s3();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", "s3");
        body.put("endpoint", s3.endpoint());
        body.put("bucket", s3.bucket());
        body.put("region", "us-east-1");
        body.put("accessKey", s3.accessKey());
        body.put("secretKey", s3.secretKey());
        body.put("prefix", prefix);
        body.putAll(more);
        Api.Response response = api.post("/api/v1/volumes", body);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        assertThat(response.text()).doesNotContain(s3.secretKey());
        return response.json().path("id").asText();
    }

    String localVolume(String name, Path folder) {
        Api.Response response = api.post("/api/v1/volumes", Map.of("name", name, "type", "local", "path", folder.toString()));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().path("id").asText();
    }

    JsonNode snapshotAndWait(String serverId, String database, String volumeId, String compression) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serverId", serverId);
        body.put("database", database);
        body.put("volumeId", volumeId);
        if (compression != null) {
            body.put("compression", compression);
        }
        Api.Response accepted = api.post("/api/v1/snapshots", body);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(accepted.json().path("status").asText()).isEqualTo("PENDING");
        String id = accepted.json().path("id").asText();
        assertThat(accepted.header("Location")).endsWith("/api/v1/snapshots/" + id);
        return awaitEnd("/api/v1/snapshots/" + id);
    }

    Api.Response requestRestore(String snapshotId, String targetServerId, String targetDatabase, Boolean confirmOverwrite) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("snapshotId", snapshotId);
        body.put("targetServerId", targetServerId);
        body.put("targetDatabase", targetDatabase);
        if (confirmOverwrite != null) {
            body.put("confirmOverwrite", confirmOverwrite);
        }
        return api.post("/api/v1/restores", body);
    }

    JsonNode restoreAndWait(String snapshotId, String targetServerId, String targetDatabase, Boolean confirmOverwrite) {
        Api.Response accepted = requestRestore(snapshotId, targetServerId, targetDatabase, confirmOverwrite);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(accepted.json().path("status").asText()).isEqualTo("PENDING");
        String id = accepted.json().path("id").asText();
        assertThat(accepted.header("Location")).endsWith("/api/v1/restores/" + id);
        return awaitEnd("/api/v1/restores/" + id);
    }

    /** Polls a job until COMPLETED or FAILED and returns its last view. */
    JsonNode awaitEnd(String path) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = api.get(path).json();
            String status = last[0].path("status").asText();
            return status.equals("COMPLETED") || status.equals("FAILED");
        });
        return last[0];
    }

    static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("title").asText()).isNotBlank();
        assertThat(response.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
