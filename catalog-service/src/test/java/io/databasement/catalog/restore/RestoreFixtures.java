package io.databasement.catalog.restore;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.databasement.catalog.TestDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * Servers registered against the machine's real PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306), and
 * completed snapshots as a backup worker would have left them (no worker runs in these tests).
 */
record RestoreFixtures(MockMvc mvc, JdbcClient jdbc, JsonMapper json) {

    /** The catalog's own throw-away database: one that certainly exists on the PostgreSQL server. */
    static String existingPostgresDatabase() {
        String url = TestDatabase.url();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    UUID postgresServer() throws Exception {
        return server("postgresql", 5432, "postgres", "pg-secret-pw");
    }

    UUID mariadbServer() throws Exception {
        return server("mariadb", 3306, "root", null);
    }

    /** Nothing listens on port 1: probes fail at once with the driver's words. */
    UUID unreachableServer() throws Exception {
        return server("postgresql", 1, "postgres", "unreachable-secret-pw");
    }

    UUID server(String type, int port, String username, String password) throws Exception {
        String body = """
                {"name": "%s", "type": "%s", "host": "127.0.0.1", "port": %d, "username": "%s"%s}"""
                .formatted(unique("srv"), type, port, username, password == null ? "" : ", \"password\": \"" + password + "\"");
        String response = mvc.perform(post("/api/v1/servers").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        return UUID.fromString(json.readTree(response).get("id").asString());
    }

    UUID completedSnapshot(UUID serverId, String database, String type, String version) {
        return snapshot(serverId, database, type, version, "COMPLETED");
    }

    UUID snapshot(UUID serverId, String database, String type, String version, String status) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbc.sql("""
                        insert into snapshots (id, server_id, server_name, database_name, volume_id, volume_name, volume_location,
                            compression, compression_level, status, created_at, started_at, completed_at, size_bytes, raw_size_bytes,
                            sha256, object_key, database_type, database_version, version)
                        values (?, ?, (select name from servers where id = ?), ?, ?, 'vol', 's3://backups', 'zstd', 3, ?, ?, ?, ?,
                            1234, 5678, ?, ?, ?, ?, 1)""")
                .params(id, serverId, serverId, database, UUID.randomUUID(), status, Timestamp.from(now), Timestamp.from(now),
                        Timestamp.from(now), "cd".repeat(32), "srv/" + database + "/srv-" + database + "-x.sql.zst", type, version)
                .update();
        return id;
    }

    static String body(UUID snapshotId, UUID serverId, String database, Boolean confirm) {
        return """
                {"snapshotId": "%s", "targetServerId": "%s", "targetDatabase": "%s"%s}"""
                .formatted(snapshotId, serverId, database, confirm == null ? "" : ", \"confirmOverwrite\": " + confirm);
    }
}
