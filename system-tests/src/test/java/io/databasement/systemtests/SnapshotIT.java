package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.luben.zstd.ZstdInputStream;
import io.databasement.devstack.TestInfrastructure;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import io.databasement.contracts.Topics;
import tools.jackson.databind.JsonNode;

/**
 * Issue 3 end to end, as a user drives it: register a server and a volume, take a snapshot through the
 * gateway, watch it complete, and check the stored object byte for byte.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String PG_DB = "dbm_it_src_" + SUFFIX;
    private static final String PG_AWKWARD_DB = "we\"ird; db 'x' " + SUFFIX;
    private static final String MARIA_DB = "dbm_it_src_" + SUFFIX;
    private static final String MARIA_USER = "dbm_it_pw_" + SUFFIX;
    private static final String MARIA_PASSWORD = "Sekr3t-Canary-" + SUFFIX;

    private Api api;
    private Flows flows;
    private Path localVolumeDir;
    private final List<String> createdPostgres = new ArrayList<>();

    @BeforeAll
    void sources() throws Exception {
        api = Stack.get().api();
        flows = new Flows(api);
        for (String db : List.of(PG_DB, PG_AWKWARD_DB)) {
            Stack.createPostgresDatabase(db);
            createdPostgres.add(db);
            try (Connection c = Stack.postgres(db); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items (id bigint PRIMARY KEY, name text, price numeric(12,4), doc jsonb, blob bytea)");
                s.execute("INSERT INTO items SELECT g, 'item-' || g, g * 1.2345, jsonb_build_object('n', g, 'tag', 'canary-row'), "
                        + "decode(md5(g::text), 'hex') FROM generate_series(1, 5000) g");
            }
        }
        Stack.createMariaDbDatabase(MARIA_DB);
        try (Connection c = Stack.mariadb(MARIA_DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(100), total DECIMAL(12,2), note TEXT)");
            s.execute("INSERT INTO orders SELECT seq, CONCAT('customer-', seq), seq * 3.5, 'maria-canary-row' FROM seq_1_to_3000");
        }
        Stack.mariaAdmin("CREATE USER '" + MARIA_USER + "'@'%' IDENTIFIED BY '" + MARIA_PASSWORD + "'");
        Stack.mariaAdmin("GRANT ALL ON " + Stack.mariaQuote(MARIA_DB) + ".* TO '" + MARIA_USER + "'@'%'");
        localVolumeDir = Files.createTempDirectory("dbm-sys-volume-");
    }

    @AfterAll
    void dropSources() {
        createdPostgres.forEach(Stack::dropPostgresDatabase);
        Stack.dropMariaDbDatabase(MARIA_DB);
        Stack.mariaAdmin("DROP USER IF EXISTS '" + MARIA_USER + "'@'%'");
    }

    @Test
    void postgresSnapshotOnS3CompletesWithEveryDetailAndMatchesTheStoredObject() throws Exception {
        String serverId = flows.postgresServer("pg-" + SUFFIX);
        String volumeId = flows.s3Volume("s3-" + SUFFIX, "sys-" + SUFFIX);

        JsonNode snapshot = flows.snapshotAndWait(serverId, PG_DB, volumeId, null);

        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        for (String field : List.of("id", "serverId", "serverName", "database", "volumeId", "volumeName", "path", "createdAt",
                "startedAt", "completedAt", "durationMs", "sizeBytes", "rawSizeBytes", "compression", "compressionRatio",
                "sha256", "databaseType", "databaseVersion")) {
            assertThat(snapshot.path(field).isMissingNode() || snapshot.path(field).isNull()).as("%s in %s", field, snapshot).isFalse();
        }
        assertThat(snapshot.path("compression").asText()).isEqualTo("zstd");
        assertThat(snapshot.path("databaseType").asText()).isEqualTo("postgresql");
        assertThat(snapshot.path("error").isMissingNode() || snapshot.path("error").isNull()).isTrue();
        assertThat(snapshot.path("path").asText()).startsWith("s3://" + TestInfrastructure.s3().bucket() + "/").endsWith(".sql.zst");

        byte[] stored = readS3(snapshot.path("path").asText());
        assertThat((long) stored.length).isEqualTo(snapshot.path("sizeBytes").asLong());
        assertThat(sha256(stored)).isEqualTo(snapshot.path("sha256").asText());
        String sql = new String(new ZstdInputStream(new ByteArrayInputStream(stored)).readAllBytes(), StandardCharsets.UTF_8);
        assertThat((long) sql.getBytes(StandardCharsets.UTF_8).length).isEqualTo(snapshot.path("rawSizeBytes").asLong());
        assertThat(sql).contains("CREATE TABLE public.items").contains("item-4999").contains("canary-row")
                .contains("-- PostgreSQL database dump complete");
        assertThat(snapshot.path("compressionRatio").asDouble()).isGreaterThan(1.0);

        JsonNode listed = api.get("/api/v1/snapshots?serverId=" + serverId + "&status=COMPLETED").json();
        assertThat(listed.path("items")).anySatisfy(item -> assertThat(item.path("id").asText()).isEqualTo(snapshot.path("id").asText()));

        // another team's plain Kafka client follows the public topic
        List<String> published = TopicRecords.all(Topics.SNAPSHOT_EVENTS).stream()
                .filter(record -> record.startsWith(snapshot.path("id").asText() + " ")).toList();
        assertThat(published).hasSize(2);
        assertThat(published.get(0)).contains("ce_specversion=1.0").contains("ce_type=io.databasement.snapshot.created.v1");
        assertThat(published.get(1)).contains("ce_type=io.databasement.snapshot.completed.v1")
                .contains("\"sha256\":\"" + snapshot.path("sha256").asText() + "\"");
    }

    @Test
    void oneTraceFollowsASnapshotFromTheGatewayThroughTheOutboxAndKafkaToTheWorkerAndStorage() {
        String serverId = flows.postgresServer("pg-traced-" + SUFFIX);
        String volumeId = flows.localVolume("local-traced-" + SUFFIX, localVolumeDir);
        String first = randomTraceId();
        String second = randomTraceId();

        // two snapshots of one database: the second waits in the queue until the first ends
        String firstId = requestTraced(serverId, volumeId, first).path("id").asText();
        JsonNode queued = requestTraced(serverId, volumeId, second);
        String secondId = queued.path("id").asText();
        assertThat(queued.path("queuedBehind").asText()).as(queued.toString()).isNotBlank();
        for (String id : List.of(firstId, secondId)) {
            JsonNode snapshot = flows.awaitEnd("/api/v1/snapshots/" + id);
            assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        }

        List<String> commands = TopicRecords.all(Topics.BACKUP_COMMANDS);
        assertThat(commands).filteredOn(record -> record.startsWith(firstId + " "))
                .as("the command record continues the request's trace").singleElement().asString()
                .contains("traceparent=00-" + first + "-");
        assertThat(commands).filteredOn(record -> record.startsWith(secondId + " "))
                .as("a queued job's command continues its own request's trace, not the report's that released it")
                .singleElement().asString().contains("traceparent=00-" + second + "-");
        for (String service : List.of("gateway", "catalog-service", "backup-worker", "storage-service")) {
            assertThat(Stack.get().service(service).logText()).as("%s's log names the trace", service).contains(first);
        }
        String worker = Stack.get().service("backup-worker").logText();
        assertThat(worker).as("the worker's lines name the job too").containsPattern(first + ",[0-9a-f]{16}," + firstId + "\\]")
                .containsPattern(second + ",[0-9a-f]{16}," + secondId + "\\]");
    }

    private JsonNode requestTraced(String serverId, String volumeId, String traceId) {
        Api.Response accepted = api.post("/api/v1/snapshots", Map.of("serverId", serverId, "database", PG_DB, "volumeId", volumeId),
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        return accepted.json();
    }

    private static String randomTraceId() {
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Test
    void mariadbSnapshotOnALocalVolumeWithGzipCompletes() throws Exception {
        String serverId = flows.server("maria-" + SUFFIX, "mariadb", "127.0.0.1", TestInfrastructure.mariadb().port(), MARIA_USER, MARIA_PASSWORD);
        String volumeId = flows.localVolume("local-" + SUFFIX, localVolumeDir);

        JsonNode snapshot = flows.snapshotAndWait(serverId, MARIA_DB, volumeId, "gzip");

        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        assertThat(snapshot.path("databaseType").asText()).isEqualTo("mariadb");
        assertThat(snapshot.path("databaseVersion").asText()).contains("MariaDB");
        Path file = Path.of(snapshot.path("path").asText());
        assertThat(file).startsWith(localVolumeDir).isRegularFile();
        byte[] stored = Files.readAllBytes(file);
        assertThat((long) stored.length).isEqualTo(snapshot.path("sizeBytes").asLong());
        assertThat(sha256(stored)).isEqualTo(snapshot.path("sha256").asText());
        String sql = new String(new GZIPInputStream(new ByteArrayInputStream(stored)).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sql).contains("CREATE TABLE `orders`").contains("customer-2999").contains("maria-canary-row").contains("-- Dump completed");
    }

    @Test
    void databaseNamesWithQuotesSemicolonsAndSpacesAreDumpedNotInjected() throws Exception {
        String serverId = flows.postgresServer("pg-awkward-" + SUFFIX);
        String volumeId = flows.localVolume("local-awkward-" + SUFFIX, localVolumeDir);

        JsonNode snapshot = flows.snapshotAndWait(serverId, PG_AWKWARD_DB, volumeId, "none");

        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("COMPLETED");
        assertThat(snapshot.path("database").asText()).isEqualTo(PG_AWKWARD_DB);
        String sql = Files.readString(Path.of(snapshot.path("path").asText()));
        assertThat(sql).contains("item-4999").contains("-- PostgreSQL database dump complete");
        assertThat(snapshot.path("compressionRatio").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aWrongPasswordFailsWithTheServersReasonAndThePasswordAppearsNowhere() throws Exception {
        String wrong = "Wr0ng-Canary-" + SUFFIX;
        String serverId = flows.server("maria-wrong-" + SUFFIX, "mariadb", "127.0.0.1", TestInfrastructure.mariadb().port(), MARIA_USER, wrong);
        String volumeId = flows.localVolume("local-wrong-" + SUFFIX, localVolumeDir);

        JsonNode snapshot = flows.snapshotAndWait(serverId, MARIA_DB, volumeId, null);

        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("FAILED");
        assertThat(snapshot.path("error").asText()).contains("Access denied for user");
        assertThat(snapshot.toString()).doesNotContain(wrong);
        assertThat(api.get("/api/v1/servers/" + serverId).text()).doesNotContain(wrong);
        for (ServiceProcess service : Stack.get().services()) {
            assertThat(service.logText()).as("log of %s", service.name()).doesNotContain(wrong).doesNotContain(MARIA_PASSWORD);
        }
        for (String topic : List.of(Topics.BACKUP_COMMANDS, Topics.BACKUP_REPORTS, Topics.SNAPSHOT_EVENTS)) {
            for (String record : TopicRecords.all(topic)) {
                assertThat(record).as("a record on %s", topic).doesNotContain(wrong).doesNotContain(MARIA_PASSWORD);
            }
        }
    }

    @Test
    void aSourceServerThatIsDownFailsWithAReasonInsteadOfHanging() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String serverId = flows.server("pg-down-" + SUFFIX, "postgresql", "127.0.0.1", closedPort, "postgres", "irrelevant");
        String volumeId = flows.localVolume("local-down-" + SUFFIX, localVolumeDir);

        Instant start = Instant.now();
        JsonNode snapshot = flows.snapshotAndWait(serverId, PG_DB, volumeId, null);

        assertThat(snapshot.path("status").asText()).as(snapshot.toString()).isEqualTo("FAILED");
        assertThat(snapshot.path("error").asText()).isNotBlank();
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void badRequestsGetProblemDetails() {
        String serverId = flows.postgresServer("pg-bad-" + SUFFIX);
        String volumeId = flows.localVolume("local-bad-" + SUFFIX, localVolumeDir);
        String unknown = UUID.randomUUID().toString();

        Flows.assertProblem(api.post("/api/v1/snapshots", Map.of("serverId", unknown, "database", PG_DB, "volumeId", volumeId)), 404);
        Flows.assertProblem(api.post("/api/v1/snapshots", Map.of("serverId", serverId, "database", PG_DB, "volumeId", unknown)), 404);
        Flows.assertProblem(api.post("/api/v1/snapshots", Map.of("serverId", serverId, "database", PG_DB, "volumeId", volumeId, "compression", "lz4")), 400);
        Flows.assertProblem(api.post("/api/v1/snapshots", Map.of("serverId", serverId, "database", "bad\u0000name", "volumeId", volumeId)), 400);
        Flows.assertProblem(api.post("/api/v1/snapshots", Map.of("serverId", serverId, "volumeId", volumeId)), 400);
        Flows.assertProblem(api.postRaw("/api/v1/snapshots", "{\"serverId\": "), 400);
        Flows.assertProblem(api.get("/api/v1/snapshots/" + unknown), 404);
        Flows.assertProblem(api.post("/api/v1/servers", Map.of("name", "x-" + SUFFIX, "type", "oracle", "host", "h", "port", 1, "username", "u")), 400);
        Flows.assertProblem(api.post("/api/v1/volumes", Map.of("name", "v-" + SUFFIX, "type", "local", "path", "../../etc")), 400);
    }

    private static byte[] readS3(String path) throws Exception {
        var s3 = TestInfrastructure.s3();
        String withoutScheme = path.substring("s3://".length());
        String bucket = withoutScheme.substring(0, withoutScheme.indexOf('/'));
        String key = withoutScheme.substring(bucket.length() + 1);
        try (MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey()).build();
             InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
